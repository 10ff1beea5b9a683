"""The hub's operator as the attacker (ADR 0014, issue 15): everything the hub stores, logs and runs,
plus the education agency's own student list, but not the key.

Each attack was written against the design before the property of ADR 0014 that defends against
it, and shown succeeding there as a strict xfail (its figures are kept in the comment); the commit
that built the property turned it into a plain test. The county is the case-release one, with
3,000 synthetic students and their partner rosters, loaded through the command line. The figures,
counts only, are in each assertion's message.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterator
from datetime import date
from functools import partial
from itertools import combinations
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq  # type: ignore[import-untyped]
import pytest
import sqlalchemy as sa

from accord.config import load_settings
from accord.domain.students import month_turning_18
from accord.linkage.hub.encoded import EncodedFileError
from accord.linkage.hub.link import LinkOptions, link_pairs
from accord.linkage.normalise import normalise_date
from accord.workflows.hub_files import HubFiles
from tests.workflows.case_county import County, build_county, read_rows

pytestmark = pytest.mark.slow
STUDENTS = 3000


@pytest.fixture(scope="module")
def county(tmp_path_factory: pytest.TempPathFactory) -> Iterator[County]:
    root = tmp_path_factory.mktemp("county")
    db_url = f"sqlite:///{root / 'hub.db'}"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ACCORD_DATA_DIR", str(root / "data"))
        patch.setenv("ACCORD_DATABASE_URL", db_url)
        patch.setenv("ACCORD_CONTENT_KEY_FILE", str(root / "content.key"))
        yield build_county(root, db_url, students=STUDENTS)


def _person(county: County) -> dict[str, str]:
    return {r["record_id"]: r["person_id"] for r in read_rows(county.root / "rosters" / "truth.csv")}


def _beyond_guessing(right: int, labelled: int, base_rate: float) -> bool:
    """More right than labelling `labelled` records at random would give, by three standard errors."""
    expected = labelled * base_rate
    return right > expected + 3 * math.sqrt(max(expected * (1 - base_rate), 1.0))


def _hub() -> HubFiles:
    """The hub's encoded files, where the county's settings put them."""
    return HubFiles(load_settings().hub_dir)


def _partner_encodings() -> list[tuple[Path, str]]:
    """Every encoded roster of another agency than the school's that the hub keeps, with its agreement."""
    return [(p, p.parent.parent.name) for p in _hub().stored_rosters() if p.parent.name != "lea"]


def test_the_operator_cannot_learn_who_is_on_the_court_roster(county: County) -> None:
    # Membership: link every two rosters the hub keeps (with the library, as an operator with the
    # code would, past the command line's refusal), and call every student linked with a record of
    # another agency one that agency knows. On the design before ADR 0015, with one key for every
    # purpose and every partner's roster kept: 120 of 120 named right (base rate 0.040), no ledger entry.
    person = _person(county)
    on_court = {person[r["record_id"]] for r in read_rows(county.root / "juvenile_justice-roster.csv")}
    students = [r["record_id"] for r in read_rows(county.root / "rosters" / "education.csv")]
    members = sum(person[s] in on_court for s in students)
    named: set[str] = set()
    for left, right in combinations(_hub().stored_rosters(), 2):
        if left.parent.name == right.parent.name:
            continue
        try:
            links = link_pairs(left, right, LinkOptions()).result
        except EncodedFileError:
            continue  # encoded for two agreements: they do not compare
        named |= set(links["right_id" if right.parent.name == "lea" else "left_id"])
    right_ = sum(person[s] in on_court for s in named if s in person)
    figures = (f"membership: {right_} of {len(named)} students named as known to a partner are on the "
               f"court's roster; {members} of {len(students)} are (base rate {members / len(students):.3f})")
    assert not _beyond_guessing(right_, len(named), members / len(students)), figures
    # The one linkage of the court's roster the hub ran is in the ledger, with its deletion.
    runs = [e for e in _ledger(county, "linkage_run") if e["body"]["agreement"] == "dsa-court"]
    assert [r["body"]["encodings_deleted"] for r in runs] == [["court"]], runs
    assert not _partner_encodings()


def _ledger(county: County, kind: str) -> list[dict[str, Any]]:
    """The ledger's entries of `kind`, as the operator reads them from the hub's database."""
    with sa.create_engine(county.db_url).connect() as connection:
        rows = connection.execute(sa.text("SELECT entry_json FROM ledger_entries WHERE kind = :kind "
                                          "ORDER BY seq"), {"kind": kind}).scalars().all()
    return [json.loads(row) for row in rows]


def test_the_operator_cannot_read_partner_birth_dates_from_the_school_list(county: County) -> None:
    # A dictionary: the school's clear birth dates under the same record ids as each of the
    # school's rosters' birth-date tokens, then looked up with the tokens of every partner record
    # the hub keeps under the same agreement. Before ADR 0015 (one key, partner rosters kept; the
    # dates read from the hub's students table): 102 of 270 health records of children not
    # enrolled named. The hub keeps no birth date now (ADR 0016), so the dates here come from the
    # school's own clear list, which the operator has as well (A2).
    dates = {r["record_id"]: normalise_date(r["date_of_birth"])
             for r in read_rows(county.root / "rosters" / "education.csv")}
    person = _person(county)
    enrolled = {person[r["record_id"]] for r in read_rows(county.root / "rosters" / "education.csv")}
    truth = {r["record_id"]: normalise_date(r["date_of_birth"])
             for r in read_rows(county.root / "health-roster.csv")}
    outsiders = [rid for rid in truth if person[rid] not in enrolled and truth[rid]]
    right = 0
    for partner, agreement in _partner_encodings():
        school = pq.read_table(_hub().roster_path(agreement, "lea"),
                               columns=["record_id", "tok_dob"]).to_pylist()
        dictionary = {r["tok_dob"]: dates.get(r["record_id"]) for r in school if r["tok_dob"] is not None}
        for r in pq.read_table(partner, columns=["record_id", "tok_dob"]).to_pylist():
            if r["record_id"] in truth and person[r["record_id"]] not in enrolled:
                right += str(dictionary.get(r["tok_dob"])) == str(truth[r["record_id"]])
    figures = f"birth dates: {right} of {len(outsiders)} health records of children not enrolled named"
    # Guessing one birth date for everyone names about one child in several hundred.
    assert right <= max(1, len(outsiders) // 100), figures


ASKED = 20  # requests about children the school does not have


def _dated_by_id(roster: list[dict[str, Any]], dates: dict[str, date | None]) -> dict[int, date]:
    """The operator's dictionary from the school roster's birth-date tokens to dates by record id:
    a token under an id the operator's list dates names that date (what the roster gave away while
    it carried the school's own ids; ADR 0022 replaced them with pseudonyms)."""
    return {r["tok_dob"]: known for r in roster
            if r["tok_dob"] is not None and (known := dates.get(r["record_id"])) is not None}


def _dated_by_count(county: County, roster: list[dict[str, Any]], dates: dict[str, date | None]
                    ) -> dict[int, date]:
    """The same dictionary by counting, for pseudonymous rows: the hub's students table bounds the
    month each roster row's student turns 18 (the month itself while the school sent it for every
    student; only near the birthday since ADR 0030), so a token's rows are the births of one day
    within those bounds; when exactly one day there has as many births on the operator's list as
    the token has rows, the token is that day."""
    with sa.create_engine(county.db_url).connect() as con:
        bounds = {i: (lo, hi or lo) for i, lo, hi in con.execute(sa.text(
            "SELECT id, turns_18_in, turns_18_by FROM students WHERE turns_18_in IS NOT NULL"))}
    rows: dict[int, list[str]] = {}
    for r in roster:
        if r["tok_dob"] is not None:
            rows.setdefault(r["tok_dob"], []).append(r["record_id"])
    births: dict[date, int] = {}
    for born in (d for d in dates.values() if d is not None):
        births[born] = births.get(born, 0) + 1
    out = {}
    for token, ids in rows.items():
        known = [bounds[i] for i in ids if i in bounds]
        if not known:
            continue
        low, high = (str(max(lo for lo, _ in known)), str(min(hi for _, hi in known)))
        days = [d for d, k in births.items() if k == len(ids) and low <= str(month_turning_18(d)) <= high]
        if len(days) == 1:
            out[token] = days[0]
    return out


_ASKED: dict[Path, list[tuple[int, date | None]]] = {}


def _asked_about(county: County) -> list[tuple[int, date | None]]:
    """The health department asks about ASKED children the school does not have (each request is
    lawful, refused as not found, and in the ledger); the request's encoding is a file sent to the
    hub. Per request: its birth-date token, and the child's true birth date (for scoring)."""
    if county.root not in _ASKED:
        school = read_rows(county.root / "rosters" / "education.csv")
        person = _person(county)
        enrolled = {person[r["record_id"]] for r in school}
        outsiders = [r for r in read_rows(county.root / "health-roster.csv")
                     if person[r["record_id"]] not in enrolled][:ASKED]
        asked = []
        for n, row in enumerate(outsiders):
            described = county.write(f"outsider-{n}.csv", list(row), [list(row.values())])
            query = county.encoded(described, "dsa-health")
            county.ok("case", "request", "--requester", "cw.health", "--student-ref", query, "--source",
                      "lea", "--purpose", "supportive_services", "--fields", "attendance",
                      "--at", "2026-11-29T10:00")
            token = pq.read_table(query, columns=["tok_dob"])["tok_dob"][0].as_py()
            asked.append((token, normalise_date(row["date_of_birth"])))
        _ASKED[county.root] = asked
    return _ASKED[county.root]


def _named(county: County, dictionary: Callable[[list[dict[str, Any]], dict[str, date | None]],
                                                dict[int, date]]) -> tuple[int, str]:
    """How many children asked about the operator's `dictionary` of the school roster names."""
    school = read_rows(county.root / "rosters" / "education.csv")
    dates = {r["record_id"]: normalise_date(r["date_of_birth"]) for r in school}
    roster = pq.read_table(_hub().roster_path("dsa-health", "lea"),
                           columns=["record_id", "tok_dob"]).to_pylist()
    dated = dictionary(roster, dates)
    asked = _asked_about(county)
    right = sum(1 for token, born in asked if born is not None and dated.get(token) == born)
    return right, (f"birth dates: {right} of {len(asked)} children asked about and not enrolled named; "
                   f"the dictionary dates {len(dated)} of the roster's "
                   f"{len({r['tok_dob'] for r in roster})} birth-date tokens")


def test_the_operator_cannot_read_the_birth_date_of_a_child_asked_about(county: County) -> None:
    # The request's birth-date token, looked up in a dictionary of the school roster's tokens under
    # the record ids the operator's own list dates, named 11 of 20 while the roster carried them.
    right, figures = _named(county, _dated_by_id)
    # Guessing the commonest birth date names about one child in thousands.
    assert right == 0, figures


def test_counting_births_per_day_names_no_child_asked_about(county: County) -> None:
    # While the school sent every student's month of turning 18 (ADR 0022's residual, a strict xfail
    # until ADR 0030): 1 of 20 named, the count dating 101 of the roster's birth-date tokens.
    right, figures = _named(county, partial(_dated_by_count, county))
    assert right == 0, figures
