"""An Agreement from a JSON document (a file, or a request's body) whose keys are its field names.

Sets are JSON lists, dates ISO strings; `study` is an object with study_purpose, scope,
use_limited_to_purpose and identification_restricted; `signatures` (and
`non_redisclosure_certification`) are objects with agency_id, signatory_title, signed_on.
A new agreement is always a draft: activation goes through `accord agreements activate`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from accord.domain.agencies import Role
from accord.domain.agreements import Agreement, AgreementLayer, Signature, StudyTerms
from accord.domain.purposes import LegalBasis, Purpose, StudyPurpose
from accord.intake.json_document import JsonFields, load_object


def _signature(f: JsonFields) -> Signature:
    return Signature(f.text("agency_id"), f.text("signatory_title"), f.day("signed_on"))


def _study(f: JsonFields | None) -> StudyTerms | None:
    if f is None:
        return None
    return StudyTerms(f.enum("study_purpose", StudyPurpose), f.text("scope", ""),
                      f.flag("use_limited_to_purpose"), f.flag("identification_restricted"))


def agreement_from_file(path: Path) -> Agreement:
    """Parse the file; missing optional elements stay empty so `validate` can list them."""
    return agreement_from_fields(load_object(path))


def agreement_from_data(data: Any, where: str) -> Agreement:
    """Parse a document already read (a request's JSON body); `where` names it in errors."""
    return agreement_from_fields(JsonFields(where, data))


def agreement_from_fields(f: JsonFields) -> Agreement:
    cert = f.object("non_redisclosure_certification")
    return Agreement(
        id=f.text("id"),
        title=f.text("title", ""),
        layer=f.enum("layer", AgreementLayer),
        source_agency_ids=frozenset(f.strings("source_agency_ids", [])),
        recipient_agency_ids=frozenset(f.strings("recipient_agency_ids", [])),
        purposes=f.enums("purposes", Purpose, []),
        legal_bases=f.enums("legal_bases", LegalBasis, []),
        data_elements=frozenset(f.strings("data_elements", [])),
        recipient_roles=f.enums("recipient_roles", Role, []),
        permitted_uses=f.text("permitted_uses", ""),
        effective_on=f.day("effective_on", None),
        ends_on=f.day("ends_on", None),
        destruction_deadline=f.day("destruction_deadline", None),
        destruction_method=f.text("destruction_method", ""),
        safeguards=tuple(f.strings("safeguards", [])),
        signatures=tuple(_signature(s) for s in f.objects("signatures")),
        version=f.integer("version", 1),
        parent_id=f.text("parent_id", None),
        study=_study(f.object("study")),
        state_statute=f.text("state_statute", None),
        non_redisclosure_certification=_signature(cert) if cert is not None else None,
        evaluates_education_program=f.flag("evaluates_education_program"),
        nsla_medicaid_election=f.flag("nsla_medicaid_election"),
        nsla_parent_notice_on=f.day("nsla_parent_notice_on", None),
    )
