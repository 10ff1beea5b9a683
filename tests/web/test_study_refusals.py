"""An analyst's question refused in Spanish (issue 21: the Spanish pages are complete): a measure not
written as the catalog writes it or not among the study's, a dimension not in its catalog, a filter
without its operator or with the wrong count of values, and a study or release not found; each in its
code's Spanish words with the names chosen, and none of the workflow's English."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from accord.config import Settings
from tests.attacks.study_world import ANALYST
from tests.web.pages_client import give_sign_ins, site_client, study_hub
from tests.web.spanish_refusals import refused_in_spanish
from tests.web.test_study_pages import World

STUDY = "study-pages"


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    root: Path = tmp_path_factory.mktemp("study-refusals")
    hub, rows = study_hub(root)
    with hub.session() as session:
        give_sign_ins(session, (ANALYST,))
    world = World(site_client(Settings(data_dir=root, database_url=hub.url)), hub, rows)
    world.sign_in(ANALYST)
    world.client.get("/studies?lang=es")  # the language is remembered in a cookie
    yield world


def test_a_measure_the_catalog_does_not_offer_is_refused_in_spanish(world: World) -> None:
    before = world.ledger_size()
    refused_in_spanish(world.ask(STUDY, measure="median"), 200, "measure_form",
                       "write count, sum:COLUMN or mean:COLUMN", measure="median")
    refused_in_spanish(world.ask(STUDY, measure="sum:income"), 200, "not_a_study_measure",
                       "is not among the study's measures", column="income")
    assert world.ledger_size() == before  # a refused question records nothing


def test_a_dimension_or_filter_the_catalog_does_not_allow_is_refused_in_spanish(world: World) -> None:
    refused_in_spanish(world.ask(STUDY, group_by="postcode"), 200, "not_in_catalog",
                       "is not in the study's catalog", dimension="postcode")
    refused_in_spanish(world.ask(STUDY, filter_dim="grade", filter_op="like", filter_value="3"), 200,
                       "filter_malformed", "give dim, op")
    refused_in_spanish(world.ask(STUDY, filter_dim="grade", filter_op="between", filter_value="3"), 200,
                       "filter_value_count", "takes 2 value(s)", dimension="grade", operator="between",
                       wanted="2")


def test_a_study_or_release_not_found_in_spanish(world: World) -> None:
    refused_in_spanish(world.client.get("/studies/study-nobody"), 404, "no_such_study", "no study",
                       study="study-nobody")
    refused_in_spanish(world.client.get(f"/studies/{STUDY}/releases/99999"), 404, "no_such_release",
                       "has no release", study=STUDY, release="99999")
