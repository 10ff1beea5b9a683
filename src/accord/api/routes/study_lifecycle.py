"""A study's life, for records officers: register it (or change its scope), each contributing
agency's approval by its own officer, the build, the destruction; and the output-review queue, for
the officers of contributing agencies, never the release's author. Each call is the command line's
workflow, which checks who may take the step. The analyst's side: routes.studies."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Request

from accord.api.deps import CurrentUser, HubDep, RowId, SessionDep, guarded, now
from accord.api.transactions import OpenerDep
from accord.domain.agencies import Role
from accord.store.crypto import load_content_cipher
from accord.workflows.research import approve, destroy, register, study_from_document
from accord.workflows.study_build import build_study
from accord.workflows.study_review import decide, pending_for, reasons_of, to_review

router = APIRouter(prefix="/studies", tags=["studies"])
OFFICER = guarded(Role.RECORDS_OFFICER)


@router.post("", **OFFICER)
def register_study(session: SessionDep, user: CurrentUser,
                   document: Annotated[dict[str, Any], Body()]) -> dict[str, Any]:
    """Register a study, or a new version of its scope (`accord study register`'s JSON)."""
    study = register(session, study_from_document(document, "the study"), user.id, now())
    return {"id": study.id, "version": study.version, "status": study.status.value}


@router.post("/{study_id}/approvals", **OFFICER)
def approve_study(study_id: str, session: SessionDep, user: CurrentUser) -> dict[str, Any]:
    """The officer's agency, as a contributor, approves the study's current version."""
    study = approve(session, study_id, user.agency_id, user.id, now())
    return {"id": study.id, "version": study.version, "status": study.status.value}


@router.post("/{study_id}/build", **OFFICER)
def build(study_id: str, request: Request, hub: HubDep, user: CurrentUser,
          opener: OpenerDep) -> dict[str, Any]:
    """Build (or rebuild) its pseudonymous table once every contributor approved."""
    rows = build_study(opener, hub, study_id, user.id, now(), load_content_cipher(request.app.state.settings))
    return {"id": study_id, "children": rows}


@router.post("/{study_id}/destruction", **OFFICER)
def destroy_study(study_id: str, session: SessionDep, hub: HubDep, user: CurrentUser) -> dict[str, Any]:
    """Destroy its data at the end date or on termination; the certificate stays at the hub."""
    certificate = destroy(session, hub, study_id, user.id, now())
    return {"id": study_id, "certificate": certificate.name}


@router.get("/{study_id}/reviews", **OFFICER)
def reviews(study_id: str, session: SessionDep, user: CurrentUser) -> list[dict[str, Any]]:
    """Releases held for review, with why (not the officer's own questions)."""
    return [{"release": r.id, "asked_at": r.released_at, "why": reasons_of(r)}
            for r in pending_for(session, study_id, user.id)]


@router.get("/{study_id}/reviews/{release_id}", **OFFICER)
def review(study_id: str, release_id: RowId, session: SessionDep, user: CurrentUser) -> dict[str, Any]:
    """The held release as its reviewer sees it: the controlled table, its cells' outcomes, why."""
    r = to_review(session, study_id, release_id, user.id)
    return {"release": r.id, "asked": r.spec, "result": r.result, "why": reasons_of(r)}


@router.post("/{study_id}/reviews/{release_id}/decision", **OFFICER)
def decision(study_id: str, release_id: RowId, session: SessionDep, user: CurrentUser,
             approve: Annotated[bool, Body()], comment: Annotated[str, Body()]) -> dict[str, str]:
    """One reviewer's decision, with what was checked; two approvals release it (in the ledger)."""
    return {"status": decide(session, study_id, release_id, user.id, approve, comment, now())}
