"""The audit's record labels held in memory: what the study's DuckDB table keeps in its `label` column
(`accord.store.study_tables`), for tables built in numpy (the engine's tests, the benchmarks).

A record's label names its atom in the audit history (`history`); a release's `Relabel` moves records
to their new atoms, and a row's `Parts` are counted from its records' labels.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from accord.disclosure.history import Relabel
from accord.disclosure.table import IntArray, Parts


class RecordLabels:
    def __init__(self, n_records: int = 0) -> None:
        self.labels = np.zeros(n_records, np.uint64)

    def grow(self, n_records: int) -> None:
        """Records join the study: they come labelled 0."""
        if n_records > len(self.labels):
            self.labels = np.concatenate([self.labels, np.zeros(n_records - len(self.labels), np.uint64)])

    def parts(self, members: IntArray) -> Parts:
        labels, counts = np.unique(self.labels[members], return_counts=True)
        return Parts(labels.astype(np.uint64), counts.astype(np.int64))

    def apply(self, relabel: Relabel, members: Sequence[IntArray]) -> None:
        """Apply a release's relabelling; `members[j]`: the records of the release's row j."""
        for old, cell, new in zip(relabel.old, relabel.cell, relabel.new, strict=True):
            where = np.arange(len(self.labels)) if cell == -1 else members[int(cell)]
            hit = where[self.labels[where] == old]
            self.labels[hit] = new
