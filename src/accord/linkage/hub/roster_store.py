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
from pathlib import Path

import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.compute as pc  # type: ignore[import-untyped]
import pyarrow.parquet as pq  # type: ignore[import-untyped]

from accord.errors import AccordError
from accord.linkage.file_contract import CHANCE_ENTRY
from accord.linkage.hub.chance_u import pooled
from accord.linkage.hub.encoded import common_layout, read_chance_agreement


class SubmissionMismatch(AccordError, ValueError):
    """An agency's encoded file does not hold the records of the file it came with; the message
    counts records and names files, never an id."""


def take_submitted(submitted: Path, record_ids: list[str], out: Path, roster: Path) -> None:
    """Write to `out` the encodings `submitted` holds for exactly `record_ids` (the records a load
    accepted), after checking it was encoded like the agency's `roster` (same key and settings).

    The agency encodes at its own node (`accord node encode`); the hub only checks and keeps."""
    common_layout([roster, submitted] if roster.exists() else [submitted])
    # Compared as Arrow arrays: as Python sets, a state's million ids took a few hundred MiB.
    held = pc.unique(pq.read_table(submitted, columns=["record_id"])["record_id"])
    wanted = pc.unique(pa.array(record_ids, type=held.type))
    extra, lacking = _outside(held, wanted), _outside(wanted, held)
    if extra or lacking:
        raise SubmissionMismatch(
            f"{submitted.name}: holds {extra:,} record(s) the file does not and lacks "
            f"{lacking:,} of its {len(wanted):,}; encode this same file with `accord node encode`")
    shutil.copyfile(submitted, out)  # whole, footer included (the chance agreement)


def _outside(ids: pa.Array, others: pa.Array) -> int:
    """How many of the distinct `ids` are not among `others`."""
    return len(ids) - int(pc.sum(pc.is_in(ids, value_set=others)).as_py() or 0)


def merge_into_roster(roster: Path, addition: Path) -> int:
    """Add `addition`'s encodings to `roster` (created if absent); returns the roster's size.

    Streamed a row group at a time (only the addition's record ids are held whole): a state's
    roster of a million encodings is half a gigabyte in memory, and the merge held it three times."""
    roster.parent.mkdir(parents=True, exist_ok=True)
    chance = read_chance_agreement(addition)
    adding = pq.ParquetFile(addition)
    if not roster.exists():
        common_layout([addition])
        schema, parts = adding.schema_arrow, [(adding, None)]
    else:
        common_layout([roster, addition])
        old = pq.ParquetFile(roster)
        replaced = pq.read_table(addition, columns=["record_id"])["record_id"]
        schema, parts = old.schema_arrow, [(old, replaced), (adding, None)]
        chance = pooled([read_chance_agreement(roster), chance]) or chance
    metadata = dict(adding.schema_arrow.metadata or {})
    if chance:
        metadata[CHANCE_ENTRY.encode()] = json.dumps(chance).encode()
    schema = schema.with_metadata(metadata)
    tmp, rows = roster.with_name(roster.name + ".tmp"), 0
    with pq.ParquetWriter(tmp, schema) as writer:
        for source, dropped in parts:
            for group in range(source.num_row_groups):
                table = source.read_row_group(group)
                if dropped is not None:
                    table = table.filter(pc.invert(pc.is_in(table["record_id"], value_set=dropped)))
                writer.write_table(table.cast(schema))
                rows += table.num_rows
    tmp.replace(roster)
    return rows


def roster_size(roster: Path) -> int:
    """The number of records in an encoded roster."""
    return int(pq.ParquetFile(roster).metadata.num_rows)


def record_ids(encoded: Path) -> list[str]:
    """The record ids of an encoded file, in its order."""
    column = pq.read_table(encoded, columns=["record_id"]).column("record_id")
    return [str(v) for v in column.to_pylist()]
