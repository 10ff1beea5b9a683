"""Agency records, sealed content, intake batches and officer notices, on both backends."""

from __future__ import annotations

import os
from datetime import date, datetime

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from accord.domain.content import ContentItem
from accord.ledger.entries import Draft, EntryKind
from accord.store.crypto import ContentCipher, ContentKeyError
from accord.store.errors import Conflict, NotFound
from accord.store.models import (
    AgencyRecordRow,
    IntakeBatchRow,
    OfficerNotificationRow,
    RecordContentRow,
)
from accord.store.repositories import content as repo
from accord.store.repositories import ledger as ledger_repo
from accord.store.repositories import sealed_content as sealed_repo
from accord.store.repositories.content_corrections import ContentWritten as Written
from accord.store.repositories.content_write import add_content
from tests.integration.builders import seed_parties

CIPHER = ContentCipher(bytes(range(32)))
PLANTED = "Planted-Marker-7731"  # a value that must never appear in the stored bytes


def _batch(session: Session, rows: int = 0) -> int:
    return repo.start_batch(session, "lea", "attendance", "/home/someone/att.csv", rows)


def _attendance(record_id: str, n: int) -> list[ContentItem]:
    return [ContentItem(record_id, "attendance", date(2026, 1, 1 + i % 28),
                        {"event": "Unexcused Absence", "n": i}) for i in range(n)]


def test_bulk_insert_and_read_back(session: Session) -> None:
    seed_parties(session)
    b = _batch(session)
    repo.upsert_agency_records(session, "lea", (f"r{i}" for i in range(25_000)), b,
                               student_ids={"r1": "stu-1"})
    items = (ContentItem(f"r{i % 25_000}", "attendance", date(2026, 1, 1 + i % 28),
                         {"event": "Tardy", "i": i, "ok": True, "x": None, "f": 0.5})
             for i in range(50_000))  # a generator: consumed in chunks, never listed
    assert add_content(session, "lea", items, CIPHER, b).added == 50_000
    extra = [ContentItem("r1", "discipline", None, {"incident": "I-9", "on": "x"}),
             ContentItem("r1", "grades", date(2026, 2, 1), {"mark": "B+"}),
             ContentItem("r1", "discipline", date(2025, 12, 1), {"incident": "I-1"})]
    assert add_content(session, "lea", extra, CIPHER, b).added == 3
    session.commit()
    assert repo.count_records(session, "lea") == 25_000
    got = sealed_repo.content_for(session, "lea", "r1", {"discipline", "attendance"}, CIPHER)
    assert [(c.element, c.occurred_on) for c in got] == [
        ("attendance", date(2026, 1, 2)), ("attendance", date(2026, 1, 26)),
        ("discipline", None), ("discipline", date(2025, 12, 1))]
    assert got[0].values == {"event": "Tardy", "i": 1, "ok": True, "x": None, "f": 0.5}
    assert got[1].values["i"] == 25_001
    assert got[2] == ContentItem("r1", "discipline", None, {"incident": "I-9", "on": "x"})
    assert sealed_repo.content_for(session, "lea", "r1", {"grades"}, CIPHER) == [extra[1]]
    assert sealed_repo.content_for(session, "lea", "r1", set(), CIPHER) == []
    assert sealed_repo.content_for(session, "lea", "r-unknown", {"grades"}, CIPHER) == []


def test_dates_inside_values_come_back_as_iso_text(session: Session) -> None:
    seed_parties(session)
    b = _batch(session)
    repo.upsert_agency_records(session, "lea", ["r1"], b)
    add_content(session, "lea", [ContentItem("r1", "enrollment", None,
                                                  {"entry": date(2025, 8, 20)})],  # type: ignore[dict-item]
                     CIPHER, b)
    [item] = sealed_repo.content_for(session, "lea", "r1", ["enrollment"], CIPHER)
    assert item.values == {"entry": "2025-08-20"}


def test_records_are_registered_once_and_linked_to_students(session: Session) -> None:
    seed_parties(session)
    b1 = _batch(session)
    repo.upsert_agency_records(session, "lea", ["r1", "r2", "r2"], b1, student_ids={"r1": "stu-1"})
    b2 = _batch(session)
    repo.upsert_agency_records(session, "lea", ["r2", "r3"], b2, student_ids={"r2": "stu-1"})
    repo.upsert_agency_records(session, "health", ["r1"], b2)  # same id, another agency
    session.commit()
    assert repo.count_records(session, "lea") == 3
    assert repo.student_for_record(session, "lea", "r1") == "stu-1"
    assert repo.student_for_record(session, "lea", "r2") is None  # the first load stands
    assert repo.student_for_record(session, "health", "r1") is None
    assert repo.student_for_record(session, "lea", "nope") is None
    batches = {r: b for r, b in session.execute(
        select(AgencyRecordRow.record_id, AgencyRecordRow.batch_id)
        .where(AgencyRecordRow.agency_id == "lea"))}
    assert batches == {"r1": b1, "r2": b1, "r3": b2}
    # A load asks about its batch's ids alone, of one agency; the others are not read.
    assert repo.registered_among(session, "lea", ["r3", "r1", "nope", "r3"]) == {"r1", "r3"}
    assert repo.registered_among(session, "health", ["r1", "r2"]) == {"r1"}
    assert repo.registered_among(session, "lea", []) == set()
    assert sorted(repo.some_record_ids(session, "lea", 2)) in (["r1", "r2"], ["r1", "r3"], ["r2", "r3"])


def test_unknown_student_or_record_is_a_conflict(session: Session) -> None:
    seed_parties(session)
    b = _batch(session)
    session.commit()
    with pytest.raises(Conflict, match="not registered") as err:
        repo.upsert_agency_records(session, "lea", ["r1"], b, student_ids={"r1": "stu-404"})
    assert "stu-404" not in str(err.value)
    session.rollback()
    with pytest.raises(Conflict, match="adding record content") as refused:
        add_content(session, "lea", _attendance("r-not-loaded", 1), CIPHER, b)
    assert "r-not-loaded" not in str(refused.value)  # PostgreSQL's DETAIL names the key


def test_content_is_sealed_at_rest(session: Session) -> None:
    seed_parties(session)
    b = _batch(session)
    repo.upsert_agency_records(session, "lea", ["r1"], b)
    add_content(session, "lea", [ContentItem("r1", "health_notes", date(2026, 1, 5),
                                                  {"note": PLANTED})], CIPHER, b)
    session.commit()
    row = session.execute(select(RecordContentRow.key_id, RecordContentRow.sealed)).one()
    sealed = bytes(row.sealed)
    assert row.key_id == CIPHER.key_id
    assert PLANTED.encode() not in sealed and b"note" not in sealed
    assert PLANTED.encode("utf-16-le") not in sealed


def test_a_sealed_value_moved_to_another_row_does_not_open(session: Session) -> None:
    seed_parties(session)
    b = _batch(session)
    repo.upsert_agency_records(session, "lea", ["r1", "r2"], b)
    add_content(session, "lea", [ContentItem("r1", "attendance", date(2026, 1, 5), {"n": 1}),
                                      ContentItem("r2", "attendance", date(2026, 1, 5), {"n": 2}),
                                      ContentItem("r2", "grades", date(2026, 1, 5), {"n": 3})],
                     CIPHER, b)
    session.commit()
    ids = {r: i for r, i in session.execute(
        select(RecordContentRow.record_id, RecordContentRow.id)
        .where(RecordContentRow.element == "attendance"))}
    blob = session.scalar(select(RecordContentRow.sealed).where(RecordContentRow.id == ids["r1"]))
    session.execute(update(RecordContentRow).where(RecordContentRow.id == ids["r2"])
                    .values(sealed=blob))
    session.commit()
    with pytest.raises(ContentKeyError, match=f"content row {ids['r2']}") as err:
        sealed_repo.content_for(session, "lea", "r2", ["attendance"], CIPHER)
    assert '"n"' not in str(err.value)
    # The same element's value moved to another element or date of the same record: refused too.
    grades = session.scalar(select(RecordContentRow.id).where(RecordContentRow.element == "grades"))
    session.execute(update(RecordContentRow).where(RecordContentRow.id == grades)
                    .values(occurred_on=date(2026, 1, 6)))
    with pytest.raises(ContentKeyError):
        sealed_repo.content_for(session, "lea", "r2", ["grades"], CIPHER)
    assert sealed_repo.content_for(session, "lea", "r1", ["attendance"], CIPHER)[0].values == {"n": 1}


def test_content_under_another_key_is_named_by_key_id(session: Session) -> None:
    seed_parties(session)
    b = _batch(session)
    repo.upsert_agency_records(session, "lea", ["r1"], b)
    add_content(session, "lea", _attendance("r1", 2), CIPHER, b)
    other = ContentCipher(os.urandom(32))
    with pytest.raises(ContentKeyError, match=f"sealed under key {CIPHER.key_id}"):
        sealed_repo.content_for(session, "lea", "r1", ["attendance"], other)


def test_batch_bookkeeping(session: Session) -> None:
    seed_parties(session)
    at = datetime(2026, 3, 1, 8, 0)
    b = repo.start_batch(session, "lea", "attendance", "/home/jdoe/exports/att.csv", 12, at=at)
    repo.upsert_agency_records(session, "lea", ["r1"], b)
    loaded = add_content(session, "lea", _attendance("r1", 10), CIPHER, b)
    repo.finish_batch(session, b, loaded.added, 2)
    session.commit()
    assert repo.get_batch(session, b) == repo.IntakeBatch(b, "lea", "attendance", "att.csv",
                                                          12, 10, 2, at)
    assert session.scalar(select(func.count()).select_from(RecordContentRow)
                          .where(RecordContentRow.batch_id == b)) == 10
    assert repo.get_batch(session, b + 1000) is None
    with pytest.raises(NotFound):
        repo.finish_batch(session, b + 1000, 0, 0)
    with pytest.raises(Conflict):
        repo.start_batch(session, "no-such-agency", "attendance", "x.csv", 0)


def test_rollback_leaves_nothing(session: Session) -> None:
    seed_parties(session)
    session.commit()
    b = _batch(session, 100)
    repo.upsert_agency_records(session, "lea", [f"r{i}" for i in range(50)], b)
    add_content(session, "lea", (item for i in range(50) for item in _attendance(f"r{i}", 2)),
                     CIPHER, b)
    repo.finish_batch(session, b, 100, 0)
    session.rollback()
    for table in (IntakeBatchRow, AgencyRecordRow, RecordContentRow):
        assert session.scalar(select(func.count()).select_from(table)) == 0


def test_deleting_a_record_deletes_its_content(session: Session) -> None:
    seed_parties(session)
    b = _batch(session)
    repo.upsert_agency_records(session, "lea", ["r1", "r2"], b)
    add_content(session, "lea", _attendance("r1", 3) + _attendance("r2", 1), CIPHER, b)
    session.commit()
    session.delete(session.get_one(AgencyRecordRow, ("lea", "r1")))
    session.commit()
    assert session.scalars(select(RecordContentRow.record_id)).all() == ["r2"]


def _ledger_seq(session: Session) -> int:
    return ledger_repo.append(session, Draft(EntryKind.DISCLOSURE_DECISION, {"n": 1},
                                             student_id="stu-1")).seq


def test_officer_notifications(session: Session) -> None:
    seed_parties(session)
    seq = _ledger_seq(session)
    at = datetime(2026, 3, 2, 14, 30)
    summary = "u-nurse (health) received attendance, health_notes under 99.36 (emergency)"
    n1 = repo.notify_officer(session, "lea", seq, "emergency_disclosure", summary, at=at)
    n2 = repo.notify_officer(session, "lea", seq, "emergency_disclosure", "second", at=at)
    n3 = repo.notify_officer(session, "health", seq, "emergency_disclosure", "other agency")
    session.commit()
    assert [n.id for n in repo.open_notifications(session, "lea")] == [n1, n2]
    assert repo.open_notifications(session, "lea")[0] == repo.OfficerNotification(
        n1, "lea", seq, "emergency_disclosure", summary, at)
    repo.acknowledge(session, n1, "u-officer", datetime(2026, 3, 3, 9, 0))
    session.commit()
    assert [n.id for n in repo.open_notifications(session, "lea")] == [n2]
    assert [n.id for n in repo.open_notifications(session, "health")] == [n3]
    row = session.get_one(OfficerNotificationRow, n1)
    assert (row.acknowledged_by, row.acknowledged_at) == ("u-officer", datetime(2026, 3, 3, 9, 0))
    with pytest.raises(Conflict, match="already acknowledged"):
        repo.acknowledge(session, n1, "u-officer", datetime(2026, 3, 4))
    with pytest.raises(NotFound):
        repo.acknowledge(session, n3 + 100, "u-officer", datetime(2026, 3, 4))


def test_a_notice_must_point_at_a_ledger_entry_and_a_known_user(session: Session) -> None:
    seed_parties(session)
    session.commit()
    with pytest.raises(Conflict):
        repo.notify_officer(session, "lea", 999, "emergency_disclosure", "x")
    session.rollback()
    n = repo.notify_officer(session, "lea", _ledger_seq(session), "emergency_disclosure", "x")
    with pytest.raises(Conflict):
        repo.acknowledge(session, n, "u-nobody", datetime(2026, 3, 4))


def _marks(mark_of_math: str) -> list[ContentItem]:
    return [ContentItem("r1", "grades", None, {"school_id": "sch-1", "course_code": c, "term": "2026 Fall",
                                               "mark": m})
            for c, m in (("MATH5", mark_of_math), ("ELA5", "A"), ("SCI5", "B"))]


def test_a_corrected_fact_replaces_the_earlier_one_and_an_unchanged_one_is_left(session: Session) -> None:
    seed_parties(session)
    b = _batch(session)
    repo.upsert_agency_records(session, "lea", ["r1"], b)
    assert add_content(session, "lea", _marks("B"), CIPHER, b) == Written(3, 0, 0)
    again = _batch(session)
    assert add_content(session, "lea", _marks("B"), CIPHER, again) == Written(0, 0, 3)
    corrected = _batch(session)
    more = [*_marks("C"), ContentItem("r1", "grades", None, {"school_id": "sch-1", "course_code": "ART5",
                                                            "term": "2026 Fall", "mark": "A"})]
    assert add_content(session, "lea", more, CIPHER, corrected) == Written(1, 1, 2)
    session.commit()
    marks = {i.values["course_code"]: i.values["mark"]
             for i in sealed_repo.content_for(session, "lea", "r1", ["grades"], CIPHER)}
    assert marks == {"MATH5": "C", "ELA5": "A", "SCI5": "B", "ART5": "A"}
    assert session.scalar(select(func.count()).select_from(RecordContentRow)) == 4
    # The same course in another term is another fact, not a correction.
    spring = [ContentItem("r1", "grades", None, {"school_id": "sch-1", "course_code": "MATH5",
                                                 "term": "2027 Spring", "mark": "A"})]
    assert add_content(session, "lea", spring, CIPHER, corrected).added == 1


def test_digests_are_keyed_and_tell_nothing_without_the_key(session: Session) -> None:
    seed_parties(session)
    b = _batch(session)
    repo.upsert_agency_records(session, "lea", ["r1"], b)
    add_content(session, "lea", _marks("B"), CIPHER, b)
    session.commit()
    stored = {bytes(k) for k in session.scalars(select(RecordContentRow.natural_key)) if k is not None}
    other = ContentCipher(bytes(range(1, 33)))
    assert CIPHER.digest(b"same") == CIPHER.digest(b"same") != other.digest(b"same")
    assert len(stored) == 3 and all(len(k) == 16 for k in stored)
    # A store copied without the content key cannot test a guess at a mark or a course.
    guesses = {other.digest(f"2:r1|6:grades|0:|5:sch-1|5:{c}|9:2026 Fall|".encode())
               for c in ("MATH5", "ELA5")}
    assert not stored & guesses
    assert {CIPHER.digest(f"2:r1|6:grades|0:|5:sch-1|{len(c)}:{c}|9:2026 Fall|".encode())
            for c in ("MATH5", "ELA5", "SCI5")} == stored
