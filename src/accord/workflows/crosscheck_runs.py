"""The cross-checks a person's agency takes part in and their runs, for the eligibility worker's
desk: which side the agency is on, and each run's headline counts (the figures of the report, never
a child). Another agency's cross-check is "not found", as crosscheck_desk words it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from accord.domain.agencies import User
from accord.domain.crosscheck import CrossCheck
from accord.store.repositories import crosschecks as repo
from accord.store.repositories.crosscheck_runs import crosscheck_ids, runs_of
from accord.workflows.crosscheck_desk import CrossCheckNotFound


@dataclass(frozen=True, slots=True)
class RunLine:
    """One run as the list shows it: when, and its headline counts."""

    id: int
    run_at: datetime
    certified: int
    match_rate: float | None
    newly_certified: int | None  # None on the first run: nothing to compare with
    lost_since_last_run: int | None
    review_pending: int


@dataclass(frozen=True, slots=True)
class CrossCheckLine:
    agreement_id: str
    school: str
    programs: tuple[str, ...]
    school_side: bool  # the person's agency is the school (it runs the check and gets the flags)
    every_days: int
    runs: tuple[RunLine, ...]  # the latest first
    next_run_due: str | None  # as the latest run's report says (None before the first run)


def _run_line(run: repo.StoredRun) -> RunLine:
    report: dict[str, Any] = run.report
    rate = report.get("match_rate", {}).get("rate")
    return RunLine(run.id, run.run_at, int(report.get("certified", 0)), rate, report.get("newly_certified"),
                   report.get("lost_since_last_run"), int(report.get("matches", {}).get("review_pending", 0)))


def _line(session: Session, user: User, crosscheck: CrossCheck) -> CrossCheckLine:
    runs = runs_of(session, crosscheck.agreement_id)
    return CrossCheckLine(crosscheck.agreement_id, crosscheck.school_agency_id,
                          tuple(sorted(crosscheck.program_agency_ids)),
                          user.agency_id == crosscheck.school_agency_id, crosscheck.every_days,
                          tuple(_run_line(r) for r in runs),
                          str(runs[0].report["next_run_due"]) if runs and "next_run_due" in runs[0].report
                          else None)


def crosschecks_of(session: Session, user: User) -> list[CrossCheckLine]:
    """Every cross-check the person's agency is a party to, with its runs."""
    found = (repo.get_crosscheck(session, a) for a in crosscheck_ids(session))
    return [_line(session, user, c) for c in found if c is not None and user.agency_id in c.parties]


def crosscheck_of(session: Session, user: User, agreement_id: str) -> CrossCheckLine:
    """One cross-check of the person's agency, with its runs; another's is not found."""
    crosscheck = repo.get_crosscheck(session, agreement_id)
    if crosscheck is None or user.agency_id not in crosscheck.parties:
        raise CrossCheckNotFound("no such cross-check among your agency's").coded("no_such_crosscheck",
                                                                                 agreement=agreement_id)
    return _line(session, user, crosscheck)
