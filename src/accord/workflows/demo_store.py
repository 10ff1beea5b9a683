"""Storing the demo county through the store's repositories, in one transaction.

The demo then reads every request's facts back with `load_facts`, so its decisions rest on
what the database actually holds, exactly as a real request's would.
"""

from __future__ import annotations

from sqlalchemy import Engine
from sqlalchemy.orm import Session

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


def holds_data(engine: Engine) -> bool:
    """True when the database already has agencies registered (real data or an old demo)."""
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


def index_of(county: County) -> FactIndex:
    """A FactIndex straight from the county's domain objects (no store involved)."""
    return FactIndex.build(agencies=county.agencies, users=county.users,
                           students=county.students, agreements=county.agreements,
                           consents=county.consents, completions=county.completions,
                           state=county.state_law)
