"""What the study plumbing does before the engine: a GROUP BY over synthetic study records, as a
`Table` (rows, their parts of the audit's atoms from the records' labels, measures), with the records'
labels kept in memory (`RecordLabels`) as the study's table keeps them in a column."""

from __future__ import annotations

import itertools

import numpy as np

from accord.disclosure import AuditHistory, Measure, Parts, RecordLabels, Released, Row, Rules, Table, control


def parts_of(n: int) -> Parts:
    """The parts of a row of n records in a study nothing was released from yet (all in atom 0)."""
    return RecordLabels(n).parts(np.arange(n, dtype=np.int64))


def group_by(records: dict[str, np.ndarray], dims: tuple[str, ...], where: np.ndarray | None = None,
             sums: tuple[str, ...] = (), means: tuple[str, ...] = (), all_keys: bool = False,
             labels: RecordLabels | None = None) -> Table:
    """One row per combination of `dims` among the records `where` keeps (every combination of the
    values seen anywhere when `all_keys`, so that empty cells show as zeros). The rows' members are
    kept on the table (`members_of`) for the labels' update after a release."""
    n = len(next(iter(records.values())))
    labels = labels or RecordLabels(n)
    keep = np.ones(n, dtype=bool) if where is None else where
    idx = np.flatnonzero(keep)
    keys: dict[tuple[str, ...], list[int]] = {}
    if all_keys:
        for combo in itertools.product(*[sorted({str(v) for v in records[d]}) for d in dims]):
            keys[combo] = []
    for i in idx:
        keys.setdefault(tuple(str(records[d][i]) for d in dims), []).append(int(i))
    rows = []
    members_by_row = []
    for key in sorted(keys):
        members = np.asarray(keys[key], dtype=np.int64)
        measures = {"n": Measure("count", float(len(members)))}
        for s in sums:
            measures[f"sum_{s}"] = Measure.of("sum", np.asarray(records[s], dtype=np.float64)[members])
        for s in means:
            measures[f"mean_{s}"] = Measure.of("mean", np.asarray(records[s], dtype=np.float64)[members])
        rows.append(Row(key, labels.parts(members), measures))
        members_by_row.append(members)
    table = Table(dims, rows)
    MEMBERS[id(table)] = members_by_row
    return table


MEMBERS: dict[int, list[np.ndarray]] = {}  # per table built here, each row's records


class Study:
    """A study's releases in order, each through the engine, the history carried along."""

    def __init__(self, n_records: int, rules: Rules) -> None:
        self.rules = rules
        self.n_records = n_records
        self.history = AuditHistory.empty(n_records)
        self.labels = RecordLabels(n_records)
        self.released: list[Released] = []

    def table(self, records: dict[str, np.ndarray], dims: tuple[str, ...], **kw: object) -> Table:
        """A GROUP BY of the study's records under its current labels."""
        self.labels.grow(len(next(iter(records.values()))))
        return group_by(records, dims, labels=self.labels, **kw)  # type: ignore[arg-type]

    def release(self, table: Table, n_records: int | None = None) -> Released:
        if n_records is not None:
            self.n_records = n_records
            self.labels.grow(n_records)
        out = control(table, self.rules, self.history, self.n_records)
        self.history = self.history.after(out)
        self.labels.apply(self.history.pending, MEMBERS[id(table)])
        self.released.append(out)
        return out


def shown(released: Released, measure: str = "n") -> dict[tuple[str, ...], float]:
    """What the analyst sees: key -> value, for the cells shown."""
    return {r.key: v for r in released.rows if (v := r.values[measure]) is not None}
