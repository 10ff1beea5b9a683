"""`accord node encode` without the command line: roster CSV in, keyed Parquet out, a summary back."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

from accord.linkage.encode.keys import agreement_key, key_id
from accord.linkage.encode.record import BLOOM_FIELDS, IDENTITY_COLUMNS, EncodedBatch, RecordEncoder
from accord.linkage.file_contract import CHANCE_ENTRY
from accord.linkage.parquet_out import write_parquet
from accord.linkage.roster import read_roster_batches

BATCH_ROWS = 50_000  # rows per Parquet row group
# Rows read and encoded at a time: a few thousand rows' strings and arrays stay in the CPU caches
# (a run measured about a fifth faster than with batches of BATCH_ROWS); numpy still gets long arrays.
ENCODE_ROWS = 4096
ENCODED_FIELDS = IDENTITY_COLUMNS[1:]
ENCODING_VERSION = "accord-bloom-v5"
Rename = Callable[[str], str]  # a record id to the id the file carries instead


@dataclass
class EncodeSummary:
    """Counts only: how many rows, and per field how many were missing or unusable."""

    rows_read: int = 0
    rows_written: int = 0
    missing: Counter[str] = field(default_factory=Counter)  # empty or unusable
    unusable: Counter[str] = field(default_factory=Counter)  # had a value the normaliser rejected


def encoding_metadata(key: bytes, bits: int, agreement: str = "") -> dict[str, str]:
    """Parameters written into the Parquet footer, so the hub can check two files are comparable:
    `key` is the key the file was encoded under (for a submission, the agreement's derived key)."""
    return {
        "version": ENCODING_VERSION, "key_id": key_id(key), "agreement": agreement, "bits": str(bits),
        "q": "2",
        "hash": "aes-256 prf, independent positions", "folded": "xor, to half the bits",
        "salt": ("first and middle name and street: full date of birth; last name: full date of birth and "
                 "first-name code; first_name_home: street and ZIP; national id: none"),
        "k": ",".join(f"{name}={k}" for name, (_, k) in BLOOM_FIELDS.items()),
    }


def encode_roster(source: Path, target: Path, key: bytes, bits: int = 1024, agreement: str = "",
                  rename: Rename | None = None) -> EncodeSummary:
    """Encode every row of `source` into `target`; RosterError (and nothing written) on a bad file.

    With `agreement`, under that agreement's key (keys.agreement_key), as every file for the hub is;
    without, under the secret itself, for linking files the user holds (`accord link`). With
    `rename`, each record id is written as `rename` gives it (the school's pseudonyms)."""
    return _encode((rows.columns for rows in read_roster_batches(source, ENCODE_ROWS)), target, key, bits,
                   agreement, rename)


def encode_people(people: Iterable[Mapping[str, str]], target: Path, key: bytes, bits: int = 1024,
                  agreement: str = "", rename: Rename | None = None) -> EncodeSummary:
    """Encode people given as canonical column -> value mappings (record_id required) into
    `target`: the intake's path, whose rows were read and validated by the intake readers."""
    def columns() -> Iterator[dict[str, list[str]]]:
        rows = iter(people)
        while chunk := list(islice(rows, ENCODE_ROWS)):
            yield {c: [p.get(c, "") for p in chunk] for c in IDENTITY_COLUMNS}
    return _encode(columns(), target, key, bits, agreement, rename)


def _encode(column_batches: Iterable[Mapping[str, Sequence[str]]], target: Path, key: bytes, bits: int,
            agreement: str, rename: Rename | None = None) -> EncodeSummary:
    """Encode batches of canonical column -> cells into `target`, counting as it goes."""
    key = agreement_key(key, agreement) if agreement else key
    encoder = RecordEncoder(key, bits)
    summary = EncodeSummary()

    def batches() -> Iterator[EncodedBatch]:
        for columns in column_batches:
            if rename is not None:
                columns = {**columns, "record_id": [rename(r) for r in columns["record_id"]]}
            batch = encoder.encode_columns(columns)
            summary.rows_read += len(batch)
            summary.missing.update(batch.missing)
            summary.unusable.update(batch.unusable)
            yield batch

    write_parquet(target, batches(), encoder.words_out, encoding_metadata(key, bits, agreement), BATCH_ROWS,
                  closing=lambda: {CHANCE_ENTRY: json.dumps(encoder.chance_agreement())})
    summary.rows_written = summary.rows_read
    return summary
