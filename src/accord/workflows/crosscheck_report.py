"""A cross-check run's report: counts only, no child (ADR 0023).

The match rate is USDA's direct-certification performance measure: of the school-age children on
the SNAP list, the share found in enrollment. School age is read from the month each listed child
turns 18 (all the hub is sent of a birth date): 5 to 17 years old on the run's day means turning
18 after this month and within thirteen years.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Any

from accord.domain.agencies import Program
from accord.domain.crosscheck import Band, CrossCheck
from accord.workflows.crosscheck_match import Matching
from accord.workflows.crosscheck_submissions import ListedRecord

SCHOOL_YEARS = 13  # from 5 to 17


@dataclass(frozen=True, slots=True)
class Released:
    """What the policy let each party receive in a run, and what it refused (by failed rule)."""

    school: frozenset[str]  # certified students released to the school
    programs: dict[str, int]  # agency -> records it learned are enrolled
    refused: Counter[str]


def school_age(turns_18_in: str, on: date) -> bool | None:
    """Whether a child turning 18 in `turns_18_in` (YYYY-MM) is 5 to 17 on `on`; None if unknown."""
    try:
        year, month = (int(p) for p in turns_18_in.split("-"))
    except ValueError:
        return None
    months = (year - on.year) * 12 + (month - on.month)
    return 0 < months <= SCHOOL_YEARS * 12


def match_rate(listed: dict[str, dict[str, ListedRecord]], matching: Matching, on: date) -> dict[str, Any]:
    """Found among the SNAP list's school-age children (USDA's measure); ages unknown apart."""
    found_records = {(a, r) for a, records in matching.matched_records.items() for r in records}
    school_aged = unknown = found = 0
    for agency, records in listed.items():
        for record_id, rec in records.items():
            if rec.program is not Program.SNAP:
                continue
            aged = school_age(rec.turns_18_in, on)
            if aged is None:
                unknown += 1
            elif aged:
                school_aged += 1
                found += (agency, record_id) in found_records
    rate = round(found / school_aged, 4) if school_aged else None
    return {"snap_school_age": school_aged, "found_in_enrollment": found, "rate": rate,
            "snap_age_unknown": unknown}


def report(crosscheck: CrossCheck, on: date, sizes: dict[str, int],
           listed: dict[str, dict[str, ListedRecord]], matching: Matching, released: Released,
           previous: frozenset[str] | None) -> dict[str, Any]:
    """The run's figures, as stored with the run and printed by `accord crosscheck report`."""
    bands = Counter(m.band.value for m in matching.matches)
    by_program = Counter(matching.certified[s].program.value for s in released.school)
    by_basis = Counter(matching.certified[s].basis.value for s in released.school)
    return {
        "agreement": crosscheck.agreement_id, "on": on.isoformat(),
        "rosters": dict(sorted(sizes.items())),
        "matches": {"certain": bands.get(Band.CERTAIN.value, 0),
                    "review_band": bands.get(Band.REVIEW.value, 0),
                    **{k: v for k, v in sorted(matching.counts.items())}},
        "certified": len(released.school), "by_program": dict(sorted(by_program.items())),
        "by_basis": dict(sorted(by_basis.items())),
        "refused_by_policy": dict(sorted(released.refused.items())),
        "programs_received": dict(sorted(released.programs.items())),
        "match_rate": match_rate(listed, matching, on),
        "newly_certified": None if previous is None else len(released.school - previous),
        "lost_since_last_run": None if previous is None else len(previous - released.school),
        "next_run_due": date.fromordinal(on.toordinal() + crosscheck.every_days).isoformat(),
    }
