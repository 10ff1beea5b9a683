"""The hub's operator as the attacker (ADR 0014, issue 15): everything the hub stores, logs and runs,
plus the education agency's own student list, but not the key.

Each attack runs on today's design, where it succeeds, and asserts what must hold once the property
of ADR 0014 that defends against it is built: so each is a strict xfail until then, and CI says so
the day one starts to hold. The county is the case-release one, with 3,000 synthetic students and
their partner rosters, loaded through the command line. The figures, counts only, are in each
assertion's message.
"""

from __future__ import annotations

import math
from collections.abc import Iterator

import pyarrow.parquet as pq  # type: ignore[import-untyped]
import pytest
import sqlalchemy as sa

from accord.linkage.hub.link import LinkOptions, link_pairs
from accord.linkage.normalise import normalise_date
from accord.workflows.hub_files import roster_path
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


@pytest.mark.xfail(strict=True, reason="issue 15, P3: stored rosters link at will, with no ledger entry")
def test_the_operator_cannot_learn_who_is_on_the_court_roster(county: County) -> None:
    # Membership: link the stored court roster with the school's, and call every linked student one
    # the court knows.
    person = _person(county)
    on_court = {person[r["record_id"]] for r in read_rows(county.root / "juvenile_justice-roster.csv")}
    students = [r["record_id"] for r in read_rows(county.root / "rosters" / "education.csv")]
    members = sum(person[s] in on_court for s in students)
    ledger_before = _ledger_size(county)
    links = link_pairs(roster_path("court"), roster_path("lea"), LinkOptions()).result
    right = sum(person[s] in on_court for s in links["right_id"])
    figures = (f"membership: {right} of {len(links)} students named as known to the court are; "
               f"{members} of {len(students)} are (base rate {members / len(students):.3f})")
    assert not _beyond_guessing(right, len(links), members / len(students)), figures
    assert _ledger_size(county) == ledger_before + 1, "a link of stored rosters must be in the ledger"


def _ledger_size(county: County) -> int:
    with sa.create_engine(county.db_url).connect() as connection:
        return int(connection.execute(sa.text("SELECT count(*) FROM ledger_entries")).scalar_one())


@pytest.mark.xfail(strict=True, reason="issue 15, P2: clear birth dates and shared record ids at the hub")
def test_the_operator_cannot_read_partner_birth_dates_from_the_school_list(county: County) -> None:
    # A dictionary: the school's clear birth dates (students table) under the same record ids as the
    # education roster's birth-date tokens, then looked up with the partner roster's tokens.
    with sa.create_engine(county.db_url).connect() as connection:
        dates = dict(connection.execute(sa.text("SELECT id, date_of_birth FROM students")).all())
    school = pq.read_table(roster_path("lea"), columns=["record_id", "tok_dob"]).to_pylist()
    dictionary = {r["tok_dob"]: dates.get(r["record_id"]) for r in school if r["tok_dob"] is not None}
    person = _person(county)
    enrolled = {person[r["record_id"]] for r in read_rows(county.root / "rosters" / "education.csv")}
    truth = {r["record_id"]: normalise_date(r["date_of_birth"])
             for r in read_rows(county.root / "health-roster.csv")}
    partner = pq.read_table(roster_path("health"), columns=["record_id", "tok_dob"]).to_pylist()
    outsiders = [r for r in partner if person[r["record_id"]] not in enrolled and truth[r["record_id"]]]
    named = [r for r in outsiders if dictionary.get(r["tok_dob"])]
    right = sum(str(dictionary[r["tok_dob"]]) == str(truth[r["record_id"]]) for r in named)
    figures = f"birth dates: {right} of {len(outsiders)} health records of children not enrolled named"
    # Guessing one birth date for everyone names about one child in several hundred.
    assert right <= max(1, len(outsiders) // 100), figures
