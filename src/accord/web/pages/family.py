"""The family's pages: a parent (or an eligible student, of themself) sees their children, each
child's history of disclosures in plain words, the consents with a way to revoke each, who could
receive what today, and asks to see the child's records (34 CFR 99.10). Every answer comes from
accord.workflows.family (through family_view and inspection_requests), as the JSON API's does:
another family's child is "not found" in the same words as an id that does not exist."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from accord.api.deps import SessionDep, now
from accord.domain.agencies import Role
from accord.domain.inspections import DEADLINE_DAYS
from accord.web.deps import PageUser, for_roles, language
from accord.web.family_cards import consent_card, date_words
from accord.web.i18n import N_
from accord.web.plain_words import BASES, PURPOSE_SENTENCES, PURPOSES, RECORDS
from accord.web.render import page
from accord.workflows.family import children_of, revoke_family_consent
from accord.workflows.family_view import child_view, consent_view
from accord.workflows.inspection_requests import ask_to_inspect

router = APIRouter()
FAMILY = (Role.PARENT, Role.ELIGIBLE_STUDENT)
MENU = [(frozenset(FAMILY), "/family", N_("My children's records"))]
DONE = {"revoked": N_("The consent is revoked. Nothing more is shared under it from now on."),
        "asked": N_("Your request is sent. The school must let you see the records within 45 days."),
        "signed": N_("You signed the consent. It is in force now, and you can revoke it at any time.")}
Id = Annotated[str, Path(min_length=1, max_length=64)]  # as the store's ids: a longer one is a 422
WORDS: dict[str, Any] = {"RECORDS": RECORDS, "PURPOSE_SENTENCES": PURPOSE_SENTENCES, "PURPOSES": PURPOSES,
                         "BASES": BASES}


@router.get("/family", response_class=HTMLResponse, **for_roles(*FAMILY))
def children(request: Request, session: SessionDep, viewer: PageUser) -> Response:
    return page(request, "family/children.html", children=children_of(session, viewer.user, now().date()),
                myself=viewer.user.role is Role.ELIGIBLE_STUDENT)


@router.get("/family/{student_id}", response_class=HTMLResponse, **for_roles(*FAMILY))
def child(request: Request, student_id: Id, session: SessionDep, viewer: PageUser,
          done: str = "") -> Response:
    at, lang = now(), language(request)
    view = child_view(session, viewer.user, student_id, at, lang)  # the history in the page's language
    return page(request, "family/child.html", view=view, today=at.date(), deadline=DEADLINE_DAYS,
                cards=[consent_card(c, view.agency_names, viewer.user.role, at) for c in view.consents],
                done=DONE.get(done, ""), day=date_words(lang),
                myself=viewer.user.role is Role.ELIGIBLE_STUDENT, **WORDS)


@router.post("/family/{student_id}/consents/{consent_id}/revoke", **for_roles(*FAMILY))
def revoke(request: Request, student_id: Id, consent_id: Id, session: SessionDep,
           viewer: PageUser, confirm: Annotated[str, Form()] = "") -> Response:
    """First the confirmation (what revoking does and does not do), then, confirmed, the revocation."""
    at = now()
    if confirm != "yes":
        consent, names = consent_view(session, viewer.user, student_id, consent_id, at)
        return page(request, "family/revoke.html", student_id=student_id, day=date_words(language(request)),
                    card=consent_card(consent, names, viewer.user.role, at), **WORDS)
    revoke_family_consent(session, viewer.user, student_id, consent_id, at)
    return RedirectResponse(f"/family/{student_id}?done=revoked#consents", status_code=303)


@router.post("/family/{student_id}/inspection", **for_roles(*FAMILY))
def ask_to_see(student_id: Id, session: SessionDep, viewer: PageUser) -> Response:
    ask_to_inspect(session, viewer.user, student_id, now())
    return RedirectResponse(f"/family/{student_id}?done=asked#see-records", status_code=303)
