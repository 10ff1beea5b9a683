"""Every command that takes a file, given each kind of bad file a newcomer can make (issue 16):
one clear line naming the file (or, for rows, the report naming file, row and field), a non-zero
exit, no traceback, nothing of the people in the file echoed, and the store as it was.

The face's handling does not depend on the database, so the matrix runs on SQLite; the loads'
own refusals are tested on both backends in test_intake.py."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from accord.store.db import make_engine, make_session_factory, session_scope
from accord.store.repositories.agencies import save_user
from tests.spec import world
from tests.workflows.intake_hub import ATTENDANCE_COLUMNS, IDS, SCHOOL, Hub, load_students

PLANTED = ("Zyra", "Quellwood", "2014-03-14")  # a name and birth date no message may repeat
CSV_ROW = f"{IDS[0]},{SCHOOL},2026-09-01,Tardy"
ATTENDANCE = ",".join(ATTENDANCE_COLUMNS)

# What each kind of bad file holds, by the format a slot expects (csv, json, parquet, key).
BAD: dict[str, Callable[[str], bytes | None]] = {
    "missing file": lambda fmt: None,
    "empty file": lambda fmt: b"",
    "wrong columns": lambda fmt: b"first_name,last_name,date_of_birth\nZyra,Quellwood,2014-03-14\n",
    "byte-order mark": lambda fmt: b"\xef\xbb\xbf" + (f"{ATTENDANCE}\n{CSV_ROW},Zyra\n".encode()
                                                     if fmt == "csv" else b'[{"name": "Zyra Quellwood"}]'),
    "Latin-1 bytes": lambda fmt: f"{ATTENDANCE}\n{IDS[0]},{SCHOOL},2026-09-01,Tard\xe9 Zyra\n"
                                 .encode("latin-1"),
    "truncated JSON": lambda fmt: b'[{"studentReference": {"studentUniqueId": "Zyra Quellwood", ',
    "not Parquet": lambda fmt: b"PAR1 this is not a Parquet file, Zyra Quellwood PAR1",
    "absurd dates": lambda fmt: f"{ATTENDANCE}\n{IDS[0]},{SCHOOL},2014-03-14x,Tardy\n"
                                f"{IDS[1]},{SCHOOL},0000-00-00,Tardy\n"
                                f"{IDS[2]},{SCHOOL},2090-13-45,Tardy\n".encode(),
    "a 1 MB field": lambda fmt: f"{ATTENDANCE}\n{IDS[0]},{SCHOOL},2026-09-01,{'Zyra' * 262_144}\n".encode(),
    "wrong key": lambda fmt: b"accord-linkage-key v1\nZyra Quellwood\n",
}


def _slots(hub: Hub, good: dict[str, Path]) -> dict[str, tuple[str, Callable[[Path], list[str]]]]:
    """Each command's file argument: its format, and the command line with the bad file in it."""
    out = str(hub.root / "out.parquet")
    return {
        "intake load --in (CSV)": ("csv", lambda p: ["intake", "load", "--agency", "lea", "--kind",
                                                     "attendance", "--in", str(p)]),
        "intake load --in (Ed-Fi)": ("json", lambda p: ["intake", "load", "--agency", "lea", "--kind",
                                                         "studentSchoolAttendanceEvents", "--in", str(p)]),
        "intake load --encoded": ("parquet", lambda p: ["intake", "load", "--agency", "lea", "--kind",
                                                        "students", "--in", str(good["copy"]), "--encoded",
                                                        str(p)]),
        "intake load --incidents": ("json", lambda p: [
            "intake", "load", "--agency", "lea", "--kind", "studentDisciplineIncidentBehaviorAssociations",
            "--in", str(good["behaviors"]), "--incidents", str(p)]),
        "content key file": ("key", lambda p: ["intake", "load", "--agency", "lea", "--kind", "attendance",
                                               "--in", str(good["attendance"])]),
        "node encode --in": ("csv", lambda p: ["node", "encode", "--key-file", str(good["key"]), "--in",
                                               str(p), "--out", out, "--agreement", "dsa-health"]),
        "node encode --key-file": ("key", lambda p: ["node", "encode", "--key-file", str(p), "--in",
                                                     str(good["students"]), "--out", out, "--agreement",
                                                     "dsa-health"]),
        "agreements create": ("json", lambda p: ["agreements", "create", str(p)]),
        "consents record": ("json", lambda p: ["consents", "record", str(p)]),
        "link --left": ("parquet", lambda p: ["link", "--left", str(p), "--dedupe", "--out",
                                              str(hub.root / "links.csv")]),
        "evaluate-links --links": ("csv", lambda p: ["evaluate-links", "--links", str(p), "--truth",
                                                     str(good["truth"])]),
        "case request --student-ref": ("parquet", lambda p: [
            "case", "request", "--requester", "cw.health", "--student-ref", str(p), "--source", "lea",
            "--purpose", "supportive_services", "--fields", "attendance"]),
        "ledger verify --witness": ("json", lambda p: ["ledger", "verify", "--witness", str(p)]),
    }


KINDS = {  # which bad files each format meets
    "csv": ["missing file", "empty file", "wrong columns", "byte-order mark", "Latin-1 bytes",
            "absurd dates", "a 1 MB field"],
    "json": ["missing file", "empty file", "byte-order mark", "Latin-1 bytes", "truncated JSON"],
    "parquet": ["missing file", "empty file", "not Parquet", "wrong columns"],
    "key": ["missing file", "empty file", "wrong key", "readable by others"],
}
CASES = [(slot, kind) for slot, fmt in [
    ("intake load --in (CSV)", "csv"), ("intake load --in (Ed-Fi)", "json"),
    ("intake load --encoded", "parquet"),
    ("intake load --incidents", "json"), ("content key file", "key"), ("node encode --in", "csv"),
    ("node encode --key-file", "key"), ("agreements create", "json"), ("consents record", "json"),
    ("link --left", "parquet"), ("evaluate-links --links", "csv"), ("case request --student-ref", "parquet"),
    ("ledger verify --witness", "json")] for kind in KINDS[fmt]]


@pytest.fixture
def county(hub: Hub) -> tuple[Hub, dict[str, Path]]:
    if not hub.db_url.startswith("sqlite"):
        pytest.skip("the face's handling of bad files does not depend on the database")
    load_students(hub)
    engine = make_engine(hub.db_url)
    try:
        with session_scope(make_session_factory(engine)) as session:
            save_user(session, world.USERS["cw.health"])  # a requester the hub knows
    finally:
        engine.dispose()
    students = hub.root / "students.csv"
    copy, _ = hub.submission(students)
    good = {"key": hub.root / "shared.key", "students": students, "copy": copy,
            "attendance": hub.write_csv("good-attendance.csv", ATTENDANCE_COLUMNS, [CSV_ROW.split(",")]),
            "behaviors": hub.write_json("behaviors.json", []),
            "truth": hub.write_csv("truth.csv", ["agency", "record_id", "person_id"], [["a", "1", "p"]])}
    return hub, good


def _bad_file(hub: Hub, fmt: str, kind: str) -> Path:
    suffix = fmt if fmt in ("csv", "json", "parquet") else "key"
    path = hub.root / f"bad-{kind.replace(' ', '-')}.{suffix}"
    if kind == "readable by others":
        path.write_bytes((hub.root / "shared.key").read_bytes())
        path.chmod(0o644)
        return path
    content = BAD[kind](fmt)
    if content is not None:
        path.write_bytes(content)
        path.chmod(0o600)
    return path


@pytest.mark.parametrize(("slot", "kind"), CASES, ids=[f"{s}: {k}" for s, k in CASES])
def test_a_bad_file_is_one_clear_line(county: tuple[Hub, dict[str, Path]], slot: str, kind: str,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    hub, good = county
    fmt, command = _slots(hub, good)[slot]
    bad = _bad_file(hub, fmt, kind)
    if slot == "content key file":
        monkeypatch.setenv("ACCORD_CONTENT_KEY_FILE", str(bad))
    if slot == "content key file" and kind == "wrong key":
        bad.write_text("Zyra Quellwood\n")
    before = hub.counts()
    result = hub.run(*command(bad))
    # A progress line may precede the error where no terminal clears it: the error is what follows.
    shown = " ".join(result.output[result.output.find("error:"):].split()) if "error:" in result.output \
        else " ".join(result.output.split())
    assert result.exit_code != 0, (slot, kind, result.output)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    for planted in PLANTED:
        assert planted not in result.output, (planted, result.output)
    if result.exit_code == 1:  # rows refused: the report names file, row and field of each
        assert "Rejected rows" in result.output and bad.name in shown, result.output
    else:
        assert shown.startswith("error: ") and result.output.count("error:") == 1, result.output
        assert bad.name in shown or "file not found" in shown, result.output
        assert len(shown) < 600, shown
    assert hub.counts() == before
