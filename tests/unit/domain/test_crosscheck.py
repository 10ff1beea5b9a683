"""A cross-check's definition: what it may release, to whom, and its bands."""

from __future__ import annotations

import pytest

from accord.domain.agencies import Program
from accord.domain.crosscheck import Band, CrossCheck, CrossCheckError, first_program, program_of


def _check(**changes: object) -> CrossCheck:
    values: dict[str, object] = {"agreement_id": "dsa-dc", "school_agency_id": "lea",
                                 "school_recipient": "ew.lea", "program_agency_ids": frozenset({"dss"})}
    return CrossCheck(**{**values, **changes})  # type: ignore[arg-type]


def test_bands_split_at_the_thresholds() -> None:
    c = _check()
    assert c.band(0.95) is Band.CERTAIN and c.band(0.8) is Band.CERTAIN
    assert c.band(0.79) is Band.REVIEW and c.band(0.2) is Band.REVIEW
    assert c.band(0.19) is None


@pytest.mark.parametrize(("changes", "says"), [
    ({"program_agency_ids": frozenset()}, "at least one program agency"),
    ({"program_agency_ids": frozenset({"lea"})}, "cannot also be"),
    ({"school_receives": frozenset({"grades"})}, "what a match establishes .*not: grades"),
    ({"program_receives": frozenset({"meal_eligibility_status"}), "program_recipients": {"dss": "ew.dss"}},
     "not: meal_eligibility_status"),
    ({"school_receives": frozenset({"shoe_size"})}, "unknown data elements: shoe_size"),
    ({"school_receives": frozenset()}, "would learn nothing"),
    ({"program_receives": frozenset({"enrolled_in_district"})}, "names no user for: dss"),
    ({"program_recipients": {"court": "po.court"}}, "not in the cross-check: court"),
    ({"certify_from": 0.1}, "review_from < certify_from"),
    ({"household_from": 0.9}, "in that order"),
    ({"every_days": 0}, "every_days"),
])
def test_a_definition_that_cannot_work_is_refused_with_its_reason(changes: dict[str, object],
                                                                   says: str) -> None:
    with pytest.raises(CrossCheckError, match=says):
        _check(**changes)


def test_programs_are_read_as_written_and_snap_is_named_first() -> None:
    assert program_of(" SNAP ") is Program.SNAP and program_of("wic") is None
    assert first_program({Program.TANF, Program.SNAP}) is Program.SNAP
    assert first_program({Program.MEDICAID, Program.FDPIR}) is Program.FDPIR


def test_the_school_is_asked_only_for_the_program_the_child_was_found_on() -> None:
    flags = {"direct_certification", "snap_participation", "tanf_participation"}
    c = _check(school_receives=frozenset(flags))
    assert c.school_flags(Program.TANF) == {"direct_certification", "tanf_participation"}
    assert c.school_flags(Program.FDPIR) == {"direct_certification"}
