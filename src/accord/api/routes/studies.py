"""Studies, for their analysts: the catalog, questions (of the study, or of its synthetic twin), a
release, and the privacy budget. Each call is the one the command line makes."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body

from accord.api.deps import CurrentUser, HubDep, RowId, SessionDep, guarded, now
from accord.api.schemas import Budget
from accord.domain.agencies import Role
from accord.workflows.study_query import ask, catalog_for, study_budget_for
from accord.workflows.study_review import release_for
from accord.workflows.study_twin import ask_twin

router = APIRouter(prefix="/studies", tags=["studies"])
ANALYST = guarded(Role.ANALYST)


@router.get("/{study_id}/catalog", **ANALYST)
def catalog(study_id: str, session: SessionDep, hub: HubDep, user: CurrentUser) -> dict[str, Any]:
    """What the analyst's study can be asked: dimensions and their values, measures, the rules."""
    return catalog_for(session, hub, study_id, user.id)


@router.post("/{study_id}/queries", **ANALYST)
def query(study_id: str, session: SessionDep, hub: HubDep, user: CurrentUser,
          spec: Annotated[dict[str, Any], Body()], twin: bool = False) -> dict[str, Any]:
    """A declarative question (`{"measures": [...], "group_by": [...], "filters": [...]}`); with
    `twin=true`, asked of the study's synthetic twin (nothing recorded, no budget spent)."""
    if twin:
        return ask_twin(session, hub, study_id, user.id, spec, "the request", now().date())
    answer = ask(session, hub, study_id, user.id, spec, "the request", now())
    return {"release": answer.release_id, "ledger_entry": answer.ledger_seq, **answer.result}


@router.get("/{study_id}/releases/{release_id}", **ANALYST)
def release(study_id: str, release_id: RowId, session: SessionDep, user: CurrentUser) -> dict[str, Any]:
    """One of the study's releases: its table once released, else where its review stands."""
    return release_for(session, study_id, release_id, user.id)


@router.get("/{study_id}/budget", response_model=Budget, **guarded(Role.ANALYST, Role.RECORDS_OFFICER))
def budget(study_id: str, session: SessionDep, user: CurrentUser) -> dict[str, Any]:
    """The study's privacy budget: total, spent and left, for the study and each analyst."""
    return {"balances": [{"holder": b.holder, "total": b.total, "spent": b.spent, "left": b.remaining}
                         for b in study_budget_for(session, study_id, user)]}
