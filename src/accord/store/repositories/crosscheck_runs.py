"""Which cross-checks are defined and the runs of each, for the desk that lists them (the
definitions, runs and results themselves are in accord.store.repositories.crosschecks)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from accord.store.models import CrossCheckRow, CrossCheckRunRow
from accord.store.repositories.crosschecks import StoredRun


def crosscheck_ids(session: Session) -> list[str]:
    """The agreement id of every defined cross-check, in order."""
    return list(session.scalars(select(CrossCheckRow.agreement_id).order_by(CrossCheckRow.agreement_id)))


def runs_of(session: Session, agreement_id: str) -> list[StoredRun]:
    """Every run of the cross-check under `agreement_id`, the latest first."""
    query = (select(CrossCheckRunRow).where(CrossCheckRunRow.agreement_id == agreement_id)
             .order_by(CrossCheckRunRow.id.desc()))
    return [StoredRun(r.id, r.agreement_id, r.run_at, r.run_by, dict(r.report), r.ledger_seq)
            for r in session.scalars(query)]
