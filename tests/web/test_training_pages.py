"""Privacy training on the pages (issue 21): the person's own status, the course and its quiz. A
failed attempt records nothing and says which questions were wrong (not their answers); a pass
records the required course for the person themself, so that one whose training lapsed is current
again; families have no training page, and a quiz posted without the session's token is refused."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from accord.api.deps import now
from accord.cli.app import app
from accord.config import Settings
from accord.domain.training import Completion
from accord.domain.training_quiz import ANSWERS, COURSE_ID, QUESTIONS, SECTIONS
from accord.store.db import make_engine, make_session_factory, session_scope
from accord.store.repositories.training import add_completions, completions_for_user
from tests.web.pages_client import PageClient, give_sign_ins, read, site_client
from tests.workflows.case_county import seed_world, use_hub

PEOPLE = ("an.univ", "cw.lapsed", "parent.1")
RIGHT = dict(ANSWERS)
TWO_WRONG = {**ANSWERS, "q2": "a", "q5": "b"}
TODAY = now().date()  # the service's day, on which the pages record


class World(PageClient):
    def __init__(self, client: TestClient, url: str) -> None:
        super().__init__(client)
        self.url = url

    def completions(self, user: str) -> list[Completion]:
        return read(self.url, lambda session: completions_for_user(session, user))

    def answer(self, answers: dict[str, str], token: str | None = None) -> str:
        data = {"csrf_token": self.csrf() if token is None else token, **answers}
        got = self.client.post("/training/quiz", data=data)
        assert got.status_code == 200, got.text
        return got.text


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    root: Path = tmp_path_factory.mktemp("training-pages")
    url = f"sqlite:///{root / 'accord.db'}"
    with pytest.MonkeyPatch.context() as patch:
        use_hub(patch, root, url)
        assert CliRunner().invoke(app, ["init"]).exit_code == 0
        seed_world(url)
        engine = make_engine(url)
        with session_scope(make_session_factory(engine)) as session:
            give_sign_ins(session, PEOPLE)
            # Current today whatever the day the tests run (the world's own dates are fixed).
            add_completions(session, [Completion("an.univ", COURSE_ID, TODAY - timedelta(days=1),
                                                 TODAY + timedelta(days=364))])
        engine.dispose()
        yield World(site_client(Settings(data_dir=root / "data", database_url=url)), url)


def _expiry(text: str) -> str:
    row = text.split(f'<th scope="row">{COURSE_ID}</th>', 1)[1].split("</tr>", 1)[0]
    return re.findall(r"\d{4}-\d{2}-\d{2}", row)[-1]


def test_the_page_shows_ones_status_the_course_and_the_quiz(world: World) -> None:
    world.sign_in("an.univ")
    got = world.client.get("/training")
    assert got.status_code == 200 and "Your training is current" in got.text
    assert _expiry(got.text) == (TODAY + timedelta(days=364)).isoformat()
    assert all(f">{i}. {s.title}</h3>" in got.text for i, s in enumerate(SECTIONS, 1))
    assert got.text.count("<fieldset") == len(QUESTIONS) == got.text.count("<legend>")
    for q in QUESTIONS:
        for choice, _ in q.choices:
            assert f'<label for="{q.id}-{choice}">' in got.text
    assert " checked" not in got.text  # nothing chosen for the person


def test_a_failed_attempt_records_nothing_and_names_the_wrong_questions_only(world: World) -> None:
    world.sign_in("an.univ")
    before = world.completions("an.univ")
    shown = world.answer(TWO_WRONG)
    assert "Not passed yet: 5 of 7 right, and a pass needs 6." in shown and "Nothing was recorded" in shown
    assert '<a href="#q2">Question 2</a>' in shown and '<a href="#q5">Question 5</a>' in shown
    assert shown.count('class="alert" id="q') == 2
    # The right choices of the wrong questions are not given away: only the person's own are checked.
    assert 'id="q2-a" name="q2" value="a" checked' in shown
    assert 'value="c" checked' not in shown.split('id="q3')[0]
    assert world.completions("an.univ") == before
    assert world.answer({}).count('class="alert" id="q') == len(QUESTIONS)  # unanswered is wrong


def test_a_lapsed_person_passes_and_is_current_until_a_year_on(world: World) -> None:
    world.sign_in("cw.lapsed")
    assert "Your training is not current" in world.client.get("/training").text
    shown = world.answer(RIGHT)
    until = (TODAY + timedelta(days=365)).isoformat()
    assert "You passed: 7 of 7 right." in shown and f"stays current until {until}" in shown
    assert "Your training is current" in shown and _expiry(shown) == until
    assert world.completions("cw.lapsed")[-1] == Completion("cw.lapsed", COURSE_ID, TODAY,
                                                             TODAY + timedelta(days=365))
    mine = world.client.get("/api/v1/me/training").json()  # the policy's own reading of it
    assert mine["current"] is True


def test_families_have_no_training_and_a_quiz_without_the_token_is_refused(world: World) -> None:
    world.sign_in("parent.1")
    assert world.client.get("/training").status_code == 403
    assert world.client.post("/training/quiz", data={"csrf_token": world.csrf(), **RIGHT}).status_code == 403
    world.sign_in("an.univ")
    before = world.completions("an.univ")
    assert world.client.post("/training/quiz", data=RIGHT).status_code == 401
    assert world.client.post("/training/quiz", data={"csrf_token": "forged", **RIGHT}).status_code == 401
    assert world.completions("an.univ") == before
    assert 'href="/training"' in world.client.get("/").text


def test_the_course_and_its_quiz_in_spanish(world: World) -> None:
    world.sign_in("an.univ")
    got = world.client.get("/training?lang=es").text
    assert "Qué es un expediente educativo" in got and "¿Cuál de estos es un expediente educativo?" in got
    assert "What an education record is" not in got
