"""Ed-Fi as agencies send it (issue 16): descriptors in a state's own namespace are rejected by
file, row and field, with the URI to map; once the records officer maps them
(`accord descriptors map`), the same file loads under the known codes. Both backends."""

from __future__ import annotations

from tests.workflows.intake_hub import IDS, SCHOOL, Hub, load_students, opened

STATE = "uri://quellwood.k12.example/AttendanceEventCategoryDescriptor#"


def _events(hub: Hub, reverse: bool = False) -> str:
    rows = [{"studentReference": {"studentUniqueId": rid}, "schoolReference": {"schoolId": int(SCHOOL)},
             "eventDate": f"2026-09-0{day}", "attendanceEventCategoryDescriptor": f"{STATE}{code}"}
            for rid in IDS for day, code in ((1, "UA"), (2, "T"), (3, "P"))]
    return str(hub.write_json("events.json", rows[::-1] if reverse else rows))


def test_state_descriptors_are_reported_then_mapped_and_loaded(hub: Hub) -> None:
    load_students(hub)
    refused = hub.run("intake", "load", "--agency", "lea", "--kind", "studentSchoolAttendanceEvents",
                      "--in", _events(hub))
    shown = " ".join(refused.output.split())
    assert refused.exit_code == 1 and "Nothing was loaded" in shown, refused.output
    assert "events.json" in shown and "attendanceEventCategoryDescriptor" in shown
    assert f"AttendanceEventCategoryDescriptor {STATE}UA: 3 row(s)" in shown, shown
    assert f"AttendanceEventCategoryDescriptor {STATE}P: 3 row(s)" in shown

    wrong = hub.run("descriptors", "map", "--agency", "lea", "--from", f"{STATE}UA", "--to", "Skipped")
    assert wrong.exit_code == 2 and "--to: 'Skipped' is not a AttendanceEventCategoryDescriptor code" \
        in " ".join(wrong.output.split()), wrong.output
    for code, known in (("UA", "Unexcused Absence"), ("T", "tardy"), ("P", "In Attendance")):
        hub.ok("descriptors", "map", "--agency", "lea", "--from", f"{STATE}{code}", "--to", known)
    listed = hub.ok("descriptors", "list", "--agency", "lea")
    assert "Tardy" in listed and "In Attendance" in listed

    shown = hub.ok("intake", "load", "--agency", "lea", "--kind", "studentSchoolAttendanceEvents",
                   "--in", _events(hub))
    assert "9 rows read, 9 loaded, 0 rejected" in " ".join(shown.split())
    days = opened(hub, "lea", IDS[0], "attendance")
    assert [d["event"] for d in days] == ["Unexcused Absence", "Tardy", "In Attendance"]

    hub.ok("descriptors", "unmap", "--agency", "lea", "--from", f"{STATE}P")
    again = hub.run("intake", "load", "--agency", "lea", "--kind", "studentSchoolAttendanceEvents",
                    "--in", _events(hub, reverse=True))  # other bytes: read, not known by its hash
    assert again.exit_code == 1 and f"{STATE}P: 3 row(s)" in " ".join(again.output.split())


def test_a_uri_that_is_no_descriptor_the_readers_take_is_refused(hub: Hub) -> None:
    for source, message in (("Unexcused", "--from: not an Ed-Fi descriptor URI"),
                            ("uri://x.example/HairColorDescriptor#Red",
                             "--from: HairColorDescriptor is not a descriptor the Ed-Fi readers take")):
        result = hub.run("descriptors", "map", "--agency", "lea", "--from", source, "--to", "Tardy")
        assert result.exit_code == 2 and message in " ".join(result.output.split()), result.output
    result = hub.run("descriptors", "map", "--agency", "nobody", "--from", f"{STATE}UA", "--to", "Tardy")
    assert result.exit_code == 2 and "--agency: unknown agency nobody" in result.output
