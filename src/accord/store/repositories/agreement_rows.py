"""Mapping between Agreement and its rows (the agreement, its parties, its signatures)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from accord.domain.agencies import Role
from accord.domain.agreements import (
    Agreement,
    AgreementLayer,
    AgreementStatus,
    Signature,
    StudyTerms,
)
from accord.domain.purposes import LegalBasis, Purpose, StudyPurpose
from accord.store.models import AgreementPartyRow, AgreementRow, SignatureRow


def to_row(a: Agreement, row: AgreementRow) -> AgreementRow:
    """Write every field of `a` onto `row` (whose child lists must be empty)."""
    row.id, row.version, row.title = a.id, a.version, a.title
    row.layer, row.status, row.parent_id = a.layer.value, a.status.value, a.parent_id
    row.purposes = [p.value for p in a.purposes]
    row.legal_bases = [b.value for b in a.legal_bases]
    row.data_elements = list(a.data_elements)
    row.recipient_roles = [r.value for r in a.recipient_roles]
    row.permitted_uses, row.safeguards = a.permitted_uses, list(a.safeguards)
    row.effective_on, row.ends_on = a.effective_on, a.ends_on
    row.destruction_deadline, row.destruction_method = a.destruction_deadline, a.destruction_method
    row.activated_on, row.terminated_on = a.activated_on, a.terminated_on
    row.destruction_certified_on = a.destruction_certified_on
    s = a.study
    row.study_purpose = s.study_purpose.value if s else None
    row.study_scope = s.scope if s else None
    row.study_use_limited_to_purpose = s.use_limited_to_purpose if s else None
    row.study_identification_restricted = s.identification_restricted if s else None
    row.state_statute = a.state_statute
    c = a.non_redisclosure_certification
    row.jj_certified_by_agency_id = c.agency_id if c else None
    row.jj_certified_by_title = c.signatory_title if c else None
    row.jj_certified_on = c.signed_on if c else None
    row.evaluates_education_program = a.evaluates_education_program
    row.nsla_medicaid_election = a.nsla_medicaid_election
    row.nsla_parent_notice_on = a.nsla_parent_notice_on
    row.amendment_note = a.amendment_note
    row.parties = [
        AgreementPartyRow(agreement_id=a.id, agreement_version=a.version, side=side, agency_id=ag)
        for side, ids in (("source", a.source_agency_ids), ("recipient", a.recipient_agency_ids))
        for ag in sorted(ids)
    ]
    row.signatures = [
        SignatureRow(agreement_id=a.id, agreement_version=a.version, position=i,
                     agency_id=sig.agency_id, signatory_title=sig.signatory_title,
                     signed_on=sig.signed_on)
        for i, sig in enumerate(a.signatures)
    ]
    return row


def to_domain(row: AgreementRow) -> Agreement:
    """The Agreement a row (with its loaded parties and signatures) stores."""
    return from_columns(row, row.parties, row.signatures)


def from_columns(row: Any, parties: Iterable[Any], signatures: Iterable[Any]) -> Agreement:
    """The Agreement from its columns (an ORM row or a Core row of the agreements table), its
    parties (`side`, `agency_id`) and its signatures in signing order (`agency_id`,
    `signatory_title`, `signed_on`): the policy's hot path reads them with Core statements."""
    parties = list(parties)
    study = None
    if row.study_purpose is not None:
        study = StudyTerms(StudyPurpose(row.study_purpose), row.study_scope or "",
                           bool(row.study_use_limited_to_purpose),
                           bool(row.study_identification_restricted))
    cert = None
    if row.jj_certified_by_agency_id is not None and row.jj_certified_on is not None:
        cert = Signature(row.jj_certified_by_agency_id, row.jj_certified_by_title or "",
                         row.jj_certified_on)
    return Agreement(
        id=row.id, title=row.title, layer=AgreementLayer(row.layer),
        source_agency_ids=frozenset(p.agency_id for p in parties if p.side == "source"),
        recipient_agency_ids=frozenset(p.agency_id for p in parties if p.side == "recipient"),
        purposes=frozenset(Purpose(p) for p in row.purposes),
        legal_bases=frozenset(LegalBasis(b) for b in row.legal_bases),
        data_elements=frozenset(row.data_elements),
        recipient_roles=frozenset(Role(r) for r in row.recipient_roles),
        permitted_uses=row.permitted_uses, effective_on=row.effective_on, ends_on=row.ends_on,
        destruction_deadline=row.destruction_deadline, destruction_method=row.destruction_method,
        safeguards=tuple(row.safeguards),
        signatures=tuple(Signature(s.agency_id, s.signatory_title, s.signed_on)
                         for s in signatures),
        version=row.version, parent_id=row.parent_id, status=AgreementStatus(row.status),
        activated_on=row.activated_on, terminated_on=row.terminated_on,
        destruction_certified_on=row.destruction_certified_on, study=study,
        state_statute=row.state_statute, non_redisclosure_certification=cert,
        evaluates_education_program=row.evaluates_education_program,
        nsla_medicaid_election=row.nsla_medicaid_election,
        nsla_parent_notice_on=row.nsla_parent_notice_on, amendment_note=row.amendment_note,
    )
