"""The history of disclosures on a child's page is written in the page's language (issue 21, 34 CFR
99.32(c)): in Spanish on the Spanish page, with no note that the lines are in English and no
lang="en" on them; in English on the English page. Over the family world of test_family_pages."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from tests.web.family_world import FamilyWorld, build_family_world, page_text


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FamilyWorld]:
    yield build_family_world(tmp_path_factory.mktemp("family-history"))


def _history(html: str) -> str:
    """The history section's HTML, from its heading to the next section."""
    start = html.index('id="history"')
    return html[start:html.index("</section>", start)]



def test_the_spanish_page_tells_the_history_in_spanish(world: FamilyWorld) -> None:
    world.sign_in("parent.lea.1")
    child = world.child_of["ferpa-featured-revoked"]  # not revoked by any test: read-only here
    try:
        html = _history(world.get(f"/family/{child}?lang=es").text)
    finally:
        world.get("/family?lang=en")  # the language is remembered: the next test starts in English
    text = page_text(html)
    assert "se anuló el permiso que usted firmó el" in text
    assert "usted firmó un permiso" in text
    assert text.index("se anuló") < text.index("usted firmó un permiso")  # newest first, as in English
    assert re.search(r"El \d+ de [a-z]+ de 20\d\d, ", text)
    assert 'lang="en"' not in html and "escrito en inglés" not in text
    assert not [w for w in ("was withdrawn", "you signed", "your child", " the ") if w in text], text


def test_the_english_page_keeps_the_english_history(world: FamilyWorld) -> None:
    world.sign_in("parent.lea.1")
    html = _history(world.get(f"/family/{world.child_of['ferpa-featured-revoked']}?lang=en").text)
    text = page_text(html)
    assert "was withdrawn" in text and "you signed a consent" in text
    assert "lang=" not in html and "written in English" not in text
