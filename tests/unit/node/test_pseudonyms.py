"""The school's pseudonyms: keyed, stable, one-way, and the only ids its files carry to the hub."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pyarrow.parquet as pq  # type: ignore[import-untyped]
import pytest
from hypothesis import given
from hypothesis import strategies as st

from accord.domain.students import looks_pseudonymous
from accord.linkage.encode.keys import generate_key
from accord.linkage.roster import RosterError
from accord.node import copy_for_hub, encode_file
from accord.node.pseudonyms import (
    KEY_BYTES,
    PseudonymKeyError,
    make_pseudonym_key,
    pseudonymiser,
    read_pseudonym_key,
    write_pseudonym_key,
)

KEY = bytes(range(KEY_BYTES))


def test_the_same_id_gives_the_same_pseudonym_and_another_key_another() -> None:
    ours, theirs = pseudonymiser(KEY), pseudonymiser(bytes(KEY_BYTES))
    assert ours("stu-000011") == pseudonymiser(KEY)("stu-000011")
    assert ours("stu-000011") != theirs("stu-000011") and ours("stu-000011") != ours("stu-000012")
    assert looks_pseudonymous(ours("stu-000011")) and not looks_pseudonymous("stu-000011")
    assert len(ours("x" * 64)) <= 64  # fits the store's id columns
    assert ours(" stu-000011 ") == ours("stu-000011") and ours("") == "" and ours("  ") == "  "


@given(st.lists(st.text(min_size=1, max_size=40), min_size=2, max_size=50, unique=True))
def test_distinct_ids_never_share_a_pseudonym(ids: list[str]) -> None:
    named = pseudonymiser(KEY)
    assert len({named(i) for i in ids}) == len(ids)
    assert all(i not in named(i) for i in ids if len(i) > 3)


def test_the_key_file_is_private_and_checked(tmp_path: Path) -> None:
    made = make_pseudonym_key(tmp_path / "p.key")
    assert read_pseudonym_key(tmp_path / "p.key") == made
    assert (tmp_path / "p.key").stat().st_mode & 0o077 == 0
    with pytest.raises(PseudonymKeyError, match="exists"):
        write_pseudonym_key(tmp_path / "p.key", KEY)
    (tmp_path / "bad.key").write_text("accord-linkage-key v1\n" + "ab" * 32 + "\n")
    (tmp_path / "bad.key").chmod(0o600)
    with pytest.raises(PseudonymKeyError, match="not a pseudonym key file"):
        read_pseudonym_key(tmp_path / "bad.key")
    (tmp_path / "p.key").chmod(0o644)
    with pytest.raises(PseudonymKeyError):
        read_pseudonym_key(tmp_path / "p.key")


def _csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def test_every_file_the_node_sends_carries_pseudonyms_only(tmp_path: Path) -> None:
    named = pseudonymiser(KEY)
    ids = ["stu-000011", "stu-000012"]
    roster = _csv(tmp_path / "students.csv", ["record_id", "first_name", "last_name", "date_of_birth"],
                  [[ids[0], "Ana", "Ruiz", "2014-03-02"], [ids[1], "Ben", "Ode", "2013-01-09"]])
    encode_file(roster, tmp_path / "enc.parquet", generate_key(), "dsa-x", tmp_path / "hub.csv", named)
    attendance = _csv(tmp_path / "attendance.csv", ["record_id", "school_id", "event_date", "event"],
                      [[i, "s1", "2026-09-01", "In Attendance"] for i in ids])
    copy_for_hub(attendance, tmp_path / "attendance-hub.csv", named)
    events = tmp_path / "events.ndjson"
    events.write_text("".join(json.dumps({"studentReference": {"studentUniqueId": i},
                                          "eventDate": "2026-09-01"}) + "\n" for i in ids))
    copy_for_hub(events, tmp_path / "events-hub.ndjson", named)
    sent = [pq.read_table(tmp_path / "enc.parquet")["record_id"].to_pylist()]
    for name in ("hub.csv", "attendance-hub.csv"):
        with (tmp_path / name).open(encoding="utf-8") as handle:
            sent.append([r["record_id"] for r in csv.DictReader(handle)])
    sent.append([json.loads(line)["studentReference"]["studentUniqueId"]
                 for line in (tmp_path / "events-hub.ndjson").read_text().splitlines()])
    assert all(found == [named(i) for i in ids] for found in sent), sent
    for name in ("enc.parquet", "hub.csv", "attendance-hub.csv", "events-hub.ndjson"):
        assert not any(i.encode() in (tmp_path / name).read_bytes() for i in ids), name


def test_a_students_resource_is_not_copied_with_its_names(tmp_path: Path) -> None:
    people = tmp_path / "students.json"
    people.write_text(json.dumps([{"studentUniqueId": "stu-000011", "firstName": "Ana", "lastSurname": "Ruiz",
                                   "birthDate": "2014-03-02"}]))
    with pytest.raises(RosterError, match="node encode --hub-copy"):
        copy_for_hub(people, tmp_path / "copy.json", pseudonymiser(KEY))
    assert not (tmp_path / "copy.json").exists()
