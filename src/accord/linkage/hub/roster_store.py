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
    held = set(pq.read_table(submitted, columns=["record_id"])["record_id"].to_pylist())
    wanted = set(record_ids)
    if held != wanted:
        raise SubmissionMismatch(
            f"{submitted.name}: holds {len(held - wanted):,} record(s) the file does not and lacks "
            f"{len(wanted - held):,} of its {len(wanted):,}; encode this same file with `accord node encode`")
    shutil.copyfile(submitted, out)  # whole, footer included (the chance agreement)


def merge_into_roster(roster: Path, addition: Path) -> int:
    """Add `addition`'s encodings to `roster` (created if absent); returns the roster's size."""
    roster.parent.mkdir(parents=True, exist_ok=True)
    chance = read_chance_agreement(addition)
    if not roster.exists():
        common_layout([addition])
        merged = pq.read_table(addition)
    else:
        common_layout([roster, addition])
        old, new = pq.read_table(roster), pq.read_table(addition)
        kept = old.filter(pc.invert(pc.is_in(old["record_id"], value_set=new["record_id"])))
        merged = pa.concat_tables([kept, new.cast(kept.schema)])
        merged = merged.replace_schema_metadata(new.schema.metadata)
        chance = pooled([read_chance_agreement(roster), chance]) or chance
    if chance:
        merged = merged.replace_schema_metadata(
            {**(merged.schema.metadata or {}), CHANCE_ENTRY.encode(): json.dumps(chance).encode()})
    tmp = roster.with_name(roster.name + ".tmp")
    pq.write_table(merged, tmp)
    tmp.replace(roster)
    return int(merged.num_rows)


def roster_size(roster: Path) -> int:
    """The number of records in an encoded roster."""
    return int(pq.ParquetFile(roster).metadata.num_rows)


def record_ids(encoded: Path) -> list[str]:
    """The record ids of an encoded file, in its order."""
    column = pq.read_table(encoded, columns=["record_id"]).column("record_id")
    return [str(v) for v in column.to_pylist()]
