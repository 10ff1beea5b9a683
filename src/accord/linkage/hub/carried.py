"""What the files of one run actually carry: the encodings with values on every side.

Every canonical column but `record_id` is optional, so an encoded file may hold no address, no
birth date or no surname, or hold them for too few records to form a pair. The hub builds its
comparisons, blocks and training passes only from what every side carries (model.py,
training_plan.py): a comparison no pair can reach teaches nothing, and a training pass whose block
yields no pair cannot run.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from splink.internals.splink_dataframe import SplinkDataFrame

from accord.linkage.hub.encoded import EncodedLayout


@dataclass(frozen=True, slots=True)
class Carried:
    """Filter fields and token columns present on every side, and the rows of each side."""

    columns: frozenset[str]
    rows: tuple[int, ...]

    def __contains__(self, column: object) -> bool:
        return column in self.columns

    def all(self, *columns: str) -> bool:
        return all(c in self.columns for c in columns)


def everything(layout: EncodedLayout) -> Carried:
    """Every column of the layout: the model as it is when nothing is known of the data."""
    return Carried(frozenset((*layout.bloom_fields, *layout.tokens)), ())


def carried(db_api: Any, inputs: list[SplinkDataFrame], layout: EncodedLayout) -> Carried:
    """The columns with values in enough records of every input to form a pair: one on each side
    when linking files, two when deduplicating one. Counted on the backend (`db_api`, Splink's
    DuckDBAPI or SparkAPI) before any linker exists: a linker's settings check costs more than the
    count on a small file."""
    needed = 2 if len(inputs) == 1 else 1
    columns = {**{f: f"{f}_bf_0" for f in layout.bloom_fields}, **{t: t for t in layout.tokens}}
    counts = ", ".join(f"count({column}) AS \"{name}\"" for name, column in columns.items())
    kept = set(columns)
    rows: list[int] = []
    for frame in inputs:
        sql = f"SELECT count(*) AS rows_, {counts} FROM {frame.physical_name}"
        row = db_api.query_sql(sql, output_type="pandas").iloc[0]
        rows.append(int(row["rows_"]))
        kept &= {name for name in columns if int(row[name]) >= needed}
    return Carried(frozenset(kept), tuple(rows))
