"""Storing the demo county through the store's repositories, in one transaction.

The demo then reads every request's facts back with `load_facts`, so its decisions rest on
what the database actually holds, exactly as a real request's would.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from accord.ledger.entries import EntryKind
from accord.ledger.events import agreement_draft, consent_draft
from accord.policy.fact_index import FactIndex
from accord.store.db import make_session_factory, session_scope
from accord.store.migrate import downgrade_to_base, upgrade_to_head
from accord.store.repositories.agencies import list_agencies, save_agency, save_user
from accord.store.repositories.agreements import save_agreement
from accord.store.repositories.consents import add_consents
from accord.store.repositories.state_law import save_state_law
from accord.store.repositories.students import add_students
from accord.store.repositories.training import add_completions, save_course
from accord.synth import County
from accord.workflows.ledger import record

_OFFICE = "records-office"  # who entered the demo county's agreements and consents


def holds_data(engine: Engine) -> bool:
    """True when the database already has agencies registered (real data or an old demo).
    Brings the schema to head first, so an empty or older database can be asked."""
    upgrade_to_head(engine)
    with Session(engine) as session:
        return bool(list_agencies(session))


def reset(engine: Engine) -> None:
    """Drop every Accord table and create them empty; callers ask the user first."""
    downgrade_to_base(engine)
    upgrade_to_head(engine)


def store_county(engine: Engine, county: County) -> None:
    """Save the whole county in one transaction: all of it or nothing."""
    upgrade_to_head(engine)
    with session_scope(make_session_factory(engine)) as session:
        for agency in county.agencies:
            save_agency(session, agency)
        for user in county.users:
            save_user(session, user)
        for course in county.courses:
            save_course(session, course)
        add_completions(session, county.completions)
        add_students(session, county.students)
        for agreement in county.agreements:
            save_agreement(session, agreement)
        add_consents(session, county.consents)
        save_state_law(session, county.state_law)
        _record_authority(session, county)


def _record_authority(session: Session, county: County) -> None:
    """The ledger entries a records office would have made as the county's agreements and
    consents came in: activations, terminations, consents recorded and revoked."""
    for a in sorted(county.agreements, key=lambda a: (a.activated_on or county.as_of, a.id)):
        if a.activated_on is not None:
            record(session, agreement_draft(EntryKind.AGREEMENT_ACTIVATED, a, _OFFICE,
                                            a.activated_on))
        if a.terminated_on is not None:
            record(session, agreement_draft(EntryKind.AGREEMENT_TERMINATED, a, _OFFICE,
                                            a.terminated_on))
    for c in county.consents:
        signed = datetime.combine(c.signed_on or c.starts_on, datetime.min.time())
        record(session, consent_draft(EntryKind.CONSENT_RECORDED, c, _OFFICE, signed))
        if c.revoked_at is not None:
            record(session, consent_draft(EntryKind.CONSENT_REVOKED, c, _OFFICE, c.revoked_at))


def index_of(county: County) -> FactIndex:
    """A FactIndex straight from the county's domain objects (no store involved)."""
    return FactIndex.build(agencies=county.agencies, users=county.users,
                           students=county.students, agreements=county.agreements,
                           consents=county.consents, completions=county.completions,
                           state=county.state_law)
