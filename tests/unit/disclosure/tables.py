"""What the study plumbing does before the engine: a GROUP BY over synthetic study records, as a
`Table` (rows, their members by stable record index, measures with their contributions)."""

from __future__ import annotations

import numpy as np

from accord.disclosure import AuditHistory, Measure, Released, Row, Rules, Table, control


def group_by(records: dict[str, np.ndarray], dims: tuple[str, ...], where: np.ndarray | None = None,
             sums: tuple[str, ...] = (), means: tuple[str, ...] = (), all_keys: bool = False) -> Table:
    """One row per combination of `dims` among the records `where` keeps (every combination of the
    values seen anywhere when `all_keys`, so that empty cells show as zeros)."""
    n = len(next(iter(records.values())))
    keep = np.ones(n, dtype=bool) if where is None else where
    idx = np.flatnonzero(keep)
    keys: dict[tuple[str, ...], list[int]] = {}
    if all_keys:
        import itertools
        for combo in itertools.product(*[sorted({str(v) for v in records[d]}) for d in dims]):
            keys[combo] = []
    for i in idx:
        keys.setdefault(tuple(str(records[d][i]) for d in dims), []).append(int(i))
    rows = []
    for key in sorted(keys):
        members = np.asarray(keys[key], dtype=np.int64)
        measures = {"n": Measure("count", float(len(members)))}
        for s in sums:
            v = np.asarray(records[s], dtype=np.float64)[members]
            measures[f"sum_{s}"] = Measure("sum", float(v.sum()), v)
        for s in means:
            v = np.asarray(records[s], dtype=np.float64)[members]
            measures[f"mean_{s}"] = Measure("mean", float(v.mean()) if len(v) else float("nan"), v)
        rows.append(Row(key, members, measures))
    return Table(dims, rows)


class Study:
    """A study's releases in order, each through the engine, the history carried along."""

    def __init__(self, n_records: int, rules: Rules) -> None:
        self.rules = rules
        self.n_records = n_records
        self.history = AuditHistory.empty(n_records)
        self.released: list[Released] = []

    def release(self, table: Table, n_records: int | None = None) -> Released:
        if n_records is not None:
            self.n_records = n_records
        out = control(table, self.rules, self.history, self.n_records)
        self.history = self.history.after(out)
        self.released.append(out)
        return out


def shown(released: Released, measure: str = "n") -> dict[tuple[str, ...], float]:
    """What the analyst sees: key -> value, for the cells shown."""
    return {r.key: v for r in released.rows if (v := r.values[measure]) is not None}
