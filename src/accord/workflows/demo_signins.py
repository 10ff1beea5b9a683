"""Sign-ins for the demo county's pages: one person of each role gets a password (and the records
officer and the administrator a second factor), and two family accounts are tied to featured
children, so that a newcomer can open every page after `make demo`. Synthetic people only; the
passwords are made afresh for each demo and shown once (and kept in the demo's own file)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from accord.store.repositories.consents import get_consent
from accord.workflows.family import record_guardianship
from accord.workflows.signin import enable_second_factor, set_password

OFFICER = "ro.lea.1"
# (user, what they do in the demo): one of each role the pages serve.
PEOPLE = (
    (OFFICER, "records officer of the school district"),
    ("admin.lea.1", "administrator of the school district"),
    ("cw.health.1", "caseworker at the health department"),
    ("ew.lea.1", "eligibility worker (school meals)"),
    ("an.univ.1", "analyst of the university's study"),
    ("parent.lea.1", "parent of two featured children"),
    ("student.lea.1", "eligible student (16, in college classes)"),
)
# Whose family each family account is: the children of featured consents (accord.synth). The
# eligible student is the one in college classes, whose rights are hers whatever the day of the
# month (the hub knows only the month a student turns 18, ADR 0016).
FAMILY = {"parent.lea.1": ("ferpa-featured-consented", "ferpa-featured-revoked"),
          "student.lea.1": ("ferpa-featured-dual",)}


@dataclass(frozen=True, slots=True)
class DemoSignIn:
    user: str
    role: str
    password: str
    second_factor: str | None  # the TOTP key, for an authenticator app


def open_demo_sign_ins(session: Session, at: datetime) -> list[DemoSignIn]:
    """Passwords (and second factors) for PEOPLE, and the family accounts' children recorded."""
    for account, consents in FAMILY.items():
        for consent_id in consents:
            consent = get_consent(session, consent_id)
            if consent is not None:
                record_guardianship(session, OFFICER, account, consent.student_id, at)
    made = []
    for user, role in PEOPLE:
        password = secrets.token_urlsafe(12)
        set_password(session, user, password)
        factor = enable_second_factor(session, user) if user in (OFFICER, "admin.lea.1") else None
        made.append(DemoSignIn(user, role, password, factor))
    return made
