"""Students: only what decides who holds FERPA rights; no names ever reach the store."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import fields
from itertools import islice
from typing import Any

from sqlalchemy import Column, MetaData, Table, func, select
from sqlalchemy.orm import Session

from accord.domain.students import Student
from accord.store.bulk import BulkInsert
from accord.store.errors import guarded
from accord.store.id_lists import CHUNK, among_chunks
from accord.store.models import StudentRow

_BATCH = 5_000  # rows per INSERT round trip; bounded so memory stays flat for a state roster


def _student(row: StudentRow) -> Student:
    return Student(id=row.id, school_agency_id=row.school_agency_id,
                   turns_18_in=row.turns_18_in,
                   postsecondary_enrolled_on=row.postsecondary_enrolled_on,
                   directory_opt_out=row.directory_opt_out,
                   meal_disclosure_opt_out=row.meal_disclosure_opt_out,
                   foster_care_agency_id=row.foster_care_agency_id, turns_18_by=row.turns_18_by)


_FIELDS = tuple(f.name for f in fields(Student))
_STUDENTS: Table = StudentRow.__table__  # type: ignore[assignment]


def _values(s: Student) -> dict[str, Any]:
    # A shallow copy: asdict deep-copies every field, which made a million-student load slow.
    return {name: getattr(s, name) for name in _FIELDS}


@guarded("saving a student")
def save_student(session: Session, student: Student) -> Student:
    """Insert or replace one student."""
    session.merge(StudentRow(**_values(student)))
    session.flush()
    return student


@guarded("adding students")
def add_students(session: Session, students: Iterable[Student]) -> int:
    """Bulk-insert new students (thousands at a time); returns how many were inserted.

    Insert-only, for loading rosters: a student id already stored fails the whole
    transaction rather than silently overwriting a record.
    """
    it, total = iter(students), 0
    write = BulkInsert(session.connection(), _STUDENTS, _FIELDS)
    while batch := [tuple([getattr(s, name) for name in _FIELDS]) for s in islice(it, _BATCH)]:
        write(batch)
        total += len(batch)
    return total


def get_student(session: Session, student_id: str) -> Student | None:
    """The student, or None when unknown."""
    row = session.get(StudentRow, student_id)
    return _student(row) if row is not None else None


def list_students(session: Session, school_agency_id: str | None = None) -> list[Student]:
    """Every student (of one school agency, when given), by id."""
    query = select(StudentRow).order_by(StudentRow.id)
    if school_agency_id is not None:
        query = query.where(StudentRow.school_agency_id == school_agency_id)
    return [_student(r) for r in session.scalars(query)]


def count_students(session: Session) -> int:
    """How many students are stored."""
    return session.scalar(select(func.count()).select_from(StudentRow)) or 0


def schools_of(session: Session, student_ids: list[str], chunk: int = CHUNK) -> dict[str, str]:
    """The school agency of each of these students already stored (the others are absent)."""
    owners: dict[str, str] = {}
    for matching in among_chunks(session, StudentRow.id, student_ids, chunk):
        rows = session.execute(select(StudentRow.id, StudentRow.school_agency_id).where(matching))
        owners.update({sid: agency for sid, agency in rows})
    return owners


def students_by_ids(session: Session, student_ids: list[str], chunk: int = CHUNK) -> list[Student]:
    """The stored students among `student_ids` (the others are absent), in chunks as `schools_of`.
    Read as rows, not ORM objects: a reload asks for every student of each batch."""
    found: list[Student] = []
    columns = [getattr(StudentRow, name) for name in _FIELDS]  # Student's own order
    for matching in among_chunks(session, StudentRow.id, student_ids, chunk):
        found += [Student(*row) for row in session.execute(select(*columns).where(matching))]
    return found


_REPLACED = _FIELDS[1:]  # what a reload replaces: every fact but the id
_SCRATCH = Table("students_reloaded", MetaData(), *(Column(c.name, c.type) for c in _STUDENTS.c))


@guarded("replacing students")
def replace_students(session: Session, students: Iterable[Student]) -> None:
    """Replace the facts of students already stored (a students file loaded again), thousands at a
    time: one UPDATE by executemany on SQLite; on PostgreSQL the rows go by COPY into a scratch
    table dropped at the commit, and one UPDATE ... FROM it sets them all. Merging them one by one
    through the ORM loaded a reload at a third of a first load's speed."""
    conn = session.connection()
    it = iter(students)
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql("CREATE TEMP TABLE IF NOT EXISTS students_reloaded (LIKE students) "
                             "ON COMMIT DROP")
        write = BulkInsert(conn, _SCRATCH, _FIELDS)
        setting = ", ".join(f"{c} = r.{c}" for c in _REPLACED)
        while batch := [tuple([getattr(s, name) for name in _FIELDS]) for s in islice(it, _BATCH * 4)]:
            write(batch)
            conn.exec_driver_sql(f"UPDATE students AS s SET {setting} FROM students_reloaded AS r "
                                 "WHERE s.id = r.id")
            conn.exec_driver_sql("TRUNCATE students_reloaded")
        return
    update = f"UPDATE students SET {', '.join(f'{c} = ?' for c in _REPLACED)} WHERE id = ?"
    while rows := [(*[getattr(s, name) for name in _REPLACED], s.id) for s in islice(it, _BATCH * 4)]:
        conn.exec_driver_sql(update, rows)
