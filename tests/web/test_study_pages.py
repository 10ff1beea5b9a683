"""The analyst's pages (issue 21): their studies, a study's query builder answered through disclosure
control (or differential privacy, or the synthetic twin) as a table and a chart, a held release's
status, a refusal's reason; a study that does not name the analyst is not found, other roles are
refused, and a question posted without the session's token changes nothing."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from accord.config import Settings
from accord.domain.agencies import Role, User
from accord.store.repositories.agencies import save_user
from accord.store.repositories.ledger import size
from accord.store.repositories.state_law import get_state_law, save_state_law
from tests.attacks.study_world import ANALYST, GRADES, StudyHub
from tests.web.pages_client import PageClient, give_sign_ins, site_client, study_hub

OTHER = "an.other"  # an analyst no study here names
CASEWORKER = "cw.health"
RULES, PRIVATE, HELD = "study-pages", "study-pages-dp", "study-pages-held"
PRIVACY = {"accounting": "rho", "total": 0.5, "per_table": 0.1,
           "keys": {"grade": list(GRADES), "dss": ["no", "snap", "tanf"]}}


class World(PageClient):
    def __init__(self, client: TestClient, hub: StudyHub, rows: list[dict[str, Any]]) -> None:
        super().__init__(client)
        self.hub, self.rows = hub, rows

    def ask(self, study: str, *, token: str | None = None, **form: Any) -> Any:
        data = {"measure": "count", "csrf_token": self.csrf() if token is None else token, **form}
        return self.client.post(f"/studies/{study}/queries", data=data)

    def ledger_size(self) -> int:
        with self.hub.session() as session:
            return size(session)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    root: Path = tmp_path_factory.mktemp("study-pages")
    hub, rows = study_hub(root)
    hub.study("pages-dp", rows, {"dp": PRIVACY})
    hub.study("pages-held", rows, {"review": "all"})
    with hub.session() as session:
        save_user(session, User(OTHER, "univ", Role.ANALYST))
        give_sign_ins(session, (ANALYST, OTHER, CASEWORKER))
    yield World(site_client(Settings(data_dir=root, database_url=hub.url)), hub, rows)


def cells(html: str) -> list[list[str]]:
    """The result table's rows, as the text of their cells."""
    table = re.search(r'<table class="result">(.*?)</table>', html, re.S)
    assert table, "no result table"
    return [[re.sub(r"<[^>]+>", " ", c).split()[0] if re.sub(r"<[^>]+>", " ", c).split() else ""
             for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
            for row in re.findall(r"<tr>(.*?)</tr>", table.group(1), re.S)[1:]]


def test_the_analyst_sees_their_studies_and_another_analyst_none_of_them(world: World) -> None:
    world.sign_in(ANALYST)
    listed = world.client.get("/studies")
    assert listed.status_code == 200
    for study in (RULES, PRIVATE, HELD):
        assert f'href="/studies/{study}"' in listed.text
    assert "does attendance differ by meal benefits?" in listed.text and "2027-06-30" in listed.text
    world.sign_in(OTHER)
    assert "study-pages" not in world.client.get("/studies").text
    for path in (f"/studies/{RULES}", f"/studies/{RULES}/releases/1", f"/studies/{RULES}/filter-values"):
        assert world.client.get(path).status_code == 404, path
    assert world.ask(RULES, group_by="dss").status_code == 404
    assert world.client.get("/studies/study-nobody").status_code == 404


def test_a_caseworker_gets_the_refusal_page(world: World) -> None:
    world.sign_in(CASEWORKER)
    for path in ("/studies", f"/studies/{RULES}"):
        got = world.client.get(path)
        assert got.status_code == 403 and "Not for you" in got.text
    assert 'href="/studies"' not in world.client.get("/").text  # not in their menu either


def test_the_builder_offers_the_catalog(world: World) -> None:
    world.sign_in(ANALYST)
    page = world.client.get(f"/studies/{RULES}").text
    for dim in ("grade", "dss", "homeless"):
        assert f'name="group_by" value="{dim}"' in page
    assert 'value="mean:attendance_rate"' in page and "values from 0 to 1" in page
    assert "fewer than 10 people" in page
    values = world.client.get(f"/studies/{RULES}/filter-values", params={"filter_dim": "dss"}).text
    assert re.findall(r'<option value="(\w+)"', values) == ["no", "snap", "tanf"]


def test_a_count_with_a_small_cell_is_suppressed_in_the_table_and_the_chart(world: World) -> None:
    world.sign_in(ANALYST)
    before = world.ledger_size()
    got = world.ask(RULES, group_by="entry_year")
    assert got.status_code == 200 and "Released as release" in got.text
    truth = Counter(r["entry_year"] for r in world.rows)
    shown = cells(got.text)
    # every year a child of the study can have entered (2011-2027, fixed before any child is read)
    assert [year for year, _ in shown] == [str(y) for y in range(2011, 2028)]
    for year, figure in shown:
        if truth[year] < 10:
            assert figure == "—", year
        elif figure != "—":  # else hidden as the complement of a small cell
            assert int(figure.replace(",", "")) == truth[year]
    assert any(f == "—" for *_, f in shown) and any(f != "—" for *_, f in shown)
    chart = re.search(r"<svg[^>]*>(.*?)</svg>", got.text, re.S)
    assert chart and "<title" in chart.group(1) and "suppressed</text>" in chart.group(1)
    assert 'stroke-dasharray' in chart.group(1) and "fewer than 10 people" in got.text
    assert world.ledger_size() == before + 1  # the release is recorded


def test_the_same_question_on_the_synthetic_twin_is_labelled_and_recorded_nowhere(world: World) -> None:
    world.sign_in(ANALYST)
    before = world.ledger_size()
    got = world.ask(RULES, group_by="dss", target="twin")
    assert "Synthetic: not real people, for trying queries." in got.text
    assert [r[0] for r in cells(got.text)] == ["no", "snap", "tanf"]
    assert all(r[1] != "—" for r in cells(got.text))  # no real child: every figure shown
    assert world.ledger_size() == before
    assert "Ask the same question of the real study" in got.text


def test_under_differential_privacy_each_cell_has_its_interval_and_the_budget_is_shown(world: World) -> None:
    world.sign_in(ANALYST)
    got = world.ask(PRIVATE, group_by="dss")
    assert got.status_code == 200
    assert len(re.findall(r"<td>-?[\d,]+ \(±[\d.,]+\)</td>", got.text)) == 3
    assert "This question spent 0.1 of your budget." in got.text
    assert re.search(r"Yours</th><td>0.5</td><td>0.1</td><td>0.4</td>", got.text)
    assert got.text.count("<line") >= 1 + 3 * 3  # the axis, and each bar's interval with its two caps
    again = world.ask(PRIVATE, group_by="dss")
    assert "This question spent 0 of your budget." in again.text  # the stored answer, shown again


def test_a_refused_question_says_why_and_spends_nothing(world: World) -> None:
    world.sign_in(ANALYST)
    before = world.ledger_size()
    page = world.client.get(f"/studies/{PRIVATE}").text
    assert 'value="homeless"' not in re.search(r"<fieldset>(.*?)</fieldset>", page, re.S).group(1)  # type: ignore[union-attr]
    got = world.ask(PRIVATE, group_by="homeless")
    assert got.status_code == 200 and 'role="alert"' in got.text
    assert "The question was refused." in got.text and "public values" in got.text
    assert "This question spent 0 of your budget." in got.text and world.ledger_size() == before


def test_in_spanish_a_refused_question_says_why_in_spanish(world: World) -> None:
    world.sign_in(ANALYST)
    with world.hub.session() as session:
        law = get_state_law(session)
    world.client.get(f"/studies/{PRIVATE}?lang=es")
    try:
        grouped = world.ask(PRIVATE, group_by="homeless")
        assert "una tabla se agrupa solo por dimensiones con valores públicos" in grouped.text
        with world.hub.session() as session:  # the study policy: a course the analyst has not taken
            save_state_law(session, replace(law, required_course_ids=law.required_course_ids | {"ethics"}))
        untrained = world.ask(RULES, group_by="dss")
        assert "La capacitación en privacidad que necesita quien pide no está al día." in untrained.text
        assert "public values" not in grouped.text and "no current completion" not in untrained.text
    finally:
        with world.hub.session() as session:
            save_state_law(session, law)
        world.client.get(f"/studies/{PRIVATE}?lang=en")


def test_a_held_release_shows_that_it_waits_for_review(world: World) -> None:
    world.sign_in(ANALYST)
    got = world.ask(HELD, group_by="dss")
    assert "is waiting for output review" in got.text and '<table class="result">' not in got.text
    release = re.search(r"Release (\d+) is waiting", got.text)
    assert release
    page = world.client.get(f"/studies/{HELD}/releases/{release.group(1)}")
    assert page.status_code == 200 and "waiting for output review" in page.text
    assert "waiting for output review" in world.client.get(f"/studies/{HELD}").text


def test_a_question_without_the_sessions_token_is_refused_and_changes_nothing(world: World) -> None:
    world.sign_in(ANALYST)
    before = world.ledger_size()
    for token in ("", "not-the-token"):
        got = world.ask(RULES, token=token, group_by="dss")
        assert got.status_code == 401 and "did not come from Accord" in got.text
    assert world.ledger_size() == before
