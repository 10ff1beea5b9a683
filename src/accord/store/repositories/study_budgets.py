"""A study's differential-privacy budget: balances opened at registration, charged atomically.

A charge is a conditional UPDATE (spent + amount <= total) on the study's balance, then on the
analyst's: the database applies it or not as one statement, and holds the row until the transaction
ends, so concurrent releases (threads, processes, SQLite or PostgreSQL) can never spend more than the
total between them. A charge that does not fit changes nothing; the caller's transaction rolls back.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from accord.store.models.study_budgets import STUDY_HOLDER, StudyBudgetRow, StudyChargeRow

SLACK = 1e-12  # floating sums of equal charges may land a hair above an exactly fitting total


@dataclass(frozen=True, slots=True)
class Balance:
    holder: str  # "*" for the study, else an analyst's id
    total: float
    spent: float

    @property
    def remaining(self) -> float:
        return max(0.0, self.total - self.spent)


def open_budgets(session: Session, study_id: str, total: float, analysts: dict[str, float]) -> None:
    """Balances for the study and each analyst; a new version sets the totals, never what was spent."""
    for holder, amount in {STUDY_HOLDER: total, **analysts}.items():
        row = session.get(StudyBudgetRow, (study_id, holder))
        if row is None:
            session.add(StudyBudgetRow(study_id=study_id, holder=holder, total=amount, spent=0.0))
        else:
            row.total = amount
    session.flush()


def hold(session: Session, study_id: str) -> None:
    """Lock the study's balance until the transaction ends (PostgreSQL: SELECT ... FOR UPDATE; a SQLite
    transaction holds the whole database from its start): the study's releases then run one after
    another, each seeing what the one before it released."""
    session.execute(select(StudyBudgetRow.holder).where(StudyBudgetRow.study_id == study_id,
                                                        StudyBudgetRow.holder == STUDY_HOLDER)
                    .with_for_update())


def charge(session: Session, study_id: str, analyst: str, amount: float, at: datetime) -> bool:
    """Spend `amount` of the study's and the analyst's balances, or nothing (False)."""
    charged: list[str] = []
    for holder in (STUDY_HOLDER, analyst):
        done = session.execute(
            update(StudyBudgetRow)
            .where(StudyBudgetRow.study_id == study_id, StudyBudgetRow.holder == holder,
                   StudyBudgetRow.spent + amount <= StudyBudgetRow.total + SLACK)
            .values(spent=StudyBudgetRow.spent + amount).execution_options(synchronize_session=False))
        if getattr(done, "rowcount", 0) != 1:
            for back in charged:  # the row is still held by this transaction: give back what fit
                session.execute(update(StudyBudgetRow)
                                .where(StudyBudgetRow.study_id == study_id, StudyBudgetRow.holder == back)
                                .values(spent=StudyBudgetRow.spent - amount)
                                .execution_options(synchronize_session=False))
            return False
        charged.append(holder)
    session.add(StudyChargeRow(study_id=study_id, analyst=analyst, amount=amount, release_id=None,
                               charged_at=at))
    session.flush()
    return True


def balances(session: Session, study_id: str) -> list[Balance]:
    rows = session.scalars(select(StudyBudgetRow).where(StudyBudgetRow.study_id == study_id)
                           .order_by(StudyBudgetRow.holder)
                           .execution_options(populate_existing=True)).all()  # after charge's UPDATEs
    return [Balance(r.holder, float(r.total), float(r.spent)) for r in rows]


def charges(session: Session, study_id: str) -> list[tuple[str, float]]:
    """The account: (analyst, amount) per charge, in order."""
    rows = session.scalars(select(StudyChargeRow).where(StudyChargeRow.study_id == study_id)
                           .order_by(StudyChargeRow.id)).all()
    return [(r.analyst, float(r.amount)) for r in rows]
