""""What would be shared": for a consent or an agreement, what each recipient could receive
for each purpose. It asks the real decision engine, so the preview can never promise more
than decide() would release."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime

from accord.domain.agencies import Agency, Role, User
from accord.domain.agreements import Agreement, AgreementLayer
from accord.domain.consents import Consent
from accord.domain.elements import CATALOG
from accord.domain.purposes import LegalBasis, OutputForm, Purpose
from accord.domain.students import Student
from accord.domain.training import Completion
from accord.policy.decide import decide
from accord.policy.gates import PURPOSE_OUTPUTS, ROLE_OUTPUTS
from accord.policy.request import DisclosureRequest, Facts, StateLaw


@dataclass(frozen=True, slots=True)
class PreviewLine:
    recipient_agency_id: str
    role: Role
    purpose: Purpose
    source_agency_id: str
    fields: frozenset[str]
    bases: tuple[LegalBasis, ...]
    withheld_because: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class PreviewWorld:
    agencies: dict[str, Agency]
    agreements: tuple[Agreement, ...]
    consents: tuple[Consent, ...]
    state: StateLaw


def _output_for(role: Role, purpose: Purpose) -> OutputForm | None:
    usable = ROLE_OUTPUTS[role] & PURPOSE_OUTPUTS[purpose]
    for form in (OutputForm.CASE_RECORD, OutputForm.ELIGIBILITY_FLAG, OutputForm.STUDY_ENCLAVE,
                 OutputForm.AGGREGATE):
        if form in usable:
            return form
    return None


def preview_student(world: PreviewWorld, student: Student, at: datetime,
                    recipients: Iterable[str] | None = None) -> list[PreviewLine]:
    """For every agreement that could reach the student's record: what each permitted role at
    each recipient agency would receive, for each purpose, if it asked for everything.
    Lines where nothing would be released are left out.

    The requester is assumed trained, since training is about the person, not the record."""
    wanted = set(recipients) if recipients is not None else None
    lines: list[PreviewLine] = []
    seen: set[tuple[str, Role, Purpose, str]] = set()
    for ag in world.agreements:
        if ag.layer is AgreementLayer.ENTERPRISE_MEMORANDUM:
            continue  # the memorandum frames exchanges; agreements under it carry them
        for rec in sorted(ag.recipient_agency_ids):
            if wanted is not None and rec not in wanted:
                continue
            for source in sorted(ag.source_agency_ids):
                for purpose in sorted(ag.purposes):
                    for role in sorted(ag.recipient_roles):
                        key = (rec, role, purpose, source)
                        if key in seen:
                            continue
                        seen.add(key)
                        line = _ask(world, student, at, rec, role, purpose, source)
                        if line is not None and line.fields:
                            lines.append(line)
    return lines


def preview_consent(world: PreviewWorld, consent: Consent, student: Student,
                    at: datetime) -> list[PreviewLine]:
    """What the consent (with everything else on file) lets each named recipient receive."""
    with_consent = replace(world, consents=(*world.consents, consent)
                           if consent not in world.consents else world.consents)
    return [line for line in preview_student(with_consent, student, at,
                                             consent.recipient_agency_ids or None)
            if line.purpose in consent.purposes]


def _ask(world: PreviewWorld, student: Student, at: datetime, rec: str, role: Role,
         purpose: Purpose, source: str) -> PreviewLine | None:
    output = _output_for(role, purpose)
    if output is None or rec not in world.agencies or source not in world.agencies:
        return None
    who = User(f"preview:{rec}:{role.value}", rec, role)
    courses = world.state.required_course_ids
    completions = tuple(Completion(who.id, c, at.date(), date.max) for c in courses)
    request = DisclosureRequest(who.id, student.id, source, purpose, frozenset(CATALOG), at,
                                output=output)
    facts = Facts(who, world.agencies[rec], world.agencies[source], student,
                  world.agreements, world.consents, completions, world.state)
    d = decide(request, facts)
    return PreviewLine(rec, role, purpose, source, d.released, d.legal_bases,
                       tuple(sorted({r.text for r in d.failures if r.code != "outside_agreement"
                                     and r.code != "not_held"})))
