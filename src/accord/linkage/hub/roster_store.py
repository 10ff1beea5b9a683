"""An agency's encoded roster at the hub: one Parquet file, grown by each intake.

A later load replaces the encodings of the record ids it carries (a corrected name, a move) and
adds the rest. Both files must be encodings under the same key and settings; the merge is
written beside the roster and renamed over it, so a failed merge leaves the old roster whole.
"""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.compute as pc  # type: ignore[import-untyped]
import pyarrow.parquet as pq  # type: ignore[import-untyped]

from accord.linkage.hub.encoded import common_layout


def merge_into_roster(roster: Path, addition: Path) -> int:
    """Add `addition`'s encodings to `roster` (created if absent); returns the roster's size."""
    roster.parent.mkdir(parents=True, exist_ok=True)
    if not roster.exists():
        common_layout([addition])
        merged = pq.read_table(addition)
    else:
        common_layout([roster, addition])
        old, new = pq.read_table(roster), pq.read_table(addition)
        kept = old.filter(pc.invert(pc.is_in(old["record_id"], value_set=new["record_id"])))
        merged = pa.concat_tables([kept, new.cast(kept.schema)])
        merged = merged.replace_schema_metadata(new.schema.metadata)
    tmp = roster.with_name(roster.name + ".tmp")
    pq.write_table(merged, tmp)
    tmp.replace(roster)
    return int(merged.num_rows)
