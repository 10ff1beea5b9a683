"""What a family's page shows of a consent and of a request to see the records: plain values that
the templates put into words (family/_consent.html), dates in the reader's language."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime

from babel.dates import format_date

from accord.domain.agencies import Role
from accord.domain.consents import Consent
from accord.web.i18n import N_
from accord.web.plain_words import RECORDS, ROLES, said_yes


@dataclass(frozen=True, slots=True)
class ConsentCard:
    id: str
    said_yes: str  # the message, with %(school)s
    school: str
    records: list[str]  # messages (plain_words.RECORDS), translated in the template
    recipients: list[str]  # agency names (proper names, not translated) and role messages
    purposes: list[str]  # purpose codes (plain_words.PURPOSE_SENTENCES)
    signed_on: date | None
    ends_on: date | None
    status: str  # in_force, revoked, ended, not_started
    revoked_on: date | None
    in_force: bool


def _status(c: Consent, at: datetime) -> str:
    if c.revoked_at is not None and c.revoked_at <= at:
        return "revoked"
    if c.in_force(at):
        return "in_force"
    return "ended" if c.ends_on is not None and at.date() > c.ends_on else "not_started"


def consent_card(c: Consent, names: Mapping[str, str], reader: Role, at: datetime) -> ConsentCard:
    school = names.get(c.discloser_agency_id or "", "") or N_("The school")  # a name passes _() as it is
    recipients = sorted(names.get(a, a) for a in c.recipient_agency_ids)
    recipients += [ROLES[r] for r in sorted(c.recipient_roles)]
    return ConsentCard(
        id=c.id, said_yes=said_yes(c.signer_role.value, reader), school=school,
        records=sorted(RECORDS.get(code, code) for code in c.data_elements),
        recipients=recipients, purposes=sorted(p.value for p in c.purposes), signed_on=c.signed_on,
        ends_on=c.ends_on, status=_status(c, at),
        revoked_on=c.revoked_at.date() if c.revoked_at is not None else None, in_force=c.in_force(at))


def date_words(lang: str) -> Callable[[date | None], str]:
    """A day as people write it in `lang` ("May 24, 2027", "24 de mayo de 2027")."""
    def words(d: date | None) -> str:
        return format_date(d, format="long", locale=lang) if d is not None else ""
    return words
