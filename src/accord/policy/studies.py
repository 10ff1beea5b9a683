"""The policy for studies: may this study's table be built, may this analyst ask it a question?

Pure, default-deny, every failed condition listed with its citation, like `decide`. A study's
table is a disclosure into the hub's enclave under the studies or audit/evaluation exception; what
an analyst receives is only an aggregate that passed disclosure control (de-identified, 34 CFR
99.31(b)(1)). Both rest on the same conditions: the agreement (and every layer above it) in force,
with the right legal basis, purpose and elements; every contributing agency's approval of this
version of the study; and, for a question, a named analyst with current training.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from accord.domain.agencies import Role, User
from accord.domain.agreements import Agreement, AgreementStatus
from accord.domain.purposes import LegalBasis, Purpose
from accord.domain.studies import Study, StudyStatus
from accord.domain.training import Completion, missing_courses
from accord.policy.decision import Decision, Effect, Reason
from accord.policy.obligations import LEDGER_ENTRY

_AGREEMENT = "34 CFR 99.31(a)(6)(iii)(C); 99.35(a)(3)"
_STUDIES = LegalBasis.STUDIES.citation
_AUDIT = LegalBasis.AUDIT_EVALUATION.citation
_REVIEW = "Accord: every contributing agency approves the study (data-request review)"
_TRAINING = "Accord: current privacy training"
_ANALYST = "34 CFR 99.31(a)(6)(iii)(A): only the organization's representatives with legitimate interests"


@dataclass(frozen=True, slots=True)
class StudyFacts:
    """Everything the study policy may look at."""

    agreements: dict[str, Agreement]  # the study's agreement and every layer above it, by id
    approvals: frozenset[str]  # agencies that approved the study's current version
    analyst: User | None = None
    analyst_completions: tuple[Completion, ...] = ()
    required_courses: frozenset[str] = frozenset({"ferpa-basics"})


def _chain(study: Study, facts: StudyFacts) -> list[Agreement]:
    chain, seen = [], set()
    current = facts.agreements.get(study.agreement_id)
    while current is not None and current.id not in seen:
        chain.append(current)
        seen.add(current.id)
        current = facts.agreements.get(current.parent_id) if current.parent_id else None
    return chain


def _agreement_reasons(study: Study, facts: StudyFacts, on: date) -> tuple[list[Reason], LegalBasis | None]:
    chain = _chain(study, facts)
    if not chain:
        missing = Reason("agreement", f"agreement {study.agreement_id} is not on file", _AGREEMENT, False)
        return [missing], None
    reasons = []
    for ag in chain:
        status = ag.status_on(on)
        if status is not AgreementStatus.ACTIVE:
            reasons.append(Reason("agreement", f"agreement {ag.id} is {status.value}", _AGREEMENT, False))
    ag = chain[0]
    elements = frozenset.intersection(*(a.data_elements for a in chain))
    outside = sorted(study.elements - elements)
    if outside:
        reasons.append(Reason("outside_agreement", f"not among agreement {ag.id}'s data elements: "
                              f"{', '.join(outside)}", _AGREEMENT, False))
    if Purpose.RESEARCH_EVALUATION not in ag.purposes:
        reasons.append(Reason("purpose", f"agreement {ag.id} does not cover research or evaluation",
                              _AGREEMENT, False))
    basis = None
    if LegalBasis.STUDIES in ag.legal_bases and ag.study is not None:
        basis = LegalBasis.STUDIES
    elif LegalBasis.AUDIT_EVALUATION in ag.legal_bases and ag.evaluates_education_program:
        basis = LegalBasis.AUDIT_EVALUATION
    else:
        reasons.append(Reason("study_basis", f"agreement {ag.id} rests on neither the studies exception "
                              "(with its study terms) nor audit or evaluation of an education program",
                              f"{_STUDIES}; {_AUDIT}", False))
    strangers = sorted(study.contributors - ag.source_agency_ids)
    if strangers:
        reasons.append(Reason("study_sources", f"agreement {ag.id} does not name as sources: "
                              f"{', '.join(strangers)}", _AGREEMENT, False))
    return reasons, basis


def study_decision(study: Study, facts: StudyFacts, on: date, *, question: bool) -> Decision:
    """Whether the study's table may be built (`question` False) or its analyst `facts.analyst`
    may ask it a question (`question` True), with every reason."""
    reasons, basis = _agreement_reasons(study, facts, on)
    waiting = sorted(study.contributors - facts.approvals)
    if waiting:
        reasons.append(Reason("study_review", f"version {study.version} of the study is not approved by: "
                              f"{', '.join(waiting)}", _REVIEW, False))
    if not study.in_force(on):
        reasons.append(Reason("study_period", f"the study runs {study.starts_on} to {study.ends_on}",
                              _AGREEMENT, False))
    if study.status is StudyStatus.DESTROYED:
        reasons.append(Reason("study_destroyed", "the study's data was destroyed", _AGREEMENT, False))
    if question:
        reasons += _analyst_reasons(study, facts, on)
    failed = [r for r in reasons if not r.holds]
    if failed or basis is None:
        return Decision(Effect.DENY, frozenset(), (), tuple(failed), (LEDGER_ENTRY,), study.agreement_id)
    released = study.elements
    base = LegalBasis.DE_IDENTIFIED if question else basis
    held = Reason("study", f"agreement {study.agreement_id} is in force under {basis.citation}; every "
                  "contributing agency approved this version", basis.citation, True)
    return Decision(Effect.PERMIT, released, tuple((f, base) for f in sorted(released)), (held,),
                    (LEDGER_ENTRY,), study.agreement_id)


def _analyst_reasons(study: Study, facts: StudyFacts, on: date) -> list[Reason]:
    user = facts.analyst
    if user is None:
        return [Reason("unknown_party", "the analyst is not registered in Accord", "Accord default deny",
                       False)]
    reasons = []
    if user.id not in study.analysts or user.role is not Role.ANALYST:
        reasons.append(Reason("study_analyst", f"{user.id} is not one of the study's named analysts",
                              _ANALYST, False))
    missing = missing_courses(facts.analyst_completions, facts.required_courses, on)
    if missing:
        reasons.append(Reason("training", f"the analyst has no current completion of: {', '.join(missing)}",
                              _TRAINING, False))
    if study.status is not StudyStatus.BUILT:
        reasons.append(Reason("study_not_built", f"the study is {study.status.value}, not built",
                              _AGREEMENT, False))
    return reasons
