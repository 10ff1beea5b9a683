"""Written agreements: what data, for what use, for how long, destroyed when.

Three layers, as integrated data systems use them: an enterprise memorandum signed by every
agency, a data-sharing agreement per partner under it, a data-use licence per project under
that. A lower layer can never grant more than the layer above it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from accord.domain.agencies import Role
from accord.domain.purposes import LegalBasis, Purpose, StudyPurpose
from accord.errors import AccordError


class AgreementLayer(StrEnum):
    ENTERPRISE_MEMORANDUM = "enterprise_memorandum"
    DATA_SHARING_AGREEMENT = "data_sharing_agreement"
    DATA_USE_LICENCE = "data_use_licence"


PARENT_LAYER: dict[AgreementLayer, AgreementLayer | None] = {
    AgreementLayer.ENTERPRISE_MEMORANDUM: None,
    AgreementLayer.DATA_SHARING_AGREEMENT: AgreementLayer.ENTERPRISE_MEMORANDUM,
    AgreementLayer.DATA_USE_LICENCE: AgreementLayer.DATA_SHARING_AGREEMENT,
}


class AgreementStatus(StrEnum):
    DRAFT = "draft"
    ACTIVE = "active"
    EXPIRED = "expired"
    TERMINATED = "terminated"
    DESTRUCTION_CERTIFIED = "destruction_certified"


@dataclass(frozen=True, slots=True)
class Signature:
    agency_id: str
    signatory_title: str  # the office that signed, e.g. "Superintendent"
    signed_on: date


@dataclass(frozen=True, slots=True)
class StudyTerms:
    """What 34 CFR 99.31(a)(6)(iii)(C) requires a study agreement to state."""

    study_purpose: StudyPurpose
    scope: str
    use_limited_to_purpose: bool
    identification_restricted: bool  # no one but the study's representatives can identify


@dataclass(frozen=True, slots=True)
class Agreement:
    id: str
    title: str
    layer: AgreementLayer
    source_agency_ids: frozenset[str]
    recipient_agency_ids: frozenset[str]
    purposes: frozenset[Purpose]
    legal_bases: frozenset[LegalBasis]
    data_elements: frozenset[str]
    recipient_roles: frozenset[Role]
    permitted_uses: str
    effective_on: date | None
    ends_on: date | None
    destruction_deadline: date | None
    destruction_method: str
    safeguards: tuple[str, ...]
    signatures: tuple[Signature, ...] = ()
    version: int = 1
    parent_id: str | None = None
    status: AgreementStatus = AgreementStatus.DRAFT
    activated_on: date | None = None
    terminated_on: date | None = None
    destruction_certified_on: date | None = None
    study: StudyTerms | None = None
    state_statute: str | None = None  # juvenile justice: the statute that allows the sharing
    non_redisclosure_certification: Signature | None = None  # 34 CFR 99.38(b)
    evaluates_education_program: bool = False  # 34 CFR 99.35(a)(1)
    nsla_medicaid_election: bool = False  # state elected to disclose meal status to Medicaid
    nsla_parent_notice_on: date | None = None
    amendment_note: str = ""

    @property
    def parties(self) -> frozenset[str]:
        return self.source_agency_ids | self.recipient_agency_ids

    def status_on(self, on: date) -> AgreementStatus:
        """The status as of a day: an active agreement past its end date has expired."""
        if self.status is AgreementStatus.ACTIVE:
            if self.ends_on is not None and on > self.ends_on:
                return AgreementStatus.EXPIRED
            if self.effective_on is not None and on < self.effective_on:
                return AgreementStatus.DRAFT
        return self.status

    def in_force(self, on: date) -> bool:
        return self.status_on(on) is AgreementStatus.ACTIVE


@dataclass(frozen=True, slots=True)
class MissingElement:
    code: str
    text: str
    citation: str


class AgreementNotReady(AccordError, ValueError):
    """Activation refused; `missing` lists every element that is absent."""

    exit_code = 1

    def __init__(self, agreement_id: str, missing: list[MissingElement]) -> None:
        self.missing = missing
        lines = "; ".join(f"{m.text} ({m.citation})" for m in missing)
        super().__init__(f"agreement {agreement_id} cannot be activated: {lines}")


class AgreementTransitionError(AccordError, ValueError):
    """A lifecycle step that the agreement's current status does not allow."""

    exit_code = 1
