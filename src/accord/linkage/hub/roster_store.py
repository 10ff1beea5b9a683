"""An agency's encoded roster at the hub: one Parquet file, grown by each intake.

A later load replaces the encodings of the record ids it carries (a corrected name, a move) and
adds the rest. Both files must be encodings under the same key and settings; the merge is
written beside the roster and renamed over it, so a failed merge leaves the old roster whole.
The nodes' chance-agreement histograms (encoded.read_chance_agreement) are summed into the roster's,
so that the model trained on it prices names as a link of the files would.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.parquet as pq  # type: ignore[import-untyped]

from accord.errors import AccordError
from accord.linkage.file_contract import CHANCE_ENTRY
from accord.linkage.hub.chance_u import pooled
from accord.linkage.hub.encoded import common_layout, read_chance_agreement

BATCH_ROWS = 10_000  # records read and written at a time: about 5 MiB of encodings


class SubmissionMismatch(AccordError, ValueError):
    """An agency's encoded file does not hold the records of the file it came with; the message
    counts records and names files, never an id."""


def take_submitted(submitted: Path, record_ids: list[str], out: Path, roster: Path) -> None:
    """Write to `out` the encodings `submitted` holds for exactly `record_ids` (the records a load
    accepted), after checking it was encoded like the agency's `roster` (same key and settings).

    The agency encodes at its own node (`accord node encode`); the hub only checks and keeps."""
    common_layout([roster, submitted] if roster.exists() else [submitted])
    extra, lacking, wanted = _unmatched(submitted, record_ids)
    if extra or lacking:
        raise SubmissionMismatch(
            f"{submitted.name}: holds {extra:,} record(s) the file does not or holds twice, and lacks "
            f"{lacking:,} of its {wanted:,}; encode this same file with `accord node encode`")
    shutil.copyfile(submitted, out)  # whole, footer included (the chance agreement)


def _unmatched(submitted: Path, record_ids: list[str]) -> tuple[int, int, int]:
    """(records of `submitted` not among `record_ids` or repeated, `record_ids` it lacks, distinct
    `record_ids`).

    One set of the ids the load holds anyway, the file's ids streamed past it: a state's million
    held as Arrow arrays and hash tables beside the load took some 100 MiB more."""
    remaining = set(record_ids)
    extra, wanted = 0, len(remaining)
    for ids in _ids_in(submitted):
        for record_id in ids:
            if record_id in remaining:
                remaining.remove(record_id)
            else:
                extra += 1
    return extra, len(remaining), wanted


def _ids_in(encoded: Path) -> Iterator[list[str]]:
    """An encoded file's record ids, a batch at a time. Not `pq.read_table`: reading 300,000 ids
    through it took 75 MiB."""
    for batch in _reader(encoded).iter_batches(BATCH_ROWS, columns=["record_id"], use_threads=False):
        yield [str(v) for v in batch.column(0).to_pylist()]


def _reader(encoded: Path) -> pq.ParquetFile:
    # Without pre-buffering a batch reads only its own pages: with it, reading a roster through
    # held several of its row groups at once (measured: 130 MiB against 50 at 300,000 records).
    return pq.ParquetFile(encoded, pre_buffer=False)


def merge_into_roster(roster: Path, addition: Path) -> int:
    """Add `addition`'s encodings to `roster` (created if absent); returns the roster's size.

    Streamed a batch at a time (only the addition's record ids are held whole): a state's roster
    of a million encodings is half a gigabyte in memory, and the merge held it three times."""
    roster.parent.mkdir(parents=True, exist_ok=True)
    chance = read_chance_agreement(addition)
    adding = _reader(addition)
    if not roster.exists():
        common_layout([addition])
        schema, parts = adding.schema_arrow, [(adding, set[str]())]
    else:
        common_layout([roster, addition])
        old = _reader(roster)
        replaced = {record_id for ids in _ids_in(addition) for record_id in ids}
        schema, parts = old.schema_arrow, [(old, replaced), (adding, set[str]())]
        chance = pooled([read_chance_agreement(roster), chance]) or chance
    metadata = dict(adding.schema_arrow.metadata or {})
    if chance:
        metadata[CHANCE_ENTRY.encode()] = json.dumps(chance).encode()
    schema = schema.with_metadata(metadata)
    tmp, rows = roster.with_name(roster.name + ".tmp"), 0
    with pq.ParquetWriter(tmp, schema) as writer:
        for source, dropped in parts:
            rows += _copy(source, dropped, writer)
    tmp.replace(roster)
    return rows


def _copy(source: pq.ParquetFile, dropped: set[str], writer: pq.ParquetWriter) -> int:
    """Write `source`'s records but those in `dropped`, a batch at a time; returns how many.

    Arrow's pool keeps what it freed for reuse, so each batch's buffers go back to the system when
    it is written: kept, a 300,000-record reload's merge held 380 MiB; by row group, 80."""
    rows = 0
    for batch in source.iter_batches(BATCH_ROWS, use_threads=False):
        table = pa.Table.from_batches([batch])
        del batch
        if dropped:
            kept = [str(v) not in dropped for v in table.column("record_id").to_pylist()]
            table = table.filter(pa.array(kept, type=pa.bool_()))
        if table.num_rows:  # a reload replaces the old roster's records whole
            writer.write_table(table.cast(writer.schema))
            rows += table.num_rows
        del table
        pa.default_memory_pool().release_unused()
    return rows


def roster_size(roster: Path) -> int:
    """The number of records in an encoded roster."""
    return int(pq.ParquetFile(roster).metadata.num_rows)


def record_ids(encoded: Path) -> list[str]:
    """The record ids of an encoded file, in its order."""
    return [record_id for ids in _ids_in(encoded) for record_id in ids]
