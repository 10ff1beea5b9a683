"""The state-law settings the rules depend on (issue 17), recorded by a records officer: each
change is a ledger entry, and the settings keep that entry's number, so every decision resting
on them can cite where they came from. Works in the caller's transaction."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from typing import Any, TypeVar

from sqlalchemy.orm import Session

from accord.domain.agencies import Program, Role
from accord.errors import AccordError
from accord.ledger.events import state_law_draft
from accord.policy.request import (
    DIRECT_CERTIFICATION_SOURCES,
    MANDATORY_DIRECT_CERTIFICATION,
    StateLaw,
)
from accord.store.repositories.agencies import get_user
from accord.store.repositories.state_law import get_state_law, save_state_law
from accord.workflows.ledger import record
from accord.workflows.registry import UnknownParty

T = TypeVar("T")


class NotARecordsOfficer(AccordError, PermissionError):
    """Only a records officer records the state's choices."""

    exit_code = 1


class StateLawInvalid(AccordError, ValueError):
    """Settings the statutes do not allow together; the message names the option, the code (`coded`)
    lets a page word it."""


def current_state_law(session: Session) -> StateLaw:
    """The settings in force, with the ledger entry that recorded them (None: the defaults)."""
    return get_state_law(session)


def state_law_record(law: StateLaw) -> dict[str, Any]:
    """The settings as JSON, the same from the command line (`--json`) and the service."""
    return {
        "medicaid_meal_status_election": law.medicaid_meal_status_election,
        "medicaid_meal_notice_on": law.medicaid_meal_notice_on.isoformat()
        if law.medicaid_meal_notice_on else None,
        "direct_certification_programs": sorted(p.value for p in law.direct_certification_programs),
        "minor_may_consent_to_sud_treatment": law.minor_may_consent_to_sud_treatment,
        "required_course_ids": sorted(law.required_course_ids),
        "recorded_in": law.recorded_in,
    }


def change_state_law(session: Session, by_user_id: str, at: datetime, *,
                     medicaid_meal_status_election: bool | None = None,
                     medicaid_meal_notice_on: date | None = None,
                     direct_certification_programs: frozenset[Program] | None = None,
                     minor_may_consent_to_sud_treatment: bool | None = None) -> StateLaw:
    """Change the settings given (None leaves one as it is), record the change in the ledger and
    keep that entry's number with the settings. Settings already recorded as given are left
    alone, with no entry; settings never recorded are recorded even when they equal the defaults,
    so that decisions cite the officer's record instead of Accord's default."""
    _require_records_officer(session, by_user_id)
    before = get_state_law(session)
    after = _changed(before, medicaid_meal_status_election, medicaid_meal_notice_on,
                     direct_certification_programs, minor_may_consent_to_sud_treatment)
    _check(after)
    if after == before and before.recorded_in is not None:
        return before
    entry = record(session, state_law_draft(before, after, by_user_id, at))
    return save_state_law(session, replace(after, recorded_in=entry.seq))


def _require_records_officer(session: Session, user_id: str) -> None:
    user = get_user(session, user_id)
    if user is None:
        raise UnknownParty(f"--by: no user {user_id!r} is registered").coded("no_such_user")
    if user.role is not Role.RECORDS_OFFICER:
        raise NotARecordsOfficer(f"--by: {user_id} is a {user.role.value}; only a records officer "
                                 "may change the state-law settings").coded("officer_sets_state_law")


def _changed(law: StateLaw, election: bool | None, notice_on: date | None,
             programs: frozenset[Program] | None, minor_sud: bool | None) -> StateLaw:
    """`law` with every given setting replaced; recorded_in stays the old entry's until saved."""
    return replace(
        law, medicaid_meal_status_election=_given(election, law.medicaid_meal_status_election),
        medicaid_meal_notice_on=_given(notice_on, law.medicaid_meal_notice_on),
        direct_certification_programs=_given(programs, law.direct_certification_programs),
        minor_may_consent_to_sud_treatment=_given(minor_sud,
                                                  law.minor_may_consent_to_sud_treatment))


def _given(value: T | None, kept: T) -> T:
    return kept if value is None else value


def _check(law: StateLaw) -> None:
    if law.medicaid_meal_status_election and law.medicaid_meal_notice_on is None:
        raise StateLawInvalid("--notice-on: the Medicaid/CHIP election needs the day households "
                              "were notified (42 USC 1758(b)(6)(D)): they may opt out only once told"
                              ).coded("notice_day_needed")
    outside = law.direct_certification_programs - DIRECT_CERTIFICATION_SOURCES
    if outside:
        allowed = ", ".join(sorted(p.value for p in DIRECT_CERTIFICATION_SOURCES))
        named = ", ".join(sorted(p.value for p in outside))
        raise StateLawInvalid(f"--programs: {named} is not a program schools certify meals from "
                              f"(allowed: {allowed})").coded("not_a_certifying_program", programs=named,
                                                             allowed=allowed)
    if not MANDATORY_DIRECT_CERTIFICATION <= law.direct_certification_programs:
        raise StateLawInvalid("--programs: must include snap, whose direct certification is "
                              "mandatory (42 USC 1758(b)(4))").coded("snap_is_mandatory")
