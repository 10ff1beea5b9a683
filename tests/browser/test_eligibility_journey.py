"""The eligibility worker's journey in a real browser, on the demo county: ew.lea.1 opens the
cross-checks of the school, the direct certification against the SNAP and TANF list, and its run's
report, a chart and a table of the same counts (in English and Spanish). The demo's list carries one
child the hub cannot be sure of (moved, birth date written day first), so the records officer's review
queue holds one uncertain match; deciding it is tested in tests/workflows/test_demo_queues.py and
tests/web/test_crosscheck_pages.py."""

from __future__ import annotations

import json
from typing import Any

from tests.browser.conftest import DemoSite, sign_in, visit

AGREEMENT = "dsa-dss-to-school"  # accord.workflows.demo_crosscheck


def test_the_worker_reads_the_report_and_the_officer_finds_the_uncertain_match(page: Any,
                                                                              demo_site: DemoSite) -> None:
    sign_in(page, demo_site, "ew.lea.1")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Cross-checks").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Cross-checks"
    visit(page, "crosschecks")
    page.get_by_role("link", name=AGREEMENT).click()
    assert page.get_by_role("heading", level=1).inner_text() == f"Cross-check under {AGREEMENT}"
    assert page.get_by_role("button", name="Run the cross-check").is_visible()
    visit(page, "crosscheck")

    page.get_by_role("link", name="Report of run 1").click()
    chart = page.get_by_role("img", name="Run 1: counts of children")
    assert chart.is_visible()
    certified = page.get_by_role("row", name="Children directly certified").get_by_role("cell").inner_text()
    assert int(certified) > 0
    assert f"Children directly certified: {certified}." in chart.locator("desc").text_content()
    assert "first run: nothing to compare with" in page.get_by_role("table").first.inner_text()
    visit(page, "crosscheck-report")
    page.goto(page.url + "?lang=es")
    assert page.get_by_role("img", name="Cotejo 1: número de niños").is_visible()
    visit(page, "crosscheck-report-es")
    page.goto("/crosschecks?lang=en")

    reviews = page.request.get(f"/crosschecks/{AGREEMENT}/reviews")
    assert reviews.status == 403  # the queue is the records officer's
    sign_in(page, demo_site, "ro.lea.1")
    page.goto(f"/crosschecks/{AGREEMENT}")
    page.get_by_role("link", name="Open the review queue").click()
    waiting = page.get_by_role("table", name="Uncertain matches waiting for you").locator("tbody tr")
    assert waiting.count() == 1
    visit(page, "crosscheck-reviews")
    report = json.loads(page.request.get("/api/v1/crosschecks/runs/1").text())["report"]
    assert report["matches"]["review_pending"] == 1  # the one child the demo's list wrote differently
