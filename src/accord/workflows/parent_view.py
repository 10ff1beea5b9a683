"""The parent view of the disclosure ledger: every entry about one student, in plain language.

Reads only the ledger, agency names and the student's consents (for the date and signer of
each); never the student record, so no name, birth date or address can reach the page.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from accord.ledger.plain_language import history_lines
from accord.ledger.plain_words import HistoryLine, Reader
from accord.store.repositories.agencies import list_agencies
from accord.store.repositories.consents import consents_for_student
from accord.store.repositories.ledger import entries_for_student


def disclosure_history(session: Session, student_id: str, reader: Reader = "parent",
                       language: str = "en") -> list[HistoryLine]:
    """One sentence per ledger entry about the student, oldest first (empty when none), in
    `language` ("en" or "es"; any other is a ValueError)."""
    entries = entries_for_student(session, student_id)
    if not entries:
        return []
    names = {a.id: a.name for a in list_agencies(session)}
    consents = consents_for_student(session, student_id)
    signed = {c.id: c.signed_on for c in consents if c.signed_on is not None}
    signers = {c.id: c.signer_role.value for c in consents}
    return history_lines(entries, names, signed, reader, signers, language)
