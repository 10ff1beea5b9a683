"""The caseworker's pages: ask for one child's records (the child described and encoded at the
caseworker's own agency node, the file uploaded), see what was released or why it was refused, and
the history of one's own requests. The request runs the same workflow, the same way, as the API's
`POST /api/v1/cases`, then redirects to the request's own page (`/cases/{ledger entry}`, Post/
Redirect/Get: a reload asks nothing again). That page reads the answer back from the ledger, for the
one who asked only; the released facts, which the ledger does not keep, it shows once, on the first
view after asking (accord.web.case_handover, ADR 0028)."""

from __future__ import annotations

from typing import Annotated, Any, cast

from fastapi import APIRouter, File, Form, Path, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from accord.api.deps import HubDep, SessionDep, now
from accord.api.routes.cases import QUERY_LIMIT
from accord.api.transactions import OpenerDep, ReaderDep
from accord.api.uploads import saved, upload_folder
from accord.domain.agencies import Program, Role
from accord.domain.elements import CATALOG, parse_elements
from accord.domain.purposes import Purpose
from accord.errors import AccordError
from accord.store.crypto import load_content_cipher
from accord.web import case_words
from accord.web.case_handover import Facts, handover_of
from accord.web.deps import PageUser, for_roles
from accord.web.i18n import N_
from accord.web.legal_notices import translated_notice
from accord.web.policy_words import reason_lines
from accord.web.refusal_words import refused_for
from accord.web.render import page, translate
from accord.workflows.case_history import case_answer, case_requests_by
from accord.workflows.case_release import CaseOutcome, CaseRequest, release_record, request_case_in_steps
from accord.workflows.case_sources import case_sources

router = APIRouter()
ASKERS = for_roles(Role.CASEWORKER)
CASEWORKERS = frozenset({Role.CASEWORKER})
MENU = [(CASEWORKERS, "/cases/new", N_("Ask for a child's records")),
        (CASEWORKERS, "/cases", N_("Your requests"))]
LABELS = {code: element.label for code, element in CATALOG.items()}
NO_FILE = N_("Choose the file with the child's description (from your agency's node).")
NO_FIELDS = N_("Choose at least one kind of record.")
BASES = {basis.value: label for basis, label in case_words.BASES.items()}  # as the ledger writes them


@router.get("/cases/new", response_class=HTMLResponse, **ASKERS)
def request_form(request: Request, viewer: PageUser, session: SessionDep) -> Response:
    return _form(request, session, viewer, {})


def _form(request: Request, session: Any, viewer: PageUser, chosen: dict[str, Any], problem: str = "",
          status: int = 200) -> Response:
    sources = case_sources(session, viewer.user.id, now().date())
    return page(request, "cases/new.html", status=status, sources=sources, purposes=case_words.PURPOSES,
                groups=case_words.element_groups(), programs=case_words.PROGRAMS, chosen=chosen,
                problem=problem, limit=QUERY_LIMIT // 1024)


@router.post("/cases/new", response_class=HTMLResponse, **ASKERS)
def ask(request: Request, viewer: PageUser, hub: HubDep, opener: OpenerDep, reader: ReaderDep,
        student_ref: Annotated[UploadFile, File()], source: Annotated[str, Form()],
        purpose: Annotated[Purpose, Form()], fields: Annotated[list[str], Form()] = [],  # noqa: B006
        interest: Annotated[str, Form()] = "", threat: Annotated[str, Form()] = "",
        pre_adjudication: Annotated[bool, Form()] = False,
        program: Annotated[Program | None, Form()] = None) -> Response:
    """Identify the child, decide and record in the ledger, then send the caseworker to the request's
    page (what was released or refused); a request that could not be made is the form again."""
    chosen = {"source": source, "purpose": purpose, "fields": set(fields), "interest": interest,
              "threat": threat, "pre_adjudication": pre_adjudication, "program": program}
    missing = NO_FILE if not student_ref.filename else NO_FIELDS if not fields else ""
    if missing:
        return _refill(request, reader, viewer, chosen, translate(request, missing))
    try:
        outcome = _request(request, viewer, hub, opener, reader, student_ref, chosen)
    except AccordError as err:  # the request could not be made at all (bad file, no roster, ...)
        return _refill(request, reader, viewer, chosen, refused_for(request, err))
    if outcome.permitted:  # the facts as the API returns them, for the first view of the request's page
        facts = cast(Facts, release_record(outcome)["released"])
        handover_of(request.app.state).keep(viewer.user.id, outcome.entry_seq, facts)
    return RedirectResponse(f"/cases/{outcome.entry_seq}", status_code=303)


def _request(request: Request, viewer: PageUser, hub: HubDep, opener: OpenerDep, reader: ReaderDep,
             upload: UploadFile, chosen: dict[str, Any]) -> CaseOutcome:
    # As the API's route: the file kept only for the call, the child found outside the write transaction.
    cipher = load_content_cipher(request.app.state.settings)
    with upload_folder() as folder:
        query = saved(upload, folder / "student_ref.parquet", QUERY_LIMIT)
        asked = CaseRequest(viewer.user.id, chosen["source"], chosen["purpose"],
                            parse_elements(sorted(chosen["fields"]), "fields"), now(), query,
                            chosen["interest"], chosen["threat"] or None, chosen["pre_adjudication"],
                            chosen["program"])
        return request_case_in_steps(reader, opener, hub, asked, cipher, request.app.state.searches)


def _why(request: Request, said: dict[str, Any]) -> list[tuple[str, str]]:
    """Why the request was refused, in the viewer's words, each with its citation: the child not
    identified (by the ledger's word for it), or each check that failed (by its code)."""
    if said["unidentified"]:
        words = case_words.UNIDENTIFIED.get(said["unidentified"])
        said_why = translate(request, words) if words else " ".join(said["refused_because"])
        return [(translate(request, "The child was not identified:") + " " + said_why, "")]
    return reason_lines(request, [(f["check"], f["reason"], f["citation"]) for f in said["failed"]])


def _refill(request: Request, reader: ReaderDep, viewer: PageUser, chosen: dict[str, Any],
            problem: str) -> Response:
    """The form again, as the caseworker filled it in, with what stopped the request."""
    with reader() as session:
        return _form(request, session, viewer, chosen, problem, 400)


@router.get("/cases", response_class=HTMLResponse, **ASKERS)
def history(request: Request, viewer: PageUser, session: SessionDep) -> Response:
    """The caseworker's own requests, newest first, as the ledger recorded them."""
    mine = case_requests_by(session, viewer.user.id)
    asked = [{**item, "why": _why(request, item)} for item in reversed(mine)]
    agencies = {a.id: a.name for a in case_sources(session, viewer.user.id, now().date())}
    return page(request, "cases/history.html", asked=asked, labels=LABELS, agencies=agencies,
                purposes=case_words.PURPOSE_NAMES)


@router.get("/cases/{number}", response_class=HTMLResponse, **ASKERS)
def answer(request: Request, viewer: PageUser, session: SessionDep,
           number: Annotated[str, Path(max_length=24)]) -> Response:
    """One of the caseworker's own requests, as the ledger keeps it (another's: not found); the
    released facts too on the first view after asking. Reading it records nothing."""
    seq = int(number) if number.isascii() and number.isdigit() and len(number) <= 18 else 0
    said = case_answer(session, viewer.user.id, seq)
    facts = handover_of(request.app.state).take(viewer.user.id, seq)
    agencies = {a.id: a.name for a in case_sources(session, viewer.user.id, now().date())}
    return _result(request, said, facts, agencies)


def _result(request: Request, said: dict[str, Any], facts: Facts | None,
            agencies: dict[str, str]) -> Response:
    """The answer as the ledger keeps it; `facts` (None: not this view's to show) what was released."""
    refused = said["effect"] != "permit"
    bases = [(BASES.get(basis, basis), cite) for basis, cite in said["bases"]]
    codes = [f["check"] for f in said["failed"]] or (["not_identified"] if said["not_identified"] else [])
    return page(request, "cases/result.html", said=said, why=_why(request, said), facts=facts, bases=bases,
                notice=translated_notice(request, said["redisclosure_notice"]),
                labels=LABELS, refused=refused, advice=case_words.advice(codes) if refused else [],
                agencies=agencies, purposes=case_words.PURPOSE_NAMES)
