"""The demo's study: a policy question answered with a safe table (issue 18).

"Do children on SNAP or TANF attend school as often as the others, grade by grade?" The records
officer drafts and activates a research agreement with the Department of Social Services and the
university, registers the study, both agencies' data stewards approve it, each node submits its
encodings for the study's agreement, the hub builds the study's pseudonymous table, and the
university's analyst asks the question. Cells with fewer than ten children are suppressed, with
the cells that would give them away; every step is in the ledger. The agreement asks for output
review of what the rules cannot settle (ADR 0025): the first table of its kind waits for two
reviewers, so the school's and the department's records officers each approve it before the analyst
sees it; the analyst's second question (by program alone, a new kind) is left waiting in the records
officers' queue (`/office/reviews`). A second study of the same agreement answers under differential
privacy (issue 19): every figure noised by OpenDP, with its 95% interval, and the study's budget
charged.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from accord.domain.agencies import Role
from accord.domain.agreements import Agreement, AgreementLayer, Signature, StudyTerms
from accord.domain.purposes import LegalBasis, Purpose, StudyPurpose
from accord.domain.studies import Study
from accord.store.crypto import ContentCipher
from accord.store.db import make_session_factory, session_scope
from accord.store.repositories.studies import get_release
from accord.synth import County
from accord.workflows.demo_case import SCHOOL, Node
from accord.workflows.demo_crosscheck import PROGRAM_AGENCY, staff
from accord.workflows.governance import activate_agreement, draft_agreement
from accord.workflows.hub_files import HubFiles
from accord.workflows.research import approve, register, submit
from accord.workflows.study_build import build_study
from accord.workflows.study_query import Answer, ask
from accord.workflows.study_review import decide

AGREEMENT = "dsa-research-meals"
STUDY = "study-meals-attendance"
RESEARCH = "univ"
QUESTION = {"measures": ["count", "mean:attendance_rate"], "group_by": ["grade", PROGRAM_AGENCY]}
# The analyst's second question: by program alone, the first table of that kind, so it waits for review.
HELD_QUESTION = {"measures": ["count", "mean:attendance_rate"], "group_by": [PROGRAM_AGENCY]}
CHECKED = "cells under ten suppressed with the cells that would give them away; no dominant contributor"
PRIVATE_STUDY = "study-meals-attendance-dp"
# What the district and the department publish: the grades taught, the programs run.
PUBLIC_KEYS = {"grade": ["K", *(str(g) for g in range(1, 13))], PROGRAM_AGENCY: ["no", "snap", "tanf"]}
PRIVACY = {"accounting": "rho", "total": 0.5, "per_table": 0.1, "keys": PUBLIC_KEYS}


@dataclass(frozen=True, slots=True)
class StudyShown:
    """The question, the released table with each cell's outcome, and the release's ledger entry."""

    study_id: str
    question: dict[str, Any]
    result: dict[str, Any]
    ledger_seq: int
    records: int
    private: dict[str, Any] | None = None  # the same question under differential privacy
    private_seq: int = 0
    held_release: int = 0  # the second question's release, waiting for output review
    held_reasons: tuple[str, ...] = ()


def _agreement(county: County) -> Agreement:
    start, end = county.as_of - timedelta(days=30), county.as_of + timedelta(days=365)
    signed = tuple(Signature(a, "Agency director", start - timedelta(days=7))
                   for a in sorted({SCHOOL, PROGRAM_AGENCY, RESEARCH}))
    return Agreement(
        id=AGREEMENT, title="Research: school meals and attendance",
        layer=AgreementLayer.DATA_SHARING_AGREEMENT,
        source_agency_ids=frozenset({SCHOOL, PROGRAM_AGENCY}), recipient_agency_ids=frozenset({RESEARCH}),
        purposes=frozenset({Purpose.RESEARCH_EVALUATION}), legal_bases=frozenset({LegalBasis.STUDIES}),
        data_elements=frozenset({"attendance", "grade_level"}), recipient_roles=frozenset({Role.ANALYST}),
        permitted_uses="the study of attendance by meal benefits, in the hub's enclave only",
        effective_on=start, ends_on=end, destruction_deadline=end + timedelta(days=90),
        destruction_method="NIST SP 800-88 purge of the study's table", signatures=signed,
        safeguards=("study-specific pseudonyms", "disclosure control on every output"), parent_id="em-county",
        study=StudyTerms(StudyPurpose.IMPROVE_INSTRUCTION, "attendance and meal benefits, grades K-12",
                         True, True))


def _study(county: County, analyst: str, study_id: str = STUDY, rules: dict[str, Any] | None = None) -> Study:
    return Study(id=study_id, agreement_id=AGREEMENT, title="School meals and attendance",
                 purpose="improve instruction: do children on SNAP or TANF attend as often as others?",
                 scope="every grade of the district, this school year", school_agency_id=SCHOOL,
                 elements=frozenset({"attendance", "grade_level"}), analysts=frozenset({analyst}),
                 partners=frozenset({PROGRAM_AGENCY}), starts_on=county.as_of - timedelta(days=30),
                 ends_on=county.as_of + timedelta(days=300), destroy_by=county.as_of + timedelta(days=360),
                 rules=rules or {"min_count": 10, "review": "flagged"})


def run_study_demo(engine: Engine, hub: HubFiles, county: County, node: Node, nodes: Path,
                   cipher: ContentCipher) -> StudyShown:
    at = datetime.combine(county.as_of, datetime.min.time())
    officer, dss_officer = staff(county, SCHOOL, Role.RECORDS_OFFICER), staff(county, PROGRAM_AGENCY,
                                                                             Role.RECORDS_OFFICER)
    analyst = staff(county, RESEARCH, Role.ANALYST)

    def opened() -> Any:
        return session_scope(make_session_factory(engine))

    with opened() as session:
        draft_agreement(session, _agreement(county))
        activate_agreement(session, AGREEMENT, county.as_of, officer)
    answers = []
    for study in (_study(county, analyst), _study(county, analyst, PRIVATE_STUDY, {"dp": PRIVACY})):
        with opened() as session:
            register(session, study, officer, at)
            approve(session, study.id, SCHOOL, officer, at)
            approve(session, study.id, PROGRAM_AGENCY, dss_officer, at)
        for agency, source in ((SCHOOL, nodes / SCHOOL / "students.csv"),
                               (PROGRAM_AGENCY, nodes / PROGRAM_AGENCY / "snap-tanf-list.csv")):
            encoded, copy = node.send(agency, source, AGREEMENT)
            with opened() as session:
                submit(session, hub, study.id, agency, encoded, copy)
        records = build_study(opened, hub, study.id, officer, at, cipher)
        with opened() as session:
            answers.append(ask(session, hub, study.id, analyst, QUESTION, "the demo's question", at))
    shown, private = answers
    with opened() as session:
        shown = _reviewed(session, shown, (officer, dss_officer), at)
        held = ask(session, hub, STUDY, analyst, HELD_QUESTION, "the demo's second question", at)
    reasons = tuple(str(r) for r in held.result.get("review", {}).get("reasons", ()))
    return StudyShown(STUDY, QUESTION, shown.result, shown.ledger_seq, records, private.result,
                      private.ledger_seq, held.release_id if reasons else 0, reasons)


def _reviewed(session: Session, answer: Answer, reviewers: tuple[str, str], at: datetime) -> Answer:
    """A release held for review, approved by both reviewers (each a ledger entry; the second writes
    the release's entry naming both), as the analyst then sees it."""
    if "review" not in answer.result:
        return answer
    for reviewer in reviewers:
        decide(session, STUDY, answer.release_id, reviewer, True, CHECKED, at)
    release = get_release(session, STUDY, answer.release_id)
    assert release is not None
    return Answer(release.id, release.ledger_seq, release.result)
