"""A study's audit state in its two places: the history (in the store, written in the same transaction
as each release and its ledger entry) and the labels of the study's records (a column of the study's
DuckDB table, which the engine's atoms are counted by).

The labels live in another file and cannot join the store's transaction, so they follow the history
at most one release behind: the last release's relabelling is kept with the history and applied before
the next question or build. A release whose transaction did not commit leaves no trace in either
place. Labels further behind than one release cannot come from a store that commits: refused.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.orm import Session

from accord.disclosure.history import AuditHistory, HistoryUnreadable
from accord.store.repositories import studies as repo
from accord.store.study_tables import Filter, labels_generation, relabel


def current_history(session: Session, path: Path, study_id: str) -> tuple[int, AuditHistory]:
    """(the study's records, its audit history), with the table's labels brought up to it."""
    records, stored = repo.audit_of(session, study_id)
    history = AuditHistory.from_bytes(stored) if stored else AuditHistory.empty(records)
    if not path.exists():
        return records, history
    behind = history.generation - labels_generation(path)
    if behind == 0:
        return records, history
    last = repo.last_release(session, study_id)
    if behind != 1 or last is None:
        raise HistoryUnreadable(f"the study's table follows its audit history {behind} releases behind")
    group_by = [str(d) for d in last.spec["group_by"]]
    filters = [Filter(str(f["dim"]), str(f["op"]), tuple(str(v) for v in f["values"]))
               for f in last.spec["filters"]]
    pending = history.pending
    everyone = [(int(o), int(n)) for o, c, n in zip(pending.old, pending.cell, pending.new, strict=True)
                if c == -1]
    rows = [(tuple(str(last.result["rows"][int(c)][d]) for d in group_by), int(o), int(n))
            for o, c, n in zip(pending.old, pending.cell, pending.new, strict=True) if c >= 0]
    relabel(path, history.generation, everyone, rows, group_by, filters)
    return records, history
