"""Synthetic eligibility rosters: determinism, shape, truth, households, and the names written two ways."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest

from accord.synth.eligibility import (
    ENROLLMENT_FILE,
    LIST_FILE,
    LIST_HEADER,
    TRUTH_FILE,
    TRUTH_HEADER,
    EligibilitySummary,
    write_eligibility_rosters,
)
from accord.synth.eligibility_names import FIELD_LENGTHS
from accord.synth.rosters import HEADER

N, SEED = 3000, 5
Row = dict[str, str]


def read(path: Path) -> tuple[list[str], list[Row]]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, EligibilitySummary]:
    out = tmp_path_factory.mktemp("eligibility") / "out"
    return out, write_eligibility_rosters(N, out, SEED)


@pytest.fixture(scope="module")
def pairs(written: tuple[Path, EligibilitySummary]) -> list[tuple[Row, Row]]:
    """(enrollment row, list row) of every enrolled child on the list."""
    out, _ = written
    school = {r["record_id"]: r for r in read(out / ENROLLMENT_FILE)[1]}
    listed = {r["record_id"]: r for r in read(out / LIST_FILE)[1]}
    return [(school[t["enrollment_record_id"]], listed[t["record_id"]])
            for t in read(out / TRUTH_FILE)[1] if t["enrollment_record_id"]]


def test_same_seed_same_files_other_seed_other_files(tmp_path: Path,
                                                     written: tuple[Path, EligibilitySummary]) -> None:
    out, _ = written
    write_eligibility_rosters(N, tmp_path / "again", SEED)
    write_eligibility_rosters(N, tmp_path / "other", SEED + 1)
    for name in (ENROLLMENT_FILE, LIST_FILE, TRUTH_FILE):
        assert (tmp_path / "again" / name).read_bytes() == (out / name).read_bytes()
        assert (tmp_path / "other" / name).read_bytes() != (out / name).read_bytes()


def test_files_and_truth_agree(written: tuple[Path, EligibilitySummary]) -> None:
    out, summary = written
    school_header, school = read(out / ENROLLMENT_FILE)
    list_header, listed = read(out / LIST_FILE)
    truth_header, truth = read(out / TRUTH_FILE)
    assert tuple(school_header) == HEADER and tuple(list_header) == LIST_HEADER
    assert tuple(truth_header) == TRUTH_HEADER
    assert len(school) == summary.students == N and len(listed) == summary.listed == len(truth)
    assert [t["record_id"] for t in truth] == [r["record_id"] for r in listed]
    enrolled = [t["enrollment_record_id"] for t in truth if t["enrollment_record_id"]]
    assert len(enrolled) == len(set(enrolled)) == summary.eligible
    assert set(enrolled) <= {r["record_id"] for r in school}
    assert 0.29 <= summary.eligible / N <= 0.32, "households go on the list until 30% of children are"
    assert 0.08 <= summary.outsiders / summary.listed <= 0.16
    assert sum(summary.programs.values()) == summary.listed
    assert 0.75 <= summary.programs["snap"] / summary.listed <= 0.95


def test_a_household_is_on_one_program_and_shares_its_id(written: tuple[Path, EligibilitySummary]) -> None:
    out, summary = written
    homes: dict[str, set[str]] = {}
    for row in read(out / LIST_FILE)[1]:
        assert row["household_id"].startswith("HH-")
        homes.setdefault(row["household_id"], set()).add(row["program"])
    assert len(homes) == summary.households
    assert all(len(programs) == 1 for programs in homes.values())
    sizes = Counter(row["household_id"] for row in read(out / LIST_FILE)[1])
    assert sum(1 for size in sizes.values() if size > 1) > summary.households // 4, "siblings are listed"


def test_names_are_written_two_ways(pairs: list[tuple[Row, Row]], written: tuple[Path, EligibilitySummary]
                                    ) -> None:
    _, summary = written
    assert set(summary.variations) == {"double", "particle", "long_first"}
    hyphen_one_side = cut_first = separators_differ = 0
    for school, listed in pairs:
        lasts = (school["last_name"], listed["last_name"])
        if sum("-" in name for name in lasts) == 1:
            hyphen_one_side += 1
        letters = {"".join(ch for ch in name.lower() if ch.isalpha()) for name in lasts}
        if len(letters) == 1 and len({name.upper() for name in lasts}) == 2:  # O'Brien / OBrien
            separators_differ += 1
        short, long = sorted((school["first_name"], listed["first_name"]), key=len)
        if len(short) in FIELD_LENGTHS and len(long) > len(short) and long.startswith(short):
            cut_first += 1
    assert min(hyphen_one_side, separators_differ, cut_first) >= 10, (hyphen_one_side, separators_differ,
                                                                      cut_first)


def test_dates_and_sex_as_each_side_writes_them(pairs: list[tuple[Row, Row]]) -> None:
    school, listed = pairs[0]
    assert len(school["date_of_birth"]) in (0, 10) and school["date_of_birth"][4:5] in ("", "-")
    assert all(r["sex"] in ("1", "2", "") for _, r in pairs)
    assert all(r["date_of_birth"] == "" or r["date_of_birth"][2] == "/" for _, r in pairs)


@pytest.mark.parametrize("kwargs", [{"students": 0}, {"name_variation": 1.5}, {"coverage": 0.0},
                                    {"outsiders": 1.0}])
def test_rejects_impossible_settings(tmp_path: Path, kwargs: dict[str, float]) -> None:
    students = int(kwargs.pop("students", 10))
    with pytest.raises(ValueError):
        write_eligibility_rosters(students, tmp_path / "out", 1, **kwargs)
    assert not (tmp_path / "out").exists()
