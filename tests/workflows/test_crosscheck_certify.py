"""Who a run certifies from its matches (crosscheck_match.certify), against a plain reading."""

from __future__ import annotations

from accord.domain.agencies import Program
from accord.domain.crosscheck import Band, Basis, CrossCheck, ReviewStatus
from accord.store.repositories.crosschecks import Review
from accord.workflows.crosscheck_match import Match, certify
from accord.workflows.crosscheck_submissions import ListedRecord

SNAP, TANF = Program.SNAP, Program.TANF
CHECK = CrossCheck("dsa-dc", "lea", "ew.lea", frozenset({"dss"}))


def _m(student: str, record: str, band: Band, agency: str = "dss", p: float = 0.5) -> Match:
    return Match(student, agency, record, 0.95 if band is Band.CERTAIN else p, band, {"gamma_x": 1})


LISTED = {"dss": {
    "r1": ListedRecord(SNAP, "h1", ""), "r2": ListedRecord(SNAP, "h1", ""),
    "r3": ListedRecord(TANF, "h2", ""), "r4": ListedRecord(SNAP, "", ""),
    "r5": ListedRecord(TANF, "h3", ""), "r6": ListedRecord(SNAP, "h3", ""),
}}


def test_certain_matches_certify_and_uncertain_ones_wait() -> None:
    out = certify(CHECK, [_m("s1", "r1", Band.CERTAIN), _m("s4", "r4", Band.REVIEW)], LISTED, [])
    assert {s: (c.program, c.basis) for s, c in out.certified.items()} == {"s1": (SNAP, Basis.MATCHED)}
    assert [m.student_id for m in out.pending] == ["s4"]


def test_a_sibling_in_the_programs_household_is_certified_by_extended_eligibility() -> None:
    matches = [_m("s1", "r1", Band.CERTAIN), _m("s2", "r2", Band.REVIEW), _m("s3", "r3", Band.REVIEW)]
    out = certify(CHECK, matches, LISTED, [])
    assert out.certified["s2"].basis is Basis.HOUSEHOLD
    assert "s3" not in out.certified  # its household (h2) has no certain match
    assert out.matched_records["dss"] == {"r1": "s1", "r2": "s2"}
    # Below household_from (0.5) the household does not make an unlikely match the child's.
    weak = certify(CHECK, [_m("s1", "r1", Band.CERTAIN), _m("s2", "r2", Band.REVIEW, p=0.3)], LISTED, [])
    assert "s2" not in weak.certified and [m.student_id for m in weak.pending] == ["s2"]


def test_the_officers_decisions_are_reused() -> None:
    reviews = [Review(1, "s4", "dss", "r4", "snap", 0.5, {}, ReviewStatus.ACCEPTED, "ro.lea"),
               Review(2, "s3", "dss", "r3", "tanf", 0.5, {}, ReviewStatus.REJECTED, "ro.lea")]
    out = certify(CHECK, [_m("s3", "r3", Band.REVIEW), _m("s4", "r4", Band.REVIEW)], LISTED, reviews)
    assert out.certified["s4"].basis is Basis.REVIEWED and "s3" not in out.certified
    assert not out.pending and out.counts["review_rejected"] == 1


def test_on_two_lists_the_school_is_told_snap_and_the_strongest_basis() -> None:
    out = certify(CHECK, [_m("s5", "r5", Band.CERTAIN), _m("s5", "x1", Band.CERTAIN, "snap")],
                  {**LISTED, "snap": {"x1": ListedRecord(SNAP, "", "")}}, [])
    assert (out.certified["s5"].program, out.certified["s5"].agency_id) == (SNAP, "snap")
