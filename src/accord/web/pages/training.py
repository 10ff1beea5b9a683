"""Privacy training for every member of staff: their own status (each required course, current or
not, and until when), the short course on FERPA and Accord's rules, and its quiz. The quiz is graded
by accord.workflows.training_quiz, which records the completion on a pass only; the course text and
the answer key are accord.domain.training_quiz."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from accord.api.deps import SessionDep, now
from accord.domain.training_quiz import QUESTIONS, SECTIONS, pass_mark
from accord.web.deps import PageUser, for_roles
from accord.web.i18n import N_
from accord.web.render import page
from accord.workflows.training_desk import training_status
from accord.workflows.training_quiz import TRAINEES, QuizOutcome, take_quiz

router = APIRouter()
MENU = [(TRAINEES, "/training", N_("Training"))]


def _page(request: Request, training: dict[str, object], outcome: QuizOutcome | None = None,
          answers: dict[str, str] | None = None) -> Response:
    return page(request, "training/course.html", training=training, sections=SECTIONS, questions=QUESTIONS,
                titles={s.id: s.title for s in SECTIONS}, need=pass_mark(), outcome=outcome,
                answers=answers or {})


@router.get("/training", response_class=HTMLResponse, **for_roles(*TRAINEES))
def training(request: Request, session: SessionDep, viewer: PageUser) -> Response:
    return _page(request, training_status(session, viewer.user.id, now().date()))


async def _answers(request: Request) -> dict[str, str]:
    """The quiz form's answers: one radio group per question, named by its id (none is required)."""
    form = await request.form()
    return {q.id: str(form[q.id]) for q in QUESTIONS if q.id in form}


Answers = Annotated[dict[str, str], Depends(_answers)]


@router.post("/training/quiz", response_class=HTMLResponse, **for_roles(*TRAINEES))
def quiz(request: Request, session: SessionDep, viewer: PageUser, answers: Answers) -> Response:
    outcome = take_quiz(session, viewer.user, answers, now().date())
    return _page(request, outcome.status, outcome, answers)
