"""A family signs a consent on its own page (34 CFR 99.30): the parent of a minor, or the eligible
student, chooses who may receive which of the child's school records, why, and until when, reads the
consent as it will read, and signs it. The signature is electronic (99.30(d)): the family's signed-in,
password-authenticated session identifies the signer, and the explicit act of signing shows approval.

What may be chosen is never free text: the agencies that could receive this child's records from the
school under a data-sharing agreement in force, the purposes of those agreements (research excepted:
a study rests on its agreement, not on a consent, 34 CFR 99.31(a)(6)), and the school's FERPA records
those agreements name. The consent is recorded by the same path the records officer's recording takes
(accord.workflows.governance.record_new_consent): the same domain checks, the same ledger entry."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from uuid import uuid4

from sqlalchemy.orm import Session

from accord.domain.agencies import Agency, Role, User
from accord.domain.agreements import Agreement, AgreementLayer
from accord.domain.consents import (
    Consent,
    ConsentForm,
    ConsentMethod,
    SignerRole,
    Statement,
    field_defects,
    signer_defects,
)
from accord.domain.elements import CATALOG, Sensitivity
from accord.domain.purposes import Purpose
from accord.store.repositories.agencies import get_agency
from accord.store.repositories.agreements import list_agreements
from accord.store.repositories.students import get_student
from accord.workflows.family import NotYourChild, require_child
from accord.workflows.governance import record_new_consent

SIGNER_OF = {Role.PARENT: SignerRole.PARENT, Role.ELIGIBLE_STUDENT: SignerRole.STUDENT}
FERPA_RECORDS = frozenset({Sensitivity.DIRECTORY, Sensitivity.EDUCATION_RECORD})  # what a FERPA form covers
DEFAULT_DAYS = 365  # a year, unless the agreements end sooner


@dataclass(frozen=True, slots=True)
class Choices:
    """What the family may choose from, and the last day the consent may run to (None: no limit)."""

    school_id: str
    recipients: tuple[Agency, ...]  # by name
    purposes: tuple[Purpose, ...]
    records: tuple[str, ...]  # catalog codes
    latest_end: date | None
    default_end: date
    purposes_of: dict[str, frozenset[Purpose]]  # agency id -> the purposes its agreements carry


@dataclass(frozen=True, slots=True)
class Chosen:
    """The family's choices as the form sends them (text: the workflow checks them)."""

    recipient_agency_ids: tuple[str, ...] = ()
    purposes: tuple[str, ...] = ()
    data_elements: tuple[str, ...] = ()
    ends_on: str = ""


@dataclass(frozen=True, slots=True)
class Problem:
    field: str  # recipient_agency_ids, purposes, data_elements, ends_on, or another field of the consent
    text: str  # in the domain's words; the page says it plainly


def _consentable(agreements: list[Agreement], school_id: str, on: date) -> list[Agreement]:
    return [a for a in agreements if a.layer is AgreementLayer.DATA_SHARING_AGREEMENT and a.in_force(on)
            and school_id in a.source_agency_ids
            and a.purposes - {Purpose.RESEARCH_EVALUATION} and a.recipient_agency_ids - {school_id}]


def consent_choices(session: Session, user: User, student_id: str, on: date) -> Choices:
    """What this family may consent to for this child on `on` (NotYourChild for another's child)."""
    require_child(session, user, student_id, on)
    student = get_student(session, student_id)
    if student is None:  # require_child found the child: only a concurrent removal reaches here
        raise NotYourChild("no such student among yours").coded("not_your_child")
    school = student.school_agency_id
    usable = _consentable(list_agreements(session), school, on)
    purposes_of: dict[str, set[Purpose]] = {}
    for a in usable:
        for agency_id in a.recipient_agency_ids - {school}:
            purposes_of.setdefault(agency_id, set()).update(a.purposes - {Purpose.RESEARCH_EVALUATION})
    agencies = [x for x in (get_agency(session, i) for i in purposes_of) if x is not None]
    records = {code for a in usable for code in a.data_elements
               if code in CATALOG and CATALOG[code].sensitivity in FERPA_RECORDS}
    ends = [a.ends_on for a in usable]
    latest = None if not ends or None in ends else max(e for e in ends if e is not None)
    default = on + timedelta(days=DEFAULT_DAYS)
    return Choices(school, tuple(sorted(agencies, key=lambda x: (x.name, x.id))),
                   tuple(sorted({p for ps in purposes_of.values() for p in ps})), tuple(sorted(records)),
                   latest, default if latest is None else min(default, latest),
                   {k: frozenset(v) for k, v in purposes_of.items()})


def _end_problems(text: str, choices: Choices, on: date) -> tuple[date | None, list[Problem]]:
    try:
        ends_on = date.fromisoformat(text.strip())
    except ValueError:
        return None, [Problem("ends_on", "the end date is not a date")]
    if ends_on < on:
        return None, [Problem("ends_on", "the end date is in the past")]
    if choices.latest_end is not None and ends_on > choices.latest_end:
        return None, [Problem("ends_on", "the end date is after the agreements end")]
    return ends_on, []


def _choice_problems(chosen: Chosen, choices: Choices) -> list[Problem]:
    out = []
    recipients_ok = bool(chosen.recipient_agency_ids) and set(chosen.recipient_agency_ids) <= {
        a.id for a in choices.recipients}
    if not recipients_ok:
        out.append(Problem("recipient_agency_ids", "choose who may receive, among the agencies offered"))
    if not chosen.data_elements or not set(chosen.data_elements) <= set(choices.records):
        out.append(Problem("data_elements", "choose the records, among those offered"))
    reachable = {p.value for i in chosen.recipient_agency_ids for p in choices.purposes_of.get(i, ())}
    if not chosen.purposes or not set(chosen.purposes) <= {p.value for p in choices.purposes}:
        out.append(Problem("purposes", "choose why, among the purposes offered"))
    elif recipients_ok and not set(chosen.purposes) <= reachable:
        # A purpose none of the chosen agencies' agreements carries: the consent could never be used for it.
        out.append(Problem("purposes", "no agency chosen may receive records for one of these purposes"))
    return out


def draft_family_consent(session: Session, user: User, student_id: str, chosen: Chosen, at: datetime,
                         language: str) -> Consent | list[Problem]:
    """The consent as it will read once signed (signed today by this person, electronically), or
    every problem with the choices; nothing is recorded."""
    on = at.date()
    choices = consent_choices(session, user, student_id, on)  # refuses another family's child first
    ends_on, problems = _end_problems(chosen.ends_on, choices, on)
    problems = _choice_problems(chosen, choices) + problems
    if problems or ends_on is None:
        return problems
    consent_id = f"family-{uuid4().hex[:16]}"
    c = Consent(
        id=consent_id, student_id=student_id, signer_role=SIGNER_OF[user.role],
        data_elements=frozenset(chosen.data_elements), purposes=frozenset(map(Purpose, chosen.purposes)),
        recipient_agency_ids=frozenset(chosen.recipient_agency_ids), recipient_roles=frozenset(),
        signed_on=on, language=language, method=ConsentMethod.ELECTRONIC_SIGNATURE,
        # The e-signature's transaction: which consent, which signed-in account, when.
        evidence_ref=f"accord-session-signature {consent_id} by {user.id} at {at.isoformat()}",
        starts_on=on, ends_on=ends_on, forms=frozenset({ConsentForm.FERPA}),
        # What the text the family reads says beyond what, why and to whom (family/_consent.html).
        statements=frozenset({Statement.RIGHT_TO_REVOKE, Statement.EXPIRATION, Statement.DISCLOSER_NAMED}),
        signer_identity_verified=True, discloser_agency_id=choices.school_id)
    student = get_student(session, student_id)
    domain = [Problem(f, t) for f, t in field_defects(c)] + [Problem("signer_role", t)
                                                             for t in signer_defects(c, student)]
    return domain or c


def sign_family_consent(session: Session, user: User, student_id: str, chosen: Chosen, at: datetime,
                        language: str) -> Consent | list[Problem]:
    """Sign and record the consent (the records office's path: checked, stored, in the ledger as
    CONSENT_RECORDED by this person), or every problem, nothing recorded."""
    draft = draft_family_consent(session, user, student_id, chosen, at, language)
    if isinstance(draft, list):
        return draft
    return record_new_consent(session, draft, user.id, at)
