"""The records office's forms, checked as the command line checks their files: an agreement being
typed (what still stops it becoming active: `accord agreements validate`'s list, before it is saved)
and a consent to record (34 CFR 99.30, `accord consents record`), each problem tied to the field it
is about so that a form can show it there."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field as given
from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from accord.domain import agreement_rules as rules
from accord.domain.agencies import User
from accord.domain.agreements import MissingElement
from accord.domain.consents import Consent, Defect, defects_of, signer_defects_of
from accord.errors import AccordError
from accord.intake.agreement_document import agreement_from_data
from accord.intake.consent_document import consent_from_data
from accord.intake.json_document import DocumentInvalid
from accord.store.repositories.students import get_student
from accord.workflows.consent_desk import record_consent_document
from accord.workflows.governance import AlreadyRecorded, agreements_for

_FIELD = re.compile(r"field '(\w+)'")


@dataclass(frozen=True, slots=True)
class FieldProblem:
    """A problem beside its field: the checks' English text, and its code with the values it names
    (ids and dates typed), by which a page words it."""

    field: str
    text: str
    code: str = ""
    values: Mapping[str, str] = given(default_factory=dict)


def _named(err: AccordError) -> FieldProblem:
    """A refusal that names its field (`field 'x': ...`, as the document reader and the desk word it)."""
    found = _FIELD.search(str(err))
    return FieldProblem(found.group(1) if found else "", str(err), err.code, err.values)


def _of(defect: Defect) -> FieldProblem:
    return FieldProblem(defect.field, defect.text, defect.code, dict(defect.values))


def missing_in_draft(session: Session, officer: User, data: Any, on: date
                     ) -> list[MissingElement] | FieldProblem:
    """Every element that would stop the agreement being typed from becoming active on `on` (the
    rules `validate` applies to a stored draft); a field that cannot be read yet, instead."""
    try:
        agreement = agreement_from_data(data, "the agreement")
    except DocumentInvalid as err:
        return _named(err)
    # The parent only among the agreements the officer may read: the check says nothing of others'.
    parent = next((a for a in agreements_for(session, officer) if a.id == agreement.parent_id), None)
    return rules.activation_problems(agreement, parent, on)


def consent_form_problems(session: Session, officer: User, consent: Consent) -> list[FieldProblem]:
    """What keeps the consent off the record, field by field (the desk's own checks)."""
    student = get_student(session, consent.student_id)
    if student is None or student.school_agency_id != officer.agency_id:
        # Not echoed, and worded as for an unknown student: the id is the one identifier sent.
        return [FieldProblem("student_id", "no such student is registered at your school", "unknown_student")]
    return [_of(d) for d in defects_of(consent) + signer_defects_of(consent, student)]


def record_consent_form(session: Session, officer: User, data: Any, at: datetime
                        ) -> Consent | list[FieldProblem]:
    """Record the consent if nothing is wrong with it; else every problem, none recorded."""
    try:
        consent = consent_from_data(data, "the consent")
    except DocumentInvalid as err:
        return [_named(err)]
    problems = consent_form_problems(session, officer, consent)
    if problems:
        return problems
    try:
        return record_consent_document(session, officer, data, at)
    except AlreadyRecorded as err:  # an id already on record: nothing was written
        return [_named(err)]
