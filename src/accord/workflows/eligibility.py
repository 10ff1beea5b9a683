"""Purpose 2, the eligibility cross-check: enrollment matched with program lists on encodings, so
that children who qualify for free meals (or a program's outreach) are found without an
application, and each side learns only the flag the law and the agreement allow (ADR 0023).

A run is purpose-bound: it links only the rosters the parties submitted for this agreement, each
child's release is a policy decision in the ledger, the run's report is in the ledger, and the
submissions are deleted once the run is recorded. Linking reads no database, so the store is
opened twice: once to read what the run needs, once, after linking, to write the whole run in
one transaction (nothing of a run is half recorded).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from accord.domain.agencies import Program, Role
from accord.domain.crosscheck import CrossCheck, CrossCheckError, ReviewStatus
from accord.domain.purposes import OutputForm, Purpose
from accord.ledger.crosscheck_events import crosscheck_run_draft
from accord.linkage.hub.roster_store import roster_size
from accord.policy import DisclosureRequest
from accord.store.facts import fact_index_for
from accord.store.repositories import crosschecks as repo
from accord.store.repositories.agencies import get_user
from accord.workflows.crosscheck_match import Matching, certify, link_lists
from accord.workflows.crosscheck_report import Released, report
from accord.workflows.crosscheck_submissions import ListedRecord, crosscheck_for, read_list
from accord.workflows.disclosure import decide_and_record_many
from accord.workflows.hub_files import HubFiles
from accord.workflows.hub_recovery import SessionOpener
from accord.workflows.ledger import record

RUNNERS = frozenset({Role.RECORDS_OFFICER, Role.ELIGIBILITY_WORKER})


@dataclass(frozen=True, slots=True)
class RunOutcome:
    run_id: int
    report: dict[str, Any]


@dataclass(frozen=True, slots=True)
class _Prepared:
    crosscheck: CrossCheck
    school: Path
    lists: dict[str, Path]
    listed: dict[str, dict[str, ListedRecord]]
    reviews: list[repo.Review]
    previous: frozenset[str] | None


def _prepare(session: Session, hub: HubFiles, agreement_id: str, by: str, at: datetime) -> _Prepared:
    crosscheck = crosscheck_for(session, agreement_id, at.date())
    runner = get_user(session, by)
    if runner is None or runner.agency_id != crosscheck.school_agency_id or runner.role not in RUNNERS:
        raise CrossCheckError(f"{by} may not run the cross-check: a records officer or eligibility worker "
                              f"of agency {crosscheck.school_agency_id} runs it").coded(
            "may_not_run_crosscheck", school=crosscheck.school_agency_id)
    missing = [a for a in sorted(crosscheck.parties) if not hub.submission_paths(agreement_id, a)[0].exists()]
    if missing:
        raise CrossCheckError(f"no submission yet from {', '.join(missing)} for the cross-check under "
                              f"{agreement_id} (`accord crosscheck submit`)").coded(
            "no_submission_yet", agencies=", ".join(missing), agreement=agreement_id)
    school = hub.submission_paths(agreement_id, crosscheck.school_agency_id)[0]
    lists = {a: hub.submission_paths(agreement_id, a)[0] for a in sorted(crosscheck.program_agency_ids)}
    listed = {a: read_list(hub.submission_paths(agreement_id, a)[1]) for a in lists}
    last = repo.last_run(session, agreement_id)
    previous = (frozenset(r.record_id for r in repo.results_of(session, last.id, crosscheck.school_agency_id))
                if last is not None else None)
    return _Prepared(crosscheck, school, lists, listed, repo.reviews_of(session, agreement_id), previous)


def run_crosscheck(open_session: SessionOpener, hub: HubFiles, agreement_id: str, by: str, at: datetime,
                   workspace: Path | None = None) -> RunOutcome:
    """Link, decide each child's release, record the run and its results, then delete the
    submissions. The same submissions and reviews give the same results (a fixed seed)."""
    with hub.agreement_lock(agreement_id), open_session() as session:
        ready = _prepare(session, hub, agreement_id, by, at)
    matches = link_lists(ready.crosscheck, ready.school, ready.lists, workspace)
    matching = certify(ready.crosscheck, matches, ready.listed, ready.reviews)
    sizes = {a: roster_size(p) for a, p in [(ready.crosscheck.school_agency_id, ready.school),
                                            *ready.lists.items()]}
    with hub.agreement_lock(agreement_id), open_session() as session:
        outcome = _record(session, ready, matching, sizes, by, at)
    for agency_id in sorted(ready.crosscheck.parties):
        for path in hub.submission_paths(agreement_id, agency_id):
            path.unlink(missing_ok=True)
    return outcome


def _record(session: Session, ready: _Prepared, matching: Matching, sizes: dict[str, int], by: str,
            at: datetime) -> RunOutcome:
    c = ready.crosscheck
    index = fact_index_for(session, sorted({m.student_id for m in matching.matches}))
    # (party, its record id, program, basis) of each release asked for, and the request.
    asked: list[tuple[tuple[str, str, str, str], DisclosureRequest]] = []
    for student_id, why in sorted(matching.certified.items()):
        asked.append(((c.school_agency_id, student_id, why.program.value, why.basis.value), DisclosureRequest(
            requester_id=c.school_recipient, student_id=student_id, source_agency_id=why.agency_id,
            purpose=Purpose.ELIGIBILITY_VERIFICATION, fields=c.school_flags(why.program), at=at,
            output=OutputForm.ELIGIBILITY_FLAG, acting_program=Program.SCHOOL_MEALS,
            source_program=why.program)))
    for agency_id, records in sorted(matching.matched_records.items()) if c.program_receives else ():
        for record_id, student_id in sorted(records.items()):
            program = ready.listed[agency_id][record_id].program.value
            asked.append(((agency_id, record_id, program, "enrolled"), DisclosureRequest(
                requester_id=c.program_recipients[agency_id], student_id=student_id,
                source_agency_id=c.school_agency_id, purpose=Purpose.ELIGIBILITY_VERIFICATION,
                fields=c.program_receives, at=at)))
    decided = decide_and_record_many(session, [request for _, request in asked], index)
    results: list[repo.Result] = []
    refused: Counter[str] = Counter()
    programs: Counter[str] = Counter()
    for ((party, record_id, program, basis), _), (decision, entry) in zip(asked, decided, strict=True):
        if not decision.permitted:
            refused.update(r.code for r in decision.failures)
            continue
        released = tuple(sorted(decision.released))
        results.append(repo.Result(party, record_id, program, basis, released, entry.seq))
        if party != c.school_agency_id:
            programs[party] += 1
    school = frozenset(r.record_id for r in results if r.agency_id == c.school_agency_id)
    figures = report(c, at.date(), sizes, ready.listed, matching, Released(school, dict(programs), refused),
                     ready.previous)
    entry = record(session, crosscheck_run_draft(c.agreement_id, by, at, figures, sorted(c.parties)))
    run_id = repo.add_run(session, c.agreement_id, at, by, figures, entry.seq)
    repo.add_results(session, run_id, results)
    repo.add_pending_reviews(session, c.agreement_id, run_id, [
        repo.Review(0, m.student_id, m.agency_id, m.record_id,
                    ready.listed[m.agency_id][m.record_id].program.value, round(m.probability, 6),
                    m.evidence, ReviewStatus.PENDING, None)
        for m in matching.pending])
    return RunOutcome(run_id, figures)
