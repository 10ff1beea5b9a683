"""Case requests, for counselors and caseworkers: ask for one child's permitted facts (the child
described at the asker's own node and encoded there, sent as the file `student_ref`), and read
one's own requests. The asker is the signed-in user, never a field of the form."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, UploadFile

from accord.api.deps import CurrentUser, HubDep, SessionDep, guarded, may_conflict, now
from accord.api.transactions import OpenerDep, ReaderDep
from accord.api.uploads import saved, upload_folder
from accord.domain.agencies import Program, Role
from accord.domain.elements import parse_elements
from accord.domain.purposes import Purpose
from accord.store.crypto import load_content_cipher
from accord.workflows.case_history import case_requests_by
from accord.workflows.case_release import CaseRequest, release_record, request_case_in_steps

router = APIRouter(prefix="/cases", tags=["case requests"])
ASKERS = guarded(Role.CASEWORKER)
QUERY_LIMIT = 1024 * 1024  # one encoded description is a few kilobytes


@router.post("", **may_conflict(ASKERS))
def request(request: Request, hub: HubDep, user: CurrentUser, opener: OpenerDep, reader: ReaderDep,
            student_ref: Annotated[UploadFile, File()], source: Annotated[str, Form()],
            purpose: Annotated[Purpose, Form()], fields: Annotated[str, Form()],
            interest: Annotated[str, Form()] = "", threat: Annotated[str | None, Form()] = None,
            pre_adjudication: Annotated[bool, Form()] = False,
            program: Annotated[Program | None, Form()] = None) -> dict[str, object]:
    """Identify the child, decide, record in the ledger, and release what the decision permits."""
    cipher = load_content_cipher(request.app.state.settings)
    with upload_folder() as folder:
        query = saved(student_ref, folder / "student_ref.parquet", QUERY_LIMIT)
        asked = CaseRequest(user.id, source, purpose, parse_elements(fields, "fields"), now(), query,
                            interest, threat, pre_adjudication, program)
        return release_record(request_case_in_steps(reader, opener, hub, asked, cipher,
                                                    request.app.state.searches))


@router.get("", **ASKERS)
def own_requests(session: SessionDep, user: CurrentUser) -> list[dict[str, Any]]:
    """The caseworker's own requests, as the ledger recorded them: asked, released, refused and why."""
    return case_requests_by(session, user.id)
