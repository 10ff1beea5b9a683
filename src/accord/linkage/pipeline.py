"""`accord encode` without the command line: roster CSV in, keyed Parquet out, a summary back."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from accord.linkage.encode.keys import key_id
from accord.linkage.encode.record import BLOOM_FIELDS, EncodedRecord, RecordEncoder
from accord.linkage.parquet_out import write_parquet
from accord.linkage.roster import read_roster

BATCH_ROWS = 50_000
ENCODED_FIELDS = (*BLOOM_FIELDS, "sex")


@dataclass
class EncodeSummary:
    """Counts only: how many rows, and per field how many were missing or unusable."""

    rows_read: int = 0
    rows_written: int = 0
    missing: Counter[str] = field(default_factory=Counter)  # empty or unusable
    unusable: Counter[str] = field(default_factory=Counter)  # had a value the normaliser rejected


def encoding_metadata(key: bytes, bits: int) -> dict[str, str]:
    """Parameters written into the Parquet footer, so the hub can check two files are comparable."""
    return {
        "version": "accord-bloom-v1", "key_id": key_id(key), "bits": str(bits), "q": "2",
        "hash": "keyed blake2b, independent positions", "salt": "year of birth",
        "k": ",".join(f"{name}={k}" for name, (_, k) in BLOOM_FIELDS.items()),
    }


def encode_roster(source: Path, target: Path, key: bytes, bits: int = 1024) -> EncodeSummary:
    """Encode every row of `source` into `target`; RosterError (and nothing written) on a bad file."""
    encoder = RecordEncoder(key, bits)
    summary = EncodeSummary()

    def count_missing(batch: list[EncodedRecord]) -> None:
        for name in BLOOM_FIELDS:
            summary.missing[name] += sum(r.blooms[name] is None for r in batch)

    def batches() -> Iterator[list[EncodedRecord]]:
        batch: list[EncodedRecord] = []
        for _, row in read_roster(source):
            summary.rows_read += 1
            record = encoder.encode(row)
            if record.unusable:
                summary.unusable.update(record.unusable)
            if not row.get("sex", "").strip() or "sex" in record.unusable:
                summary.missing["sex"] += 1
            batch.append(record)
            if len(batch) >= BATCH_ROWS:
                count_missing(batch)
                yield batch
                batch = []
        count_missing(batch)
        yield batch

    write_parquet(target, batches(), encoder, encoding_metadata(key, bits))
    summary.rows_written = summary.rows_read
    return summary
