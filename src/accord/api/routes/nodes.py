"""Agency nodes as machine clients: a token for client credentials (RFC 6749, 4.4), what a node
submits (a file for intake with its encodings, a cross-check submission, a study submission) and
what it fetches (its cross-check results), each for the node's own agency only.

An upload is read only after the token and the agency are checked (no body parameter: the route
reads the stream itself), within a limit for the whole request and one per file, into a private
temporary folder that is gone when the call ends, and no write lock is held while its bytes
arrive. Then one workflow call, the command line's own: the same checks, the same one-line (or
row-level) refusals, nothing kept when refused."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Form, Request, Response
from fastapi import Path as PathParam
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.orm import Session
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.types import Message, Receive

from accord.api.deps import FOR_NODES, PUBLIC, HubDep, NodeDep, now
from accord.api.problems import PROBLEM, documented
from accord.api.uploads import CHUNK, MAX_UPLOAD, size_text, upload_folder
from accord.api.uploads import saved as save_upload
from accord.errors import AccordError
from accord.store.crypto import load_content_cipher
from accord.store.db import make_session_factory, session_scope
from accord.workflows.crosscheck_admin import write_results
from accord.workflows.crosscheck_submissions import submit as submit_crosscheck
from accord.workflows.intake import IntakeReport
from accord.workflows.intake_load import load_agency_file
from accord.workflows.machine_clients import acting_for, issue_token
from accord.workflows.research import submit as submit_study

router = APIRouter(tags=["agency nodes"])
MAX_ENCODED = 8  # encodings of one intake file: one per agreement it is sent under
MAX_ID = 2**63 - 1  # the largest number a stored id can be (SQLite's INTEGER, PostgreSQL's bigint)
SHOWN_REJECTIONS = 100  # a rejected file's problem lists this many rows; `rows_rejected` counts them all
T = TypeVar("T")


class GrantInvalid(AccordError, ValueError):
    """A token request for a grant the service does not give."""


@router.post("/token", **PUBLIC)
def token(request: Request, grant_type: Annotated[str, Form()], client_id: Annotated[str, Form()],
          client_secret: Annotated[str, Form()]) -> dict[str, Any]:
    """An agency node's bearer token for its client id and secret (OAuth2 client credentials)."""
    if grant_type != "client_credentials":
        raise GrantInvalid("grant_type must be client_credentials")
    # Committed before the token is handed out: a request-scoped session commits only after the
    # response is sent, and a node that used its token at once would find it unknown.
    access, seconds = _in_transaction(request, lambda session: issue_token(
        session, client_id, client_secret, now()))
    return {"access_token": access, "token_type": "bearer", "expires_in": seconds}


_PROBLEMS = {400: "Refused: the workflow's one line (a rejected file: its rows as well)",
             401: "No valid bearer token", 403: "Another agency's", 413: "Larger than the service's limit",
             422: "A form field is missing or not one of the operation's"}


def _for_nodes(fields: dict[str, tuple[str, bool, str]] | None = None,
               more: dict[int | str, dict[str, Any]] | None = None) -> dict[str, Any]:
    """Route keywords: for agency nodes, with the problems an upload may answer (and `more`
    responses) and, for an upload, its multipart body as published (the route reads the stream
    itself): name -> (kind, required, what), kind "file", "files" or "string"."""
    keywords = dict(FOR_NODES)
    openapi_extra = dict(keywords.pop("openapi_extra", {}))
    responses: dict[int | str, dict[str, Any]] = {
        code: {"description": text, "content": {PROBLEM: {"schema": {"type": "object"}}}}
        for code, text in _PROBLEMS.items()}
    responses.update(keywords.pop("responses", {}))
    responses.update(more or {})
    if fields is not None:
        shapes: dict[str, dict[str, Any]] = {"file": {"type": "string", "format": "binary"},
                  "files": {"type": "array", "items": {"type": "string", "format": "binary"}},
                  "string": {"type": "string"}}
        schema = {"type": "object", "properties": {n: {**shapes[k], "description": d}
                                                   for n, (k, _, d) in fields.items()},
                  "required": [n for n, (_, needed, _) in fields.items() if needed]}
        openapi_extra["requestBody"] = {"required": True,
                                        "content": {"multipart/form-data": {"schema": schema}}}
    return {**keywords, "openapi_extra": openapi_extra, "responses": responses}


def _limited(request: Request, limit: int) -> Receive:
    """The request's body, refused (413) past `limit` bytes, whatever Content-Length says."""
    seen = 0

    async def receive() -> Message:
        nonlocal seen
        message = await request.receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > limit:
                raise HTTPException(413, f"the request is larger than {size_text(limit)}")
        return message

    return receive


_SAFE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")
_SUFFIX = re.compile(r"\.[A-Za-z0-9]{1,10}")


def _name(upload: UploadFile, field: str, taken: set[str]) -> str:
    """The name the node gave the file (its refusals name it; its suffix says its format), when it
    is a plain file name, else the field's name with the given suffix; never one already used in
    this upload."""
    given = Path(upload.filename or "").name
    suffix = Path(given).suffix
    name = given if _SAFE_NAME.fullmatch(given) else field + (suffix if _SUFFIX.fullmatch(suffix) else ".bin")
    n = 1
    while name in taken:
        name, n = f"{n}-{name}", n + 1
    taken.add(name)
    return name


async def _received(request: Request, folder: Path, fields: dict[str, tuple[str, bool, str]]
                    ) -> tuple[dict[str, str], dict[str, list[Path]]]:
    """The multipart body, checked against `fields` (as `_for_nodes` publishes them), its files
    saved under `folder`: (text fields, files by field)."""
    files = sum(MAX_ENCODED if kind == "files" else 1 for kind, _, _ in fields.values() if kind != "string")
    limit = files * MAX_UPLOAD + CHUNK  # the files, and the form's own few bytes
    if request.headers.get("content-type", "").split(";")[0].strip().lower() != "multipart/form-data":
        raise RequestValidationError([{"loc": ("body",), "msg": "expected multipart/form-data",
                                       "type": "value_error"}])
    reading = Request(request.scope, _limited(request, limit))
    form = await reading.form(max_files=files, max_fields=len(fields))
    texts: dict[str, str] = {}
    saved: dict[str, list[Path]] = {}
    errors: list[dict[str, Any]] = []
    taken: set[str] = set()
    try:
        for key, value in form.multi_items():
            kind = fields.get(key, ("", False, ""))[0]
            if isinstance(value, UploadFile) and kind in ("file", "files"):
                if kind == "file" and key in saved:
                    errors.append({"loc": ("body", key), "msg": "one file only", "type": "value_error"})
                    continue
                path = folder / _name(value, key, taken)
                kept = await run_in_threadpool(save_upload, value, path, MAX_UPLOAD)
                saved.setdefault(key, []).append(kept)
            elif isinstance(value, str) and kind == "string":
                texts[key] = value
            else:
                errors.append({"loc": ("body", key), "type": "value_error",
                               "msg": "not a field of this operation, or not of its kind"})
    finally:
        await form.close()
    errors += [{"loc": ("body", name), "msg": "Field required", "type": "missing"}
               for name, (_, needed, _) in fields.items()
               if needed and name not in texts and name not in saved]
    if errors:
        raise RequestValidationError(errors)
    return texts, saved


def _in_transaction(request: Request, work: Callable[[Session], T]) -> T:
    with session_scope(request.app.state.sessions) as session:
        return work(session)


SUBMISSION = {"encodings": ("file", True, "The node's encodings for the agreement (`accord node encode`)"),
              "hub_copy": ("file", True, "The node's copy of the file, without identities (`--hub-copy`)")}


@router.post("/studies/{study_id}/submissions/{agency_id}", **_for_nodes(SUBMISSION))
async def submit_to_study(study_id: str, agency_id: str, request: Request, hub: HubDep, node: NodeDep
                          ) -> dict[str, Any]:
    """A node's encodings and hub copy for a study's next build."""
    acting_for(node, agency_id)
    with upload_folder() as folder:
        _, files = await _received(request, folder, SUBMISSION)
        rows = await run_in_threadpool(_in_transaction, request, lambda session: submit_study(
            session, hub, study_id, agency_id, files["encodings"][0], files["hub_copy"][0]))
    return {"study": study_id, "agency": agency_id, "rows": rows}


@router.post("/crosschecks/{agreement_id}/submissions/{agency_id}", **_for_nodes(SUBMISSION))
async def submit_to_crosscheck(agreement_id: str, agency_id: str, request: Request, hub: HubDep,
                               node: NodeDep) -> dict[str, Any]:
    """A node's encodings and hub copy for the cross-check's next run (replacing its earlier one),
    as `accord crosscheck submit` keeps them."""
    acting_for(node, agency_id)
    at = now()
    with upload_folder() as folder:
        _, files = await _received(request, folder, SUBMISSION)
        rows = await run_in_threadpool(_in_transaction, request, lambda session: submit_crosscheck(
            session, hub, agreement_id, agency_id, files["encodings"][0], files["hub_copy"][0], at))
    return {"agreement": agreement_id, "agency": agency_id, "rows": rows}


@router.get("/crosschecks/runs/{run_id}/results/{agency_id}", response_class=Response, **_for_nodes(
    more={200: {"description": "The party's results (record_id: its own pseudonym)",
                "content": {"text/csv": {"schema": {"type": "string"}}}}}))
def crosscheck_results(run_id: Annotated[int, PathParam(ge=1, le=MAX_ID)], agency_id: str, request: Request,
                       node: NodeDep) -> Response:
    """What the node's agency received in a run, under its own pseudonyms: the file `accord
    crosscheck results` writes, which the node resolves to its own ids."""
    acting_for(node, agency_id)
    readers = make_session_factory(request.app.state.engine, read_only=True)
    with upload_folder() as folder, session_scope(readers) as session:
        out = folder / f"results-{run_id}-{agency_id}.csv"
        rows = write_results(session, run_id, agency_id, out)
        body = out.read_bytes()
    return Response(body, media_type="text/csv", headers={"X-Accord-Rows": str(rows)})


INTAKE = {"kind": ("string", True, "students, enrollments, attendance, discipline, grades, programs or "
                   "roster (CSV); or an Ed-Fi resource name (JSON or NDJSON)"),
          "file": ("file", True, "The node's copy of the file (`accord node encode --hub-copy`, "
                   "`accord node copy`), under the name the node gave it"),
          "encoded": ("files", False, "students, roster: the file's identities encoded for an agreement, "
                      "one file per agreement it is sent under"),
          "element": ("string", False, "roster: the data element its program fields are"),
          "incidents": ("file", False, "Ed-Fi behavior associations: the disciplineIncidents file"),
          "dry_run": ("string", False, "true: check everything, write nothing")}


@router.post("/intake/{agency_id}", **_for_nodes(INTAKE, documented(409)))
async def load_for_node(agency_id: str, request: Request, hub: HubDep, node: NodeDep) -> Any:
    """Load the node's file whole or not at all, with its encodings, as `accord intake load` does.
    A rejected file is a 400 problem naming its first rejected row, with every row in
    `rejections` (file, row, field, reason; never a value)."""
    acting_for(node, agency_id)
    settings = request.app.state.settings
    readers = make_session_factory(request.app.state.engine, read_only=True)
    with upload_folder() as folder:
        texts, files = await _received(request, folder, INTAKE)
        cipher = load_content_cipher(settings)
        outcome = await run_in_threadpool(
            load_agency_file, lambda: session_scope(request.app.state.sessions), hub, agency_id,
            texts["kind"], files["file"][0], cipher, now(), encoded=files.get("encoded", []),
            element=texts.get("element") or None, incidents=next(iter(files.get("incidents", [])), None),
            dry_run=texts.get("dry_run", "").strip().lower() in ("1", "true", "yes", "on"),
            open_reader=lambda: session_scope(readers))
    if not outcome.report.accepted:
        return _rejected(outcome.report)
    return {**_report(outcome.report), "rosters": outcome.rosters, "recovered": outcome.recovered}


def _report(report: IntakeReport) -> dict[str, Any]:
    written = report.content
    return {"agency": report.agency_id, "kind": report.kind, "source": report.source,
            "dry_run": report.dry_run, "rows_read": report.rows_read, "rows_loaded": report.rows_loaded,
            "would_load": report.would_load,
            "batch": report.batch_id, "ledger_entry": report.entry_seq, "consents": report.consents,
            "would_consent": report.would_consent, "same_file_as": report.same_file_as,
            "nothing_changed": report.nothing_changed, "unknown_ages": report.unknown_ages,
            "facts": {"added": written.added, "replaced": written.replaced, "unchanged": written.unchanged}}


def _rejected(report: IntakeReport) -> JSONResponse:
    first = report.rejections[0]
    detail = (f"{first} ({report.rows_rejected:,} row(s) rejected; nothing was loaded: the file is loaded "
              "whole or not at all)")
    body = {"type": "about:blank", "title": "Refused", "status": 400, "detail": detail,
            "rows_rejected": report.rows_rejected,
            "rejections": [{"file": r.file, "row": r.row, "field": r.field, "reason": r.reason}
                           for r in report.rejections[:SHOWN_REJECTIONS]]}
    return JSONResponse(body, status_code=400, media_type=PROBLEM)
