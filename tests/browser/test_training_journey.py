"""Privacy training in a real browser, on the demo county: the university's analyst reads the
course, fails the quiz once (and is told which questions, not their answers), then passes, and the
status shows the course current until a year on. A pass only renews a completion, so no other
journey's person loses their training."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from accord.api.deps import now
from accord.domain.training_quiz import ANSWERS, QUESTIONS
from tests.browser.conftest import DemoSite, sign_in, visit

WRONG = {"q3": "b", "q6": "c"}  # two wrong of seven: a pass needs six


def _answer(page: Any, answers: dict[str, str]) -> None:
    for q in QUESTIONS:
        page.get_by_role("group", name=q.prompt).get_by_label(dict(q.choices)[answers[q.id]]).check()
    page.get_by_role("button", name="Check my answers").click()


def test_a_person_fails_the_quiz_once_then_passes_and_is_current(page: Any, demo_site: DemoSite) -> None:
    sign_in(page, demo_site, "an.univ.1")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Training").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Privacy training"
    assert page.get_by_role("heading", name="1. What an education record is").is_visible()
    visit(page, "training")

    _answer(page, {**ANSWERS, **WRONG})
    alert = page.get_by_role("alert").first
    assert "Not passed yet: 5 of 7 right" in alert.inner_text()
    assert [a.inner_text() for a in alert.get_by_role("link").all()] == ["Question 3", "Question 6"]
    visit(page, "training-failed")

    _answer(page, ANSWERS)
    until = (now().date() + timedelta(days=365)).isoformat()
    assert "You passed: 7 of 7 right." in page.get_by_role("status").inner_text()
    row = page.get_by_role("row", name="ferpa-basics")
    assert row.get_by_role("cell").first.inner_text() == "current" and until in row.inner_text()
    assert "Your training is current" in page.get_by_role("main").inner_text()
    visit(page, "training-passed")
