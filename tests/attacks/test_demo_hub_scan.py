"""After the demo, everything the hub keeps, scanned for the people in it (issue 15, "Proof").

The hub's operator reads every table of its database and every file under its data directory
(ADR 0014, A1). The demo's school and partner agencies encode at their nodes and send the hub
copies without names, birth date, sex, address or identifier; this test looks, in all the hub
keeps, for every synthetic name, street, ZIP and birth date of the demo's people, and for the
agencies' linkage key. Counts only in the messages.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from accord.cli.app import app
from accord.cli.demo_cases import DEMO_NODES
from accord.synth import build_county
from accord.workflows.demo_case import SCHOOL, _identities
from tests.leak_scan import names_in_files

SEED, STUDENTS = 7, 300


class Kept:
    """What the hub keeps after the demo: its tables' cells and its files' bytes."""

    def __init__(self, data: Path) -> None:
        engine = sa.create_engine(f"sqlite:///{data / 'accord.db'}")
        cells: list[str] = []
        with engine.connect() as connection:
            for table in sa.inspect(connection).get_table_names():
                for row in connection.execute(sa.text(f'SELECT * FROM "{table}"')):
                    cells += [str(v) for v in row if v is not None]
        engine.dispose()
        self.cells = set(cells)
        self.words = {w for c in cells for w in re.findall(r"[A-Za-z0-9-]+", c)}
        self.files = [p for p in data.rglob("*") if p.is_file() and p.name != "accord.db"]
        self.nodes = data.parent / DEMO_NODES  # the agencies' nodes, beside the hub
        self.database = data / "accord.db"
        self.bytes = b"\n".join(p.read_bytes() for p in self.files)


@pytest.fixture(scope="module")
def kept(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Kept]:
    data = tmp_path_factory.mktemp("hub")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ACCORD_DATA_DIR", str(data))
        result = CliRunner().invoke(app, ["demo", "--reset", "--students", str(STUDENTS),
                                          "--seed", str(SEED)])
        assert result.exit_code == 0, result.output
        yield Kept(data)


def _people() -> list[tuple[str, ...]]:
    county = build_county(SEED, STUDENTS, as_of=date.today())
    school = [s for s in county.students if s.school_agency_id == SCHOOL]
    return [(p.first_name, p.middle_name, p.last_name, p.street_address, p.postcode)
            for p in _identities(school, random.Random(SEED), county.birth_dates).values()]


def test_no_name_street_or_zip_of_anyone_is_kept_at_the_hub(kept: Kept) -> None:
    people = _people()
    names = {n for p in people for n in p[:3] if len(n) > 3}
    streets = {p[3] for p in people}
    zips = {p[4] for p in people}
    in_tables = sorted(n for n in names if n in kept.words or n.upper() in kept.words)
    in_files = names_in_files(names | streets, kept.files)
    streets_kept = sorted(s for s in streets if s in kept.cells)
    zips_kept = sorted(z for z in zips if z in kept.cells)
    assert names and streets and zips
    assert not in_tables and not in_files and not streets_kept and not zips_kept, (
        f"{len(in_tables)} names in tables, {len(in_files)} names or streets in files, "
        f"{len(streets_kept)} streets and {len(zips_kept)} ZIPs as cells")


def test_no_linkage_key_is_kept_at_the_hub(kept: Kept) -> None:
    # Each agency's node holds its copy of the key, beside the hub; none of it is in the hub.
    held = sorted(kept.nodes.glob("*/linkage.key"))
    assert [p.parent.name for p in held][:1] == ["dss"] and "lea" in [p.parent.name for p in held]
    secret = held[0].read_text(encoding="ascii").split()[-1]
    assert b"accord-linkage-key" not in kept.bytes
    assert secret.encode() not in kept.bytes and bytes.fromhex(secret) not in kept.bytes
    assert not any(secret in cell for cell in kept.cells)


def test_no_birth_date_of_anyone_is_kept_at_the_hub(kept: Kept) -> None:
    # Before ADR 0016 the students table kept every student's birth date for the eligible-student
    # rule (a strict xfail here); the node now sends the month the student turns 18 instead.
    county = build_county(SEED, STUDENTS, as_of=date.today())
    born = {d.isoformat() for d in county.birth_dates.values()}
    found = sorted(b for b in born if b in kept.cells or b.encode() in kept.bytes)
    assert not found, f"{len(found)} of {len(born)} students' birth dates are kept at the hub"


def test_no_school_record_id_is_kept_at_the_hub(kept: Kept) -> None:
    # The operator's own list names each student by the school's record id; the school's node sends
    # its pseudonyms instead (ADR 0022), and keeps the one key that makes them.
    county = build_county(SEED, STUDENTS, as_of=date.today())
    ids = {s.id for s in county.students if s.school_agency_id == SCHOOL}
    numbers = {i.removeprefix("stu-") for i in ids}
    found = sorted(i for i in ids if i in kept.words or i.encode() in kept.bytes)
    # An id made of a word and the student's number (the synthetic consents' `ferpa-000011`).
    numbered = sorted(w for w in kept.words if (parts := w.split("-"))[0].isalpha() and parts[-1] in numbers)
    assert ids and not found and not numbered, (
        f"{len(found)} of {len(ids)} school record ids kept at the hub; {len(numbered)} ids carry a number")
    assert (kept.nodes / SCHOOL / "pseudonym.key").exists()
    assert b"accord-pseudonym-key" not in kept.bytes


def test_the_month_of_turning_18_is_kept_only_when_near(kept: Kept) -> None:
    # The month narrows a birth date to one of some thirty days; the school's node sends it only
    # for birthdays in this month or the next two, else bounds the whole file shares (ADR 0030).
    engine = sa.create_engine(f"sqlite:///{kept.database}")
    with engine.connect() as connection:
        rows = connection.execute(sa.text("SELECT turns_18_in, turns_18_by FROM students "
                                          "WHERE turns_18_in IS NOT NULL")).all()
    engine.dispose()
    first = date.today().replace(day=1)
    near = {f"{first.year + (first.month + k - 1) // 12}-{(first.month + k - 1) % 12 + 1:02d}"
            for k in range(3)}
    exact = {str(m)[:7] for m, by in rows if by is None}
    bounds = {(str(m)[:7], str(by)[:7]) for m, by in rows if by is not None}
    assert rows and exact <= near, f"{len(exact - near)} months kept that are not near"
    # Ahead, one bound for all; past, a birthday's year (this year's up to last month).
    ahead = {b for b in bounds if b[1] == "9999-12"}
    years = {b for b in bounds - ahead if b[0].endswith("-01") and b[0][:4] == b[1][:4]}
    assert len(ahead) == 1 and years == bounds - ahead, f"{len(bounds)} kinds of bounds"
