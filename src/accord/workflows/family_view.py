"""Everything a family's page about one child shows, in one call: the history (newest first), the
consents, who could receive what today, the family's requests to see the records, and the names of
the agencies these mention. Each part is the family workflow's own answer (accord.workflows.family),
so the page can never show more than the API would."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from accord.domain.agencies import User
from accord.domain.consents import Consent
from accord.domain.inspections import InspectionRequest
from accord.ledger.phrasebook import HISTORY_LANGUAGES
from accord.ledger.plain_words import HistoryLine
from accord.policy.preview import PreviewLine
from accord.store.repositories.agencies import list_agencies
from accord.workflows.family import NotYourChild, family_consents, family_history, family_preview
from accord.workflows.inspection_requests import family_requests


@dataclass(frozen=True, slots=True)
class ChildView:
    student_id: str
    history: list[HistoryLine]  # newest first
    consents: list[Consent]  # in force first, then by signing date, newest first
    preview: list[PreviewLine]
    inspections: list[InspectionRequest]  # newest first
    agency_names: dict[str, str]
    history_language: str = "en"  # the page's language when the ledger writes it, else English


def child_view(session: Session, user: User, student_id: str, at: datetime,
               language: str = "en") -> ChildView:
    """The page's parts; the history in `language`, the reader's, when the ledger writes it (else in
    English, and the page says so): the rest of the page the template translates."""
    on = at.date()
    language = language if language in HISTORY_LANGUAGES else "en"
    history = family_history(session, user, student_id, on, language)  # refuses another's child first
    consents = sorted(family_consents(session, user, student_id, on),
                      key=lambda c: (not c.in_force(at), -(c.signed_on or c.starts_on).toordinal(), c.id))
    return ChildView(student_id, sorted(history, key=lambda x: (x.on, x.seq), reverse=True), consents,
                     family_preview(session, user, student_id, at),
                     family_requests(session, user, student_id, on),
                     _agency_names(session), language)


def consent_view(session: Session, user: User, student_id: str, consent_id: str,
                 at: datetime) -> tuple[Consent, dict[str, str]]:
    """One of the child's consents (to confirm its revocation), and the names of the agencies."""
    for c in family_consents(session, user, student_id, at.date()):
        if c.id == consent_id:
            return c, _agency_names(session)
    raise NotYourChild("no such consent among your child's").coded("not_your_childs_consent")


def _agency_names(session: Session) -> dict[str, str]:
    return {a.id: a.name for a in list_agencies(session)}
