"""Agencies and their people through the service: the agencies (public facts of the programme),
and an administrator's own agency's users, registered or listed. An administrator registers people
of their own agency only, and no one as an administrator (that stays with the command line, run by
whoever runs the hub)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from accord.domain.agencies import Role, User
from accord.errors import AccordError
from accord.store.repositories.agencies import get_user
from accord.workflows.registry import register_user, users


class RegistrationRefused(AccordError, PermissionError):
    """A registration an administrator may not make."""


def staff_of(session: Session, admin: User) -> list[User]:
    return users(session, admin.agency_id)


def register_staff(session: Session, admin: User, user_id: str, role: Role, name: str) -> User:
    if role is Role.ADMINISTRATOR:
        raise RegistrationRefused("administrators are registered at the hub's command line")
    existing = get_user(session, user_id)
    if existing is not None and existing.agency_id != admin.agency_id:
        raise RegistrationRefused("that login name is taken")
    if existing is not None and existing.role is Role.ADMINISTRATOR:
        raise RegistrationRefused("administrators are changed at the hub's command line")
    return register_user(session, User(user_id, admin.agency_id, role, name))
