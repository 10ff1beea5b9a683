"""An encoded roster held in memory for lookups: its columns as numpy arrays with null masks, each
filter's set-bit count as `<field>_pop` (0 for a missing filter, as the hub's SQL has it), and a
sorted index per column looked up by equality; `RosterPair` shows one of its records beside an asked
record as the model's conditions read a pair (`sql_eval.Pair`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pyarrow.compute as pc  # type: ignore[import-untyped]
import pyarrow.parquet as pq  # type: ignore[import-untyped]
from numpy.typing import NDArray

from accord.linkage.hub.encoded import EncodedLayout


class HeldRoster:
    """The roster's columns, set-bit counts and indexes (the columns in `indexed`)."""

    def __init__(self, path: Path, layout: EncodedLayout, indexed: set[str]) -> None:
        table = pq.read_table(path)
        self.record_ids: list[str] = [str(v) for v in table.column("record_id").to_pylist()]
        self._values: dict[str, NDArray[np.int64]] = {}
        self._nulls: dict[str, NDArray[np.bool_]] = {}
        for name in table.column_names:
            if name != "record_id":
                column = table.column(name)
                self._values[name] = pc.fill_null(column, 0).to_numpy().astype(np.int64, copy=False)
                self._nulls[name] = column.is_null().to_numpy(zero_copy_only=False)
        for field in layout.bloom_fields:
            words = [f"{field}_bf_{i}" for i in range(layout.words)]
            pops = sum(np.bitwise_count(self._values[w].view(np.uint64)).astype(np.int64) for w in words)
            missing = np.logical_or.reduce([self._nulls[w] for w in words])
            self._values[f"{field}_pop"] = np.where(missing, 0, pops).astype(np.int64)
            self._nulls[f"{field}_pop"] = np.zeros(len(self.record_ids), np.bool_)
        self._index = {name: self._sorted(name) for name in indexed}

    def _sorted(self, name: str) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
        rows = np.flatnonzero(~self._nulls[name])
        order = np.argsort(self._values[name][rows], kind="stable")
        return self._values[name][rows][order], rows[order]

    def equal(self, name: str, value: int) -> NDArray[np.int64]:
        """The rows whose `name` equals `value`."""
        keys, rows = self._index[name]
        return rows[np.searchsorted(keys, value, "left"):np.searchsorted(keys, value, "right")]

    def value(self, name: str, row: int) -> int | None:
        return None if self._nulls[name][row] else int(self._values[name][row])

    def non_null(self, name: str) -> int:
        return len(self._index[name][0])


class RosterPair:
    """Roster record `row` as `<column>_l`, the asked record as `<column>_r` (see sql_eval.Pair)."""

    __slots__ = ("_asked", "_roster", "_row")

    def __init__(self, roster: HeldRoster, row: int, asked: dict[str, Any]) -> None:
        self._roster, self._row, self._asked = roster, row, asked

    def __getitem__(self, key: str) -> Any:
        column, side = key[:-2], key[-1]
        return self._asked[column] if side == "r" else self._roster.value(column, self._row)
