""""What would be shared": for a consent or an agreement, what each recipient could receive
for each purpose. It asks the real decision engine, so the preview can never promise more
than decide() would release."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime

from accord.domain.agencies import Agency, Program, Role, User
from accord.domain.agreements import Agreement, AgreementLayer
from accord.domain.consents import Consent
from accord.domain.elements import CATALOG
from accord.domain.purposes import LegalBasis, OutputForm, Purpose
from accord.domain.students import Student
from accord.domain.training import Completion
from accord.policy.decide import decide
from accord.policy.decision import Decision
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
    d = _decide_for(world, student, at, rec, role, purpose, source, output, {}, None)
    return PreviewLine(rec, role, purpose, source, d.released, d.legal_bases,
                       tuple(sorted({r.text for r in d.failures if r.code != "outside_agreement"
                                     and r.code != "not_held"})))


def _decide_for(world: PreviewWorld, student: Student, at: datetime, rec: str, role: Role,
                purpose: Purpose, source: str, output: OutputForm, conditions: dict[str, object],
                only: Agreement | None) -> Decision:
    """Ask decide() as a trained member of staff with this role at the recipient would."""
    who = User(f"preview:{rec}:{role.value}", rec, role)
    completions = tuple(Completion(who.id, c, at.date(), date.max)
                        for c in world.state.required_course_ids)
    request = DisclosureRequest(who.id, student.id, source, purpose, frozenset(CATALOG), at,
                                output=output, source_program=_certified_program(world, source),
                                **conditions)  # type: ignore[arg-type]
    agreements = world.agreements if only is None else _chain_of(world, only)
    facts = Facts(who, world.agencies[rec], world.agencies[source], student, agreements,
                  world.consents, completions, world.state)
    return decide(request, facts)


def _certified_program(world: PreviewWorld, source: str) -> Program | None:
    """A program of the source agency the state certifies school meals from: a request for the
    direct-certification flag names one, so the preview asks as such a request would."""
    usable = world.agencies[source].programs & world.state.direct_certification_programs
    return min(usable, default=None)


@dataclass(frozen=True, slots=True)
class AgreementPreviewLine:
    recipient_agency_id: str
    role: Role
    purpose: Purpose
    source_agency_id: str
    granted: frozenset[str]  # what the agreement (and those above it) lets this role receive
    without_consent: frozenset[str]  # what an exception allows when its conditions are met
    bases: tuple[LegalBasis, ...]


# For the agreement preview, the exceptions are assumed to be met (a threat is stated, the
# juvenile is not yet adjudicated); the line says which basis would carry each release.
_EXCEPTION_CONDITIONS: dict[Purpose, dict[str, object]] = {
    Purpose.HEALTH_SAFETY_EMERGENCY: {"threat": "an articulable and significant threat is stated"},
    Purpose.JUVENILE_JUSTICE: {"pre_adjudication": True},
}


def preview_agreement(world: PreviewWorld, agreement: Agreement,
                      at: datetime) -> list[AgreementPreviewLine]:
    """For each recipient, role and purpose of the agreement: what it grants, and what could
    go without anyone's consent (for a child with no consent on file and no opt-outs)."""
    lines = []
    child = Student("preview-child", next(iter(sorted(agreement.source_agency_ids)), ""))
    no_consents = replace(world, consents=())
    for rec in sorted(agreement.recipient_agency_ids):
        for source in sorted(agreement.source_agency_ids):
            for purpose in sorted(agreement.purposes):
                for role in sorted(agreement.recipient_roles):
                    output = _output_for(role, purpose)
                    if output is None or rec not in world.agencies:
                        continue
                    d = _decide_for(no_consents, replace(child, school_agency_id=source), at,
                                    rec, role, purpose, source, output,
                                    _EXCEPTION_CONDITIONS.get(purpose, {}), agreement)
                    lines.append(AgreementPreviewLine(
                        rec, role, purpose, source, _granted(world, agreement),
                        d.released, d.legal_bases))
    return lines


def _chain_of(world: PreviewWorld, agreement: Agreement) -> tuple[Agreement, ...]:
    """The agreement and every agreement above it (and nothing beside it)."""
    by_id = {a.id: a for a in world.agreements}
    chain = [agreement]
    while chain[-1].parent_id in by_id and len(chain) <= len(by_id):
        chain.append(by_id[chain[-1].parent_id])
    return tuple(chain)


def _granted(world: PreviewWorld, agreement: Agreement) -> frozenset[str]:
    return frozenset.intersection(*(a.data_elements for a in _chain_of(world, agreement)))
