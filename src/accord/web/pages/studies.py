"""The analyst's pages: their studies, and each study's page with a query builder whose question is the
API's declarative specification (never SQL), answered through disclosure control (or by the study's
synthetic twin), shown as a table and a bar chart. A study that does not name the analyst is not
found (accord.workflows.study_desk)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from accord.api.deps import HubDep, RowId, SessionDep, now
from accord.domain.agencies import Role
from accord.web.deps import PageUser, for_roles
from accord.web.i18n import N_
from accord.web.policy_words import reason_lines
from accord.web.refusal_words import worded
from accord.web.render import page
from accord.web.study_results import shown
from accord.workflows.study_desk import desk_for, my_studies, put_question, release_for_analyst

router = APIRouter()
ANALYST = for_roles(Role.ANALYST)
MENU = [(frozenset({Role.ANALYST}), "/studies", N_("Your studies"))]
OPERATORS = ("eq", "neq")
BLANK = {"group_by": [], "measure": "count", "filter_dim": "", "filter_op": "eq", "filter_value": ""}


@router.get("/studies", response_class=HTMLResponse, **ANALYST)
def studies(request: Request, session: SessionDep, viewer: PageUser) -> Response:
    return page(request, "studies/list.html", studies=my_studies(session, viewer.user.id), today=now().date())


@router.get("/studies/{study_id}", response_class=HTMLResponse, **ANALYST)
def study(request: Request, study_id: str, session: SessionDep, hub: HubDep, viewer: PageUser) -> Response:
    return page(request, "studies/study.html", desk=desk_for(session, hub, study_id, viewer.user.id),
                chosen=BLANK, put=None, view=None, operators=OPERATORS)


@router.get("/studies/{study_id}/filter-values", response_class=HTMLResponse, **ANALYST)
def filter_values(request: Request, study_id: str, session: SessionDep, hub: HubDep, viewer: PageUser,
                  filter_dim: str = "") -> Response:
    """The value list for the filter's column (htmx swaps it in when the column changes)."""
    return page(request, "studies/_values.html", desk=desk_for(session, hub, study_id, viewer.user.id),
                chosen={**BLANK, "filter_dim": filter_dim})


@router.post("/studies/{study_id}/queries", response_class=HTMLResponse, **ANALYST)
def query(request: Request, study_id: str, session: SessionDep, hub: HubDep, viewer: PageUser,
          measure: Annotated[str, Form()], group_by: Annotated[list[str] | None, Form()] = None,
          filter_dim: Annotated[str, Form()] = "", filter_op: Annotated[str, Form()] = "eq",
          filter_value: Annotated[str, Form()] = "", target: Annotated[str, Form()] = "study") -> Response:
    chosen = {"group_by": group_by or [], "measure": measure, "filter_dim": filter_dim,
              "filter_op": filter_op, "filter_value": filter_value}
    spec = _spec(chosen)
    put = put_question(session, hub, study_id, viewer.user.id, spec, target == "twin", now())
    view = shown(spec, put.result) if put.result is not None and not put.result.get("review") else None
    why = reason_lines(request, [(r.code, r.text, r.citation) for r in put.failures])
    refused = worded(request, put.code, put.values, put.refused)
    return page(request, "studies/study.html", desk=put.desk, chosen=chosen, put=put, view=view,
                operators=OPERATORS, why=why, refused=refused)


def _spec(chosen: dict[str, Any]) -> dict[str, Any]:
    """The form's choices as the API's declarative specification (checked by the workflow)."""
    filters = ([{"dim": chosen["filter_dim"], "op": chosen["filter_op"], "value": chosen["filter_value"]}]
               if chosen["filter_dim"] else [])
    return {"measures": [chosen["measure"]], "group_by": list(chosen["group_by"]), "filters": filters}


@router.get("/studies/{study_id}/releases/{release_id}", response_class=HTMLResponse, **ANALYST)
def release(request: Request, study_id: str, release_id: RowId, session: SessionDep,
            viewer: PageUser) -> Response:
    line, result = release_for_analyst(session, study_id, release_id, viewer.user.id)
    return page(request, "studies/release.html", study_id=study_id, line=line,
                view=shown(line.spec, result) if result is not None else None)
