"""Synthetic agency rosters: determinism, shape, truth, coverage, twins, every error kind, atomic writes."""

from __future__ import annotations

import csv
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from accord.cli.synth import synth
from accord.synth.rosters import (
    DEFAULT_AGENCIES,
    ERROR_RATES,
    HEADER,
    TRUTH_FILE,
    Person,
    RosterSummary,
    outsider_pool,
    pair_rosters,
    population,
    write_rosters,
)
from accord.synth.rosters import rosters as rosters_module
from accord.synth.rosters.files import write_csv
from accord.synth.rosters.names import NICKNAMES, SURNAMES
from accord.synth.rosters.people import surname_parts

N = 2000
SEED = 11
Row = dict[str, str]


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, RosterSummary]:
    out = tmp_path_factory.mktemp("rosters") / "out"
    return out, write_rosters(N, out, SEED)


def read(path: Path) -> list[Row]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def people() -> dict[str, Person]:
    everyone = population(N, SEED) + outsider_pool(N, SEED)
    return {p.person_id: p for p in everyone}


@pytest.fixture(scope="module")
def pairs(written: tuple[Path, RosterSummary], people: dict[str, Person]) -> list[tuple[str, Row, Person]]:
    """(agency, roster row with ISO date and F/M sex, the true person) for every row of every roster."""
    out, _ = written
    truth = {(t["agency"], t["record_id"]): t["person_id"] for t in read(out / TRUTH_FILE)}
    result = []
    for agency, spec in DEFAULT_AGENCIES.items():
        sexes = dict(zip(spec.sex_codes, "FM", strict=True))
        for row in read(out / f"{agency}.csv"):
            if row["date_of_birth"]:
                written_date = datetime.strptime(row["date_of_birth"], spec.date_format)
                row["date_of_birth"] = written_date.date().isoformat()
            row["sex"] = sexes.get(row["sex"], row["sex"])
            result.append((agency, row, people[truth[agency, row["record_id"]]]))
    return result


def canonical(person: Person) -> Row:
    return {"first_name": person.first_name, "middle_name": person.middle_name, "last_name": person.last_name,
            "date_of_birth": person.date_of_birth.isoformat(), "sex": person.sex,
            "street_address": person.street_address, "city": person.city, "postcode": person.postcode}


def test_same_seed_gives_identical_bytes_and_another_seed_differs(tmp_path: Path) -> None:
    runs = {name: write_rosters(300, tmp_path / name, seed) for name, seed in (("a", 5), ("b", 5), ("c", 6))}
    assert runs["a"] == runs["b"]
    files = sorted(p.name for p in (tmp_path / "a").iterdir())
    assert files == sorted([*(f"{a}.csv" for a in DEFAULT_AGENCIES), TRUTH_FILE])
    for name in files:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    assert (tmp_path / "a" / "education.csv").read_bytes() != (tmp_path / "c" / "education.csv").read_bytes()


def test_headers_are_exact(written: tuple[Path, RosterSummary]) -> None:
    out, _ = written
    for agency in DEFAULT_AGENCIES:
        first_line = (out / f"{agency}.csv").read_text(encoding="utf-8").splitlines()[0]
        assert first_line == ("record_id,first_name,middle_name,last_name,date_of_birth,sex,"
                              "street_address,city,postcode")
        assert tuple(first_line.split(",")) == HEADER
        assert all(len(row) == len(HEADER) for row in read(out / f"{agency}.csv"))
    assert (out / TRUTH_FILE).read_text(encoding="utf-8").splitlines()[0] == "agency,record_id,person_id"


def test_truth_covers_every_row_exactly_once(written: tuple[Path, RosterSummary]) -> None:
    out, summary = written
    truth = Counter((t["agency"], t["record_id"]) for t in read(out / TRUTH_FILE))
    rows = Counter((agency, r["record_id"]) for agency in DEFAULT_AGENCIES
                   for r in read(out / f"{agency}.csv"))
    assert truth == rows
    assert set(truth.values()) == {1}
    assert summary.truth_rows == sum(truth.values())


def test_record_ids_are_unique_random_looking_and_hide_the_person(written: tuple[Path, RosterSummary]
                                                                  ) -> None:
    out, _ = written
    person_of = {t["record_id"]: t["person_id"] for t in read(out / TRUTH_FILE)}
    for agency, spec in DEFAULT_AGENCIES.items():
        ids = [r["record_id"] for r in read(out / f"{agency}.csv")]
        assert len(ids) == len(set(ids))
        assert all(re.fullmatch(rf"{spec.prefix}-[0-9A-F]{{8}}", rid) for rid in ids)
        assert not any(person_of[rid] in rid or person_of[rid][1:] in rid for rid in ids)
        assert ids != sorted(ids)  # rows are shuffled, not in id order


def test_coverage_outsiders_and_duplicates_are_as_specified(written: tuple[Path, RosterSummary]) -> None:
    out, summary = written
    truth = read(out / TRUTH_FILE)
    for agency, spec in DEFAULT_AGENCIES.items():
        ids = [t["person_id"] for t in truth if t["agency"] == agency]
        distinct = set(ids)
        school = {p for p in distinct if int(p[1:]) <= N}
        counts = summary.agencies[agency]
        assert len(school) == round(spec.coverage * N)
        assert len(distinct - school) == counts.outsiders == round(spec.outsiders * round(spec.coverage * N))
        assert counts.rows == len(ids) == len(distinct) + counts.duplicates
        assert counts.duplicates == round(spec.duplicates * len(distinct))
    assert summary.agencies["education"].outsiders == 0
    assert summary.agencies["health"].rows > 0.6 * N * 1.14
    # Outsiders are shared: some appear at two agencies without appearing in education.
    held = {(t["agency"], t["person_id"]) for t in truth}
    outsider_agencies = Counter(person for _, person in held if int(person[1:]) > N)
    assert max(outsider_agencies.values()) >= 2


def test_within_agency_duplicates_are_in_truth_with_distinct_record_ids(written: tuple[Path, RosterSummary]
                                                                       ) -> None:
    out, summary = written
    education = Counter(t["person_id"] for t in read(out / TRUTH_FILE) if t["agency"] == "education")
    twice = [p for p, n in education.items() if n == 2]
    assert len(twice) == summary.agencies["education"].duplicates == round(0.01 * N)


def test_population_has_households_twins_and_double_surnames() -> None:
    people = population(N, SEED)
    assert len(people) == N and len({p.person_id for p in people}) == N
    assert all(date(2006, 9, 2) <= p.date_of_birth <= date(2022, 9, 1) for p in people)
    groups = Counter((p.last_name, p.date_of_birth, p.street_address) for p in people)
    twins = [p for p in people if groups[p.last_name, p.date_of_birth, p.street_address] == 2]
    assert 0.015 * N <= len(twins) <= 0.05 * N
    by_key: dict[tuple[str, date, str], set[str]] = {}
    for p in twins:
        by_key.setdefault((p.last_name, p.date_of_birth, p.street_address), set()).add(p.first_name)
    assert all(len(firsts) == 2 for firsts in by_key.values())  # twins never share a first name
    assert Counter(p.street_address for p in people).most_common(1)[0][1] >= 3  # siblings share an address
    assert 0.6 <= sum(bool(p.middle_name) for p in people) / N <= 0.8
    assert any(len(surname_parts(p.last_name)) == 2 and "-" in p.last_name for p in people)
    assert any(len(surname_parts(p.last_name)) == 2 and " " in p.last_name for p in people)


def _one_edit(a: str, b: str) -> bool:
    """True when b is a within one insertion, deletion, substitution or adjacent transposition."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]]
                                  and a[diff[1]] == b[diff[0]])
    short, long = sorted((a, b), key=len)
    return any(long[:i] + long[i + 1:] == short for i in range(len(long)))


_NICK = {(formal, nick) for formal, nick in NICKNAMES}
_SURNAME_SET = {name for name, _ in SURNAMES}
DETECTORS: dict[str, Callable[[Row, Person], bool]] = {
    "nickname": lambda r, p: (p.first_name, r["first_name"]) in _NICK,
    "double_surname_first_part": lambda r, p: len(surname_parts(p.last_name)) == 2
    and r["last_name"] == surname_parts(p.last_name)[0],
    "surname_changed": lambda r, p: r["last_name"] in _SURNAME_SET and r["last_name"] != p.last_name
    and r["last_name"] not in surname_parts(p.last_name),
    "surname_added": lambda r, p: r["last_name"].startswith((p.last_name + "-", p.last_name + " "))
    and not r["last_name"].endswith("Jr."),
    "names_swapped": lambda r, p: (r["first_name"], r["last_name"]) == (p.last_name, p.first_name),
    "first_name_typo": lambda r, p: _one_edit(p.first_name, r["first_name"]),
    "last_name_typo": lambda r, p: _one_edit(p.last_name, r["last_name"]),
    "day_month_swapped": lambda r, p: r["date_of_birth"] == date(
        p.date_of_birth.year, p.date_of_birth.day, p.date_of_birth.month).isoformat()
    if p.date_of_birth.day <= 12 and p.date_of_birth.day != p.date_of_birth.month else False,
    "date_typo": lambda r, p: bool(r["date_of_birth"]) and _one_edit(p.date_of_birth.isoformat(),
                                                                      r["date_of_birth"]),
    "moved": lambda r, p: r["street_address"].strip().upper() not in ("", p.street_address.upper())
    and not _one_edit(p.street_address, r["street_address"]),
    "postcode_typo": lambda r, p: _one_edit(p.postcode, r["postcode"]) and r["city"] == p.city,
    "middle_missing": lambda r, p: bool(p.middle_name) and not r["middle_name"],
    "field_missing": lambda r, p: any(not r[f] for f in ("first_name", "date_of_birth", "sex",
                                                         "street_address", "city", "postcode")),
    "all_caps": lambda r, p: r["last_name"].isupper() and r["last_name"] != p.last_name
    and r["city"].isupper(),
    "extra_spaces": lambda r, p: any(v != v.strip() or "  " in v for v in r.values()),
    "suffix_jr": lambda r, p: r["last_name"].endswith(" Jr."),
    "honorific": lambda r, p: r["first_name"].startswith(("Ms. ", "Mr. ")),
}


def test_every_error_kind_occurs(pairs: list[tuple[str, Row, Person]]) -> None:
    assert set(DETECTORS) == set(ERROR_RATES)
    seen = {kind: sum(detect(row, person) for _, row, person in pairs) for kind, detect in DETECTORS.items()}
    assert all(seen.values()), [kind for kind, n in seen.items() if not n]


def test_about_a_quarter_of_records_carry_an_error(pairs: list[tuple[str, Row, Person]]) -> None:
    fields = HEADER[1:]
    wrong = sum(any(row[f] != canonical(person)[f] for f in fields) for _, row, person in pairs)
    assert 0.18 <= wrong / len(pairs) <= 0.32


def test_agencies_write_their_own_date_and_sex_formats(written: tuple[Path, RosterSummary]) -> None:
    out, _ = written
    health = read(out / "health.csv")
    assert {r["sex"] for r in health} <= {"female", "male", ""}
    assert all(re.fullmatch(r"\d\d/\d\d/\d{4}", r["date_of_birth"]) for r in health if r["date_of_birth"])
    assert {r["sex"] for r in read(out / "snap_tanf.csv")} <= {"1", "2", ""}
    assert all(re.fullmatch(r"\d\d-[A-Z][a-z]{2}-\d{4}", r["date_of_birth"])
               for r in read(out / "juvenile_justice.csv") if r["date_of_birth"])


def test_a_failure_leaves_no_partial_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []

    def failing(path: Path, header: Sequence[str], rows: Iterable[Sequence[str]]) -> None:
        calls.append(path.name)
        if len(calls) == 3:
            raise OSError(28, "No space left on device")
        write_csv(path, header, rows)

    monkeypatch.setattr(rosters_module, "write_csv", failing)
    with pytest.raises(OSError):
        write_rosters(200, tmp_path / "new", 1)
    assert list(tmp_path.iterdir()) == []  # neither the output nor the staging directory remains
    existing = tmp_path / "old"
    existing.mkdir()
    (existing / "education.csv").write_text("before\n", encoding="utf-8")
    calls.clear()
    with pytest.raises(OSError):
        write_rosters(200, existing, 1)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["old"]
    assert [p.name for p in existing.iterdir()] == ["education.csv"]
    assert (existing / "education.csv").read_text(encoding="utf-8") == "before\n"


def test_pair_rosters_are_about_n_rows_each(tmp_path: Path) -> None:
    summary = pair_rosters(1000, tmp_path / "pair", 3)
    assert summary.agencies["left"].rows == 1000
    assert 950 <= summary.agencies["right"].rows <= 1050
    truth = read(tmp_path / "pair" / TRUTH_FILE)
    shared = {t["person_id"] for t in truth if t["agency"] == "left"} & {
        t["person_id"] for t in truth if t["agency"] == "right"}
    assert len(shared) == 800


def _app() -> typer.Typer:
    app = typer.Typer()
    app.command("synth")(synth)

    @app.command("other")
    def other() -> None:  # a second command keeps `synth` a subcommand, as in the real CLI
        """Unused."""

    return app


def test_cli_writes_rosters_and_refuses_a_non_empty_directory(tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "cli"
    result = runner.invoke(_app(), ["synth", "--students", "150", "--out", str(out), "--seed", "4"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert any(line.startswith("education: 15") and "rows" in line for line in lines)
    assert len([line for line in lines if " rows -> " in line]) == len(DEFAULT_AGENCIES) + 1
    assert str(out / TRUTH_FILE) in result.output.replace("\n", "")
    assert (out / "health.csv").is_file()

    refused = runner.invoke(_app(), ["synth", "--students", "150", "--out", str(out)])
    assert refused.exit_code == 2
    assert "not empty" in refused.output and len(refused.output.strip().splitlines()) == 1

    forced = runner.invoke(_app(), ["synth", "--students", "150", "--out", str(out), "--force"])
    assert forced.exit_code == 0, forced.output

    bad = runner.invoke(_app(), ["synth", "--students", "0", "--out", str(tmp_path / "x")])
    assert bad.exit_code == 2
