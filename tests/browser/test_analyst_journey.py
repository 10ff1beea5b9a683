"""The university's analyst in a real browser (issue 21): opens their study of the demo county,
builds a count by meal benefits with the query builder, sees the small cells suppressed in the table
and in the chart (said in words, not by colour), tries the same question on the synthetic twin, then
asks the study under differential privacy and sees each figure's interval and the budget left."""

from __future__ import annotations

import re
from typing import Any

from tests.browser.conftest import DemoSite, sign_in, visit

ANALYST = "an.univ.1"
STUDY, PRIVATE = "study-meals-attendance", "study-meals-attendance-dp"  # accord.workflows.demo_study


def _answer(page: Any) -> Any:
    return page.locator("#answer")


def test_the_analyst_builds_a_query_sees_small_cells_suppressed_and_tries_the_twin(
        page: Any, demo_site: DemoSite) -> None:
    sign_in(page, demo_site, ANALYST)
    page.get_by_role("link", name="Your studies").first.click()
    assert page.get_by_role("heading", level=1).inner_text() == "Your studies"
    visit(page, "analyst-studies")

    page.get_by_role("link", name="School meals and attendance").first.click()
    page.wait_for_url(f"**/studies/{STUDY}")
    assert "fewer than 10 people" in page.locator("main").inner_text()
    visit(page, "analyst-study")

    page.get_by_label("dss").check()
    page.get_by_label("Measure").select_option("count")
    page.get_by_role("button", name="Ask the study").click()
    answer = _answer(page)
    answer.get_by_text("Released as release").wait_for()
    table = answer.locator("table.result")
    rows = table.locator("tbody tr")
    assert rows.count() == 3  # no, snap, tanf: the SNAP and TANF children are few in a county of 200
    suppressed = table.locator("td.suppressed")
    assert suppressed.count() >= 1 and "suppressed" in suppressed.first.inner_text()
    figures = table.locator("tbody td:not(.suppressed)").all_inner_texts()
    shown = [c for c in figures if re.fullmatch(r"[\d,]+", c)]
    assert shown, "a large enough cell is shown"
    chart = answer.locator("svg[role=img]")
    assert "bar chart of number of people by dss" in chart.locator("title").text_content()
    assert chart.get_by_text("suppressed", exact=True).count() == suppressed.count()
    assert "fewer than 10 people" in answer.locator("figcaption").inner_text()
    visit(page, "analyst-suppressed")

    page.get_by_role("button", name="Try the same question on the synthetic twin").click()
    answer.get_by_text("Synthetic: not real people, for trying queries.", exact=True).wait_for()
    assert answer.get_by_role("heading", name="Answer from the synthetic twin").is_visible()
    assert answer.locator("td.suppressed").count() == 0  # no real child: every figure shown
    visit(page, "analyst-twin")


def test_the_analyst_sees_intervals_and_the_budget_under_differential_privacy(
        page: Any, demo_site: DemoSite) -> None:
    sign_in(page, demo_site, ANALYST)
    page.goto(f"/studies/{PRIVATE}")
    budget = page.get_by_role("table", name=re.compile("Privacy budget"))
    left_before = float(budget.locator("tr", has_text="Yours").locator("td").nth(2).inner_text())
    page.get_by_label("dss").check()
    # The column's values arrive by htmx: wait for them, so the value is chosen in the new list and
    # not in the one being swapped out (CI once timed out choosing it mid-swap).
    with page.expect_response(lambda r: "/filter-values" in r.url) as swapped:
        page.get_by_label("Column").select_option("grade")
    assert swapped.value.ok, swapped.value.status
    page.locator("#filter-value option[value='5']").wait_for(state="attached")
    page.get_by_label("Value").select_option("5")  # a new question: the demo asked by grade and dss
    page.get_by_role("button", name="Ask the study").click()
    _answer(page).get_by_text("Released as release").wait_for()
    figures = page.locator("table.result tbody td").all_inner_texts()
    assert sum(bool(re.fullmatch(r"-?[\d,]+ \(±[\d.,]+\)", f)) for f in figures) == 3
    assert "This question spent 0.1 of your budget." in page.locator("#spent").inner_text()
    budget = page.get_by_role("table", name=re.compile("Privacy budget"))
    left_after = float(budget.locator("tr", has_text="Yours").locator("td").nth(2).inner_text())
    assert abs(left_before - left_after - 0.1) < 1e-9
    visit(page, "analyst-private")
