"""The state-law settings the rules depend on: read by anyone signed in (every decision cites
them), changed only by a records officer, each change a ledger entry (the same workflow as
`accord state-law set`)."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel

from accord.api.deps import CurrentUser, SessionDep, guarded, now
from accord.domain.agencies import Program, Role
from accord.workflows.state_law import change_state_law, current_state_law, state_law_record

router = APIRouter(prefix="/state-law", tags=["state law"])


class StateLawChange(BaseModel):
    """The settings to change; one left out stays as it is."""

    medicaid_meal_status_election: bool | None = None
    medicaid_meal_notice_on: date | None = None
    direct_certification_programs: list[Program] | None = None
    minor_may_consent_to_sud_treatment: bool | None = None


@router.get("", **guarded())
def show(session: SessionDep) -> dict[str, Any]:
    """The state's settings the rules depend on, and the ledger entry that recorded them."""
    return state_law_record(current_state_law(session))


@router.patch("", **guarded(Role.RECORDS_OFFICER))
def change(session: SessionDep, user: CurrentUser, given: StateLawChange) -> dict[str, Any]:
    """Change the settings given (the others stay); the change is a ledger entry."""
    programs = given.direct_certification_programs
    law = change_state_law(
        session, user.id, now(), medicaid_meal_status_election=given.medicaid_meal_status_election,
        medicaid_meal_notice_on=given.medicaid_meal_notice_on,
        direct_certification_programs=None if programs is None else frozenset(programs),
        minor_may_consent_to_sud_treatment=given.minor_may_consent_to_sud_treatment)
    return state_law_record(law)
