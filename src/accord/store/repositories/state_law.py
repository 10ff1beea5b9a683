"""The state's choices the federal rules defer to: a single settings row."""

from __future__ import annotations

from sqlalchemy import Table, select
from sqlalchemy.orm import Session

from accord.domain.agencies import Program
from accord.policy.request import StateLaw
from accord.store.models import StateLawRow

_ROW_ID = 1
_TABLE: Table = StateLawRow.__table__  # type: ignore[assignment]
# Built once, read as a plain row: every decision reads the settings (store/fact_reads.py says why).
_SETTINGS = select(_TABLE).where(_TABLE.c.id == _ROW_ID)


def get_state_law(session: Session) -> StateLaw:
    """The stored settings, or StateLaw's defaults when none were saved."""
    row = session.connection().execute(_SETTINGS).first()
    if row is None:
        return StateLaw()
    return StateLaw(minor_may_consent_to_sud_treatment=row.minor_may_consent_to_sud_treatment,
                    medicaid_meal_status_election=row.medicaid_meal_status_election,
                    required_course_ids=frozenset(row.required_course_ids),
                    medicaid_meal_notice_on=row.medicaid_meal_notice_on,
                    direct_certification_programs=frozenset(
                        Program(p) for p in row.direct_certification_programs),
                    recorded_in=row.recorded_in)


def save_state_law(session: Session, law: StateLaw) -> StateLaw:
    """Replace the settings."""
    session.merge(StateLawRow(
        id=_ROW_ID, minor_may_consent_to_sud_treatment=law.minor_may_consent_to_sud_treatment,
        medicaid_meal_status_election=law.medicaid_meal_status_election,
        required_course_ids=list(law.required_course_ids),
        medicaid_meal_notice_on=law.medicaid_meal_notice_on,
        direct_certification_programs=[p.value for p in law.direct_certification_programs],
        recorded_in=law.recorded_in))
    session.flush()
    return law
