"""A small county for the records office's pages and dashboard: the decision table's agencies and
students (tests/spec/world.py), the school's records officer (ro.lea) and the university's (ro.univ),
agreements ending at known distances from today, consents of the school's students in each state,
and a signed ledger root. Dates are relative to today, so that "ending within 60 days" holds."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy.orm import Session

from accord.api.deps import now
from accord.config import Settings
from accord.domain.agencies import Role, User
from accord.domain.agreements import Agreement, AgreementStatus
from accord.store.db import make_engine, make_session_factory, session_scope
from accord.store.migrate import upgrade_to_head
from accord.store.repositories.agencies import save_agency, save_user
from accord.store.repositories.agreements import save_agreement
from accord.store.repositories.students import save_student
from accord.workflows import ledger as ledger_flow
from accord.workflows.governance import record_consent, revoke_consent
from tests.spec import world
from tests.web.pages_client import PASSWORD, give_sign_ins

USERS = (User("ro.lea", "lea", Role.RECORDS_OFFICER), User("ro.univ", "univ", Role.RECORDS_OFFICER),
         User("admin.lea", "lea", Role.ADMINISTRATOR), User("cw.health", "health", Role.CASEWORKER),
         User("parent.1", "lea", Role.PARENT))
SECOND_FACTOR = ("ro.lea", "ro.univ", "admin.lea")
# Agreements as of today: one ending soon, one terminated (its data to destroy), one the school is
# no party to (ending soon too: the school's officer must not see it).
SOON, ENDED, OTHERS = "dsa-ends-soon", "dsa-ended", "dsa-health-cws"
# Consents of the school's student stu-minor: two in force (one ending within 30 days), one revoked.
IN_FORCE, ENDING, REVOKED = "c-in-force", "c-ending", "c-revoked"


def _agreements(today: datetime) -> list[Agreement]:
    day = today.date()
    base = world.AGREEMENTS["dsa-health"]
    return [
        world.EM,
        replace(base, id=SOON, title="Ends soon", ends_on=day + timedelta(days=20)),
        replace(base, id=ENDED, title="Ended", status=AgreementStatus.TERMINATED,
                terminated_on=day - timedelta(days=5)),
        replace(base, id=OTHERS, title="Not the school's", source_agency_ids=frozenset({"health"}),
                recipient_agency_ids=frozenset({"cws"}), ends_on=day + timedelta(days=10)),
        world.AGREEMENTS["dsa-research"],
    ]


def build(root: Path) -> tuple[Settings, dict[str, str]]:
    """The county in `root`'s database; the settings to serve it, and the second factors' keys."""
    settings = Settings(data_dir=root, database_url=f"sqlite:///{root / 'accord.db'}")
    engine = make_engine(settings.database_url)
    upgrade_to_head(engine)
    at = now()
    with session_scope(make_session_factory(engine)) as session:
        for agency in world.AGENCIES.values():
            save_agency(session, agency)
        for user in USERS:
            save_user(session, user)
        secrets = give_sign_ins(session, [user.id for user in USERS], SECOND_FACTOR, PASSWORD)
        for student in world.STUDENTS.values():
            save_student(session, student)
        for agreement in _agreements(at):
            save_agreement(session, agreement)
        _consents(session, at)
        ledger_flow.checkpoint(session, ledger_flow.signing_key(settings.ledger_key_file, create=True),
                               settings.witness_dir)
    engine.dispose()
    return settings, secrets


def _consents(session: Session, at: datetime) -> None:
    day = at.date()
    dates = {"signed_on": day - timedelta(days=40), "starts_on": day - timedelta(days=40)}
    for cid, ends in ((IN_FORCE, 200), (ENDING, 10), (REVOKED, 200)):
        c = world._consent(cid, "stu-minor", {"attendance"}, "health", **dates,  # noqa: SLF001
                           ends_on=day + timedelta(days=ends))
        record_consent(session, c, "ro.lea", at - timedelta(days=30))
    revoke_consent(session, REVOKED, at - timedelta(days=1), "ro.lea")
