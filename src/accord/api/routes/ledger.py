"""The disclosure ledger (34 CFR 99.32) for records officers and administrators: verify it, read a
student's history as the family would (the officer's own school's students), prove an entry, and
sign a checkpoint (administrators)."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Request

from accord.api.deps import CurrentUser, LedgerSeq, SessionDep, guarded
from accord.domain.agencies import Role
from accord.workflows.ledger_desk import new_checkpoint, proof_of, school_history, verification

router = APIRouter(prefix="/ledger", tags=["ledger"])
KEEPERS = guarded(Role.RECORDS_OFFICER, Role.ADMINISTRATOR)


@router.get("/verification", **KEEPERS)
def verify(request: Request, session: SessionDep) -> dict[str, Any]:
    """Re-walk the chain and the Merkle tree: every problem found, first one first."""
    return verification(session, request.app.state.settings.ledger_key_file)


@router.get("/students/{student_id}/history", **guarded(Role.RECORDS_OFFICER))
def history(student_id: str, session: SessionDep, user: CurrentUser,
            reader: Literal["parent", "student"] = "parent") -> list[dict[str, Any]]:
    """A student of the officer's school: their history as the parent (or student) reads it."""
    return [line.as_dict() for line in school_history(session, user, student_id, reader)]


@router.get("/entries/{seq}/proof", **KEEPERS)
def proof(seq: LedgerSeq, session: SessionDep) -> dict[str, Any]:
    """An RFC 9162 inclusion proof of an entry against the latest signed checkpoint."""
    return proof_of(session, seq)


@router.post("/checkpoints", **guarded(Role.ADMINISTRATOR))
def checkpoint(request: Request, session: SessionDep) -> dict[str, Any]:
    """Sign the current root, keep it, and hand a copy to every partner agency."""
    settings = request.app.state.settings
    return new_checkpoint(session, settings.ledger_key_file, settings.witness_dir)
