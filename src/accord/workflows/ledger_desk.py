"""The ledger through the service: its verification for records officers and administrators, a
student's history for the records officer of the student's school (answering a parent), inclusion
proofs, and a new signed checkpoint. The same workflows as `accord ledger ...`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from accord.domain.agencies import User
from accord.errors import AccordError
from accord.ledger.plain_words import HistoryLine, Reader
from accord.store.repositories.ledger import entry_at
from accord.store.repositories.students import get_student
from accord.workflows import ledger as ledger_flow
from accord.workflows.parent_view import disclosure_history


class EntryNotFound(AccordError, LookupError):
    """No such entry among those the reader may see."""


def verification(session: Session, ledger_key_file: Path) -> dict[str, Any]:
    """Re-walk the chain and the tree; the problems found, first one first."""
    report = ledger_flow.verify(session, (), ledger_flow.trusted_public_key(ledger_key_file))
    return {"ok": report.ok, "entries": report.entries, "root": report.root or None,
            "checkpoints_checked": report.checkpoints_checked,
            "problems": [{"seq": p.seq, "kind": p.kind, "detail": p.text}
                         for p in sorted(report.problems, key=lambda p: p.seq)]}


def school_history(session: Session, officer: User, student_id: str, reader: Reader) -> list[HistoryLine]:
    """What the student's parent (or the eligible student) would read, for their school's officer."""
    student = get_student(session, student_id)
    if student is None or student.school_agency_id != officer.agency_id:
        raise EntryNotFound("no such student among your school's")
    return disclosure_history(session, student_id, reader)


def proof_of(session: Session, seq: int, student_id: str | None = None) -> dict[str, Any]:
    """An RFC 9162 inclusion proof of entry `seq`; with `student_id`, only of an entry about them."""
    entry = entry_at(session, seq)
    if entry is None or (student_id is not None and entry.student_id != student_id):
        raise EntryNotFound(f"there is no entry #{seq} among those you may see")
    return ledger_flow.prove(session, seq)


def new_checkpoint(session: Session, ledger_key_file: Path, witness_dir: Path) -> dict[str, Any]:
    cp, files = ledger_flow.checkpoint(session, ledger_flow.signing_key(ledger_key_file), witness_dir)
    return {"size": cp.size, "root": cp.root, "signed_at": cp.signed_at, "key_id": cp.key_id,
            "copies": len(files)}
