"""A family gives a new consent (`/family/{student_id}/consents/new`, 34 CFR 99.30): a form in plain
words (who may receive, which records, why, until when: only what the agreements in force allow),
then the consent exactly as it will read (the same card the child's page shows), then "Sign this
consent": an electronic signature by the signed-in parent or eligible student (99.30(d)). Every rule
is accord.workflows.family_consent's; another family's child is "not found" as on the other pages.
Beside the choices and the consent, two things a family should know (accord.workflows.
family_consent_notes): a parent is warned when the consent lasts past the start of the month the child
turns 18, and the consent to read says which chosen records each chosen agency would not get."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime
from typing import Annotated

from babel.dates import format_skeleton
from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel

from accord.api.deps import SessionDep, now
from accord.domain.agencies import Role
from accord.domain.consents import Consent
from accord.web.deps import PageUser, Viewer, for_roles, language
from accord.web.family_cards import consent_card, date_words
from accord.web.i18n import N_
from accord.web.pages.family import FAMILY, WORDS, Id
from accord.web.render import page
from accord.workflows.family_consent import (
    Chosen,
    Problem,
    consent_choices,
    draft_family_consent,
    sign_family_consent,
)
from accord.workflows.family_consent_notes import consent_reach, parent_consent_stops
from accord.workflows.registry import agencies

router = APIRouter()
# Each problem said plainly beside its part of the form; any other (a rule of the law the form cannot
# break by itself) in one general line.
PLAIN = {"recipient_agency_ids": N_("Choose at least one agency from the list."),
         "data_elements": N_("Choose at least one kind of record from the list."),
         "purposes": N_("Choose a reason that the agencies you chose may use."),
         "ends_on": N_("Choose an end date from today up to the last date shown.")}
OTHER = N_("This consent cannot be signed here. Please ask the school's records office.")


class SignFields(BaseModel):
    recipient_agency_ids: list[str] = []
    purposes: list[str] = []
    data_elements: list[str] = []
    ends_on: str = ""
    step: str = ""  # "": check and show the consent; "sign": sign it; "change": back to the form

    def chosen(self) -> Chosen:
        return Chosen(tuple(self.recipient_agency_ids), tuple(self.purposes), tuple(self.data_elements),
                      self.ends_on)


def _plain(problems: list[Problem]) -> dict[str, str]:
    out = {p.field: PLAIN[p.field] for p in problems if p.field in PLAIN}
    if any(p.field not in PLAIN for p in problems):
        out["other"] = OTHER
    return out


def _form(request: Request, session: SessionDep, viewer: Viewer, student_id: str, typed: SignFields | None,
          problems: list[Problem] | None = None) -> Response:
    at = now()
    choices = consent_choices(session, viewer.user, student_id, at.date())  # another's child: not found
    typed = typed or SignFields(ends_on=choices.default_end.isoformat())
    stops = parent_consent_stops(session, viewer.user, student_id, at.date())
    latest = choices.latest_end
    return page(request, "family/sign_form.html", status=400 if problems else 200, student_id=student_id,
                choices=choices, form=typed, problems=_plain(problems or []), today=at.date(),
                day=date_words(language(request)), month=_month_words(language(request)), stops=stops,
                runs_past=_runs_past(typed.ends_on, stops),
                may_run_past=stops is not None and (latest is None or latest >= stops),
                myself=viewer.user.role is Role.ELIGIBLE_STUDENT, **WORDS)


def _runs_past(ends_on: str, stops: date | None) -> bool:
    """The end date, as typed, is on or after the first day of the month the child turns 18."""
    try:
        return stops is not None and date.fromisoformat(ends_on.strip()) >= stops
    except ValueError:
        return False


def _month_words(lang: str) -> Callable[[date], str]:
    """A month as people write it in `lang` ("March 2027", "marzo de 2027")."""
    return lambda d: format_skeleton("yMMMM", d, locale=lang)


def _confirm(request: Request, session: SessionDep, viewer: Viewer, student_id: str, typed: SignFields,
             draft: Consent, at: datetime) -> Response:
    names = {a.id: a.name for a in agencies(session)}
    # Not in force before it is signed: the text is the text signed, the status says so.
    card = replace(consent_card(draft, names, viewer.user.role, at), status="not_started", in_force=False)
    stops = parent_consent_stops(session, viewer.user, student_id, at.date())
    return page(request, "family/sign_confirm.html", student_id=student_id, card=card, form=typed,
                day=date_words(language(request)), month=_month_words(language(request)), stops=stops,
                runs_past=_runs_past(typed.ends_on, stops), may_run_past=False,
                reach=consent_reach(session, draft, at), names=names, **WORDS)


@router.get("/family/{student_id}/consents/new", response_class=HTMLResponse, **for_roles(*FAMILY))
def consent_form(request: Request, student_id: Id, session: SessionDep, viewer: PageUser) -> Response:
    return _form(request, session, viewer, student_id, None)


@router.post("/family/{student_id}/consents/new", response_class=HTMLResponse, **for_roles(*FAMILY))
def sign(request: Request, student_id: Id, session: SessionDep, viewer: PageUser,
         typed: Annotated[SignFields, Form()]) -> Response:
    """Check the choices and show the consent; confirmed ("sign"), sign and record it."""
    at, lang = now(), language(request)
    if typed.step == "change":
        return _form(request, session, viewer, student_id, typed)
    if typed.step == "sign":
        signed = sign_family_consent(session, viewer.user, student_id, typed.chosen(), at, lang)
        if isinstance(signed, list):
            return _form(request, session, viewer, student_id, typed, signed)
        return RedirectResponse(f"/family/{student_id}?done=signed#consent-{signed.id}", status_code=303)
    draft = draft_family_consent(session, viewer.user, student_id, typed.chosen(), at, lang)
    if isinstance(draft, list):
        return _form(request, session, viewer, student_id, typed, draft)
    return _confirm(request, session, viewer, student_id, typed, draft, at)
