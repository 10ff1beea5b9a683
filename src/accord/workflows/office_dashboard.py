"""The records office's dashboard in one call: what needs the officer's attention today (agreements
ending soon or waiting for the data's destruction, consents, the review queues, open notices) and
whether the ledger verifies against its last signed root. Counts and ids only: no person's data.
An administrator sees the agreements and the ledger; the consents and queues are a school's
officer's (the API serves them to records officers only), so theirs are None. The ledger is checked
from the last full verification kept (`ledger_marks`): only the entries written since are re-hashed,
and the figures say how far the kept verification went and when."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from sqlalchemy.orm import Session

from accord.domain.agencies import Role, User
from accord.domain.agreements import Agreement, AgreementStatus
from accord.store.repositories import crosschecks as crosscheck_repo
from accord.store.repositories.consents import list_consents
from accord.store.repositories.ledger import checkpoints
from accord.store.repositories.students import schools_of
from accord.store.repositories.studies import list_studies
from accord.workflows.crosscheck_admin import pending_reviews
from accord.workflows.governance import agreements_for
from accord.workflows.ledger_marks import quick_check
from accord.workflows.registry import open_notices
from accord.workflows.study_review import pending_for

SOON = timedelta(days=60)  # an agreement ending within this is "expiring soon": time to renew it
CONSENT_SOON = timedelta(days=30)
NEEDS_DESTRUCTION = (AgreementStatus.EXPIRED, AgreementStatus.TERMINATED)


@dataclass(frozen=True, slots=True)
class AgreementDue:
    id: str
    title: str
    status: str  # as of today (an active agreement past its end date is expired)
    ends_on: date | None
    destruction_deadline: date | None


@dataclass(frozen=True, slots=True)
class ConsentCounts:
    in_force: int
    revoked: int
    expiring: int  # in force now, ending within CONSENT_SOON


@dataclass(frozen=True, slots=True)
class LedgerStatus:
    entries: int
    verifies: bool
    problems: int
    root: str | None  # of the last signed checkpoint
    signed_at: str | None
    key_id: str | None
    signed_size: int | None  # how many entries the last checkpoint covers
    verified_through: int | None  # #1..N as a kept full verification found them (None: all walked now)
    verified_at: str | None  # when that verification ran
    walked: int  # entries re-hashed by this load


@dataclass(frozen=True, slots=True)
class OfficeFigures:
    expiring: list[AgreementDue]
    to_destroy: list[AgreementDue]
    consents: ConsentCounts | None
    crosscheck_reviews: int | None
    output_reviews: int | None
    open_notices: int | None
    ledger: LedgerStatus


def office_figures(session: Session, user: User, ledger_key_file: Path, at: datetime) -> OfficeFigures:
    expiring, to_destroy = _agreements_due(agreements_for(session, user), at.date())
    officer = user.role is Role.RECORDS_OFFICER
    return OfficeFigures(
        expiring, to_destroy,
        consents=_consents(session, user.agency_id, at) if officer else None,
        crosscheck_reviews=_crosscheck_reviews(session, user) if officer else None,
        output_reviews=_output_reviews(session, user) if officer else None,
        open_notices=len(open_notices(session, user.agency_id)) if officer else None,
        ledger=_ledger(session, ledger_key_file))


def _due(a: Agreement, on: date) -> AgreementDue:
    return AgreementDue(a.id, a.title, a.status_on(on).value, a.ends_on, a.destruction_deadline)


def _agreements_due(found: list[Agreement], on: date) -> tuple[list[AgreementDue], list[AgreementDue]]:
    expiring = [_due(a, on) for a in found if a.status_on(on) is AgreementStatus.ACTIVE
                and a.ends_on is not None and a.ends_on <= on + SOON]
    to_destroy = [_due(a, on) for a in found if a.status_on(on) in NEEDS_DESTRUCTION]
    by_end = lambda d: (d.ends_on or date.max, d.id)  # noqa: E731 - a sort key
    return sorted(expiring, key=by_end), sorted(to_destroy, key=by_end)


def _consents(session: Session, school: str, at: datetime) -> ConsentCounts:
    every = list_consents(session)
    school_of = schools_of(session, sorted({c.student_id for c in every}))
    mine = [c for c in every if school_of.get(c.student_id) == school]
    in_force = [c for c in mine if c.in_force(at)]
    soon = at.date() + CONSENT_SOON
    return ConsentCounts(
        in_force=len(in_force),
        revoked=sum(1 for c in mine if c.revoked_at is not None and c.revoked_at <= at),
        expiring=sum(1 for c in in_force if c.ends_on is not None and c.ends_on <= soon))


def _crosscheck_reviews(session: Session, officer: User) -> int:
    """Uncertain matches waiting in the cross-checks whose school is the officer's."""
    total = 0
    for a in agreements_for(session, officer):
        crosscheck = crosscheck_repo.get_crosscheck(session, a.id)
        if crosscheck is not None and crosscheck.school_agency_id == officer.agency_id:
            total += len(pending_reviews(session, a.id))
    return total


def _output_reviews(session: Session, officer: User) -> int:
    """Study releases held for review that the officer may review (their agency contributes)."""
    return sum(len(pending_for(session, s.id, officer.id)) for s in list_studies(session)
               if officer.agency_id in s.contributors)


def _ledger(session: Session, ledger_key_file: Path) -> LedgerStatus:
    check = quick_check(session, ledger_key_file)
    signed = checkpoints(session)
    last = signed[-1] if signed else None
    return LedgerStatus(
        entries=check.entries, verifies=check.ok, problems=check.problems,
        root=last.root if last else None, signed_at=last.signed_at if last else None,
        key_id=last.key_id if last else None, signed_size=last.size if last else None,
        verified_through=check.verified_through, verified_at=check.verified_at, walked=check.walked)
