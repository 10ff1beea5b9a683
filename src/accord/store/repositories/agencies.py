"""Agencies (with their programs) and the users who act for them."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from accord.domain.agencies import Agency, AgencyKind, Program, Role, User
from accord.store.errors import guarded
from accord.store.models import AgencyProgramRow, AgencyRow, AgencySchoolRow, UserRow


def _agency(row: AgencyRow) -> Agency:
    return Agency(id=row.id, name=row.name, kind=AgencyKind(row.kind),
                  programs=frozenset(Program(p.program) for p in row.programs),
                  schools=frozenset(s.school_id for s in row.schools))


def _user(row: UserRow) -> User:
    return User(id=row.id, agency_id=row.agency_id, role=Role(row.role),
                display_name=row.display_name)


@guarded("saving an agency")
def save_agency(session: Session, agency: Agency) -> Agency:
    """Insert or replace an agency, its programs and its schools."""
    row = session.get(AgencyRow, agency.id)
    if row is None:
        row = AgencyRow(id=agency.id)
        session.add(row)
    row.name, row.kind = agency.name, agency.kind.value
    wanted = {p.value for p in agency.programs}
    row.programs = [p for p in row.programs if p.program in wanted] + [
        AgencyProgramRow(agency_id=agency.id, program=p)
        for p in sorted(wanted - {p.program for p in row.programs})
    ]
    row.schools = [s for s in row.schools if s.school_id in agency.schools] + [
        AgencySchoolRow(agency_id=agency.id, school_id=s)
        for s in sorted(agency.schools - {s.school_id for s in row.schools})
    ]
    session.flush()
    return _agency(row)


def get_agency(session: Session, agency_id: str) -> Agency | None:
    """The agency, or None when it is not registered."""
    row = session.get(AgencyRow, agency_id)
    return _agency(row) if row is not None else None


def list_agencies(session: Session) -> list[Agency]:
    """Every agency, by id."""
    return [_agency(r) for r in session.scalars(select(AgencyRow).order_by(AgencyRow.id))]


@guarded("saving a user")
def save_user(session: Session, user: User) -> User:
    """Insert or replace a user; the agency must already be registered."""
    session.merge(UserRow(id=user.id, agency_id=user.agency_id, role=user.role.value,
                          display_name=user.display_name))
    session.flush()
    return user


def get_user(session: Session, user_id: str) -> User | None:
    """The user, or None when unknown."""
    row = session.get(UserRow, user_id)
    return _user(row) if row is not None else None


def list_users(session: Session, agency_id: str | None = None) -> list[User]:
    """Every user (of one agency, when given), by id."""
    query = select(UserRow).order_by(UserRow.id)
    if agency_id is not None:
        query = query.where(UserRow.agency_id == agency_id)
    return [_user(r) for r in session.scalars(query)]
