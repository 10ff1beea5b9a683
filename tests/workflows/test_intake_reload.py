"""Reloads a records office makes: the same file again, the same facts in another file, a
corrected file, and the first file again after the correction (issue 16), on both backends."""

from __future__ import annotations

from tests.workflows.intake_hub import IDS, SCHOOL, Hub, load_students, opened

HEADER = ["record_id", "school_id", "course_code", "course_title", "term", "mark"]


def _grades(math_mark: str) -> list[list[str]]:
    marked = (IDS[1], "MATH5")
    return [[rid, SCHOOL, course, title, "Fall 2026", math_mark if (rid, course) == marked else mark]
            for rid in IDS
            for course, title, mark in (("MATH5", "Mathematics 5", "B"), ("ELA5", "English 5", "A"))]


def _load(hub: Hub, rows: list[list[str]], name: str = "grades.csv") -> str:
    shown = hub.ok("intake", "load", "--agency", "lea", "--kind", "grades",
                   "--in", str(hub.write_csv(name, HEADER, rows)))
    return " ".join(shown.split())


def _marks(hub: Hub) -> list[tuple[object, object]]:
    return sorted((g["course_code"], g["mark"]) for g in opened(hub, "lea", IDS[1], "grades"))


def test_reload_reorder_correct_and_revert(hub: Hub) -> None:
    load_students(hub)
    first = _load(hub, _grades("B"))
    assert "6 rows read, 6 loaded, 0 rejected." in first
    held, entries = hub.counts(), len(hub.ledger())

    # The same bytes: recognised by the file's hash, nothing read.
    assert "the same file was loaded as batch" in _load(hub, _grades("B"))
    # The same facts in another file (rows in another order): read, and nothing changes.
    shown = _load(hub, list(reversed(_grades("B"))), "grades-resent.csv")
    assert "6 rows read; every fact in them is held already, unchanged: nothing changed" in shown, shown
    assert hub.counts() == held and len(hub.ledger()) == entries

    # A corrected file (one mark B to C) leaves one current value, and the ledger says so.
    shown = _load(hub, _grades("C"), "grades-corrected.csv")
    assert "Facts: 0 new, 1 corrected (an earlier load's value replaced), 5 already held as they are." \
        in shown
    assert _marks(hub) == [("ELA5", "A"), ("MATH5", "C")]
    assert hub.count("record_content") == held["record_content"]
    last = hub.ledger()[-1]
    assert last["kind"] == "records_loaded" and last["body"]["facts_replaced"] == 1, last

    # The first file again, after the correction, is a change back (not "the same file").
    shown = _load(hub, _grades("B"))
    assert "Facts: 0 new, 1 corrected" in shown, shown
    assert _marks(hub) == [("ELA5", "A"), ("MATH5", "B")]
    assert hub.count("record_content") == held["record_content"]
    assert hub.ok("ledger", "verify")


def test_a_file_with_new_and_known_facts_adds_only_the_new(hub: Hub) -> None:
    load_students(hub)
    _load(hub, _grades("B"))
    held = hub.count("record_content")
    more = [*_grades("B"), [IDS[0], SCHOOL, "SCI5", "Science 5", "Fall 2026", "A"]]
    assert "Facts: 1 new, 0 corrected (an earlier load's value replaced), 6 already held" in _load(hub, more)
    assert hub.count("record_content") == held + 1


def test_accord_synths_own_education_roster_loads_as_a_students_file(hub: Hub) -> None:
    """Our own synthetic roster (a birth date missing here and there, as in real files) loads; the
    students without one are counted, their age unknown to the hub."""
    hub.ok("synth", "--students", "300", "--out", str(hub.root / "synth"), "--seed", "3")
    result = hub.load("lea", "students", hub.root / "synth" / "education.csv")
    shown = " ".join(result.output.split())
    assert result.exit_code == 0, result.output
    assert "0 rejected" in shown and "student(s) came without a birth date" in shown, shown
