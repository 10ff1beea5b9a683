"""The caseworker's journey in a real browser, on the demo county: cw.health.1 asks for the
consented child's attendance (the child's description as the health department's node encoded it,
uploaded) and sees it released with the redisclosure notice, on the request's own page; reloads it
and reads what the ledger keeps (the facts were shown once, nothing asked again); asks for the same
child's discipline record, which the family's consent does not cover, and sees the refusal with its
reasons and citations; then finds both requests in the history, newest first."""

from __future__ import annotations

from typing import Any

from tests.browser.conftest import DemoSite, sign_in, visit


def _ask(page: Any, site: DemoSite, field: str) -> None:
    page.goto("/cases/new")
    page.get_by_label("The child's description file").set_input_files(
        str(site.home / "accord-demo-nodes" / "health" / "ask-consented.parquet"))
    page.get_by_label("Agency that holds the records").select_option("lea")
    page.get_by_label("Supportive services for the child").check()
    page.get_by_label(field, exact=True).check()
    page.get_by_role("button", name="Send the request").click()
    page.wait_for_load_state()


def test_a_caseworker_asks_is_answered_and_finds_the_requests_again(page: Any, demo_site: DemoSite) -> None:
    sign_in(page, demo_site, "cw.health.1")
    page.get_by_role("link", name="Ask for a child's records").first.click()
    assert page.get_by_role("heading", level=1).inner_text() == "Ask for a child's records"
    visit(page, "cases-form")

    _ask(page, demo_site, "Attendance")
    assert page.get_by_role("heading", level=1).inner_text() == "Released"
    assert "34 CFR 99.33" in page.get_by_role("heading", name="Before you use these records").inner_text()
    assert "may not disclose them to anyone else" in page.locator("section.notice").inner_text()
    assert page.get_by_role("rowheader", name="Attendance", exact=True).count() == 8  # eight school days
    assert "event: Unexcused Absence" in page.get_by_role("table").inner_text()
    granted = page.get_by_role("status").first.inner_text()
    entry = granted.split("#")[1].rstrip(".")
    visit(page, "cases-released")
    assert page.url.endswith(f"/cases/{entry}")  # Post/Redirect/Get: a reload asks nothing again

    page.reload()
    assert page.get_by_role("heading", level=1).inner_text() == "Released"
    assert f"entry #{entry}." in page.get_by_role("status").first.inner_text()
    assert page.get_by_role("table").count() == 0  # the facts were handed over once
    assert "handed over only once" in page.locator("#shown-once").inner_text()
    visit(page, "cases-released-reloaded")

    _ask(page, demo_site, "Discipline incidents")
    assert page.get_by_role("heading", level=1).inner_text() == "Refused"
    why = page.get_by_role("heading", name="Why", exact=True).locator("xpath=following-sibling::ul[1]")
    assert "no consent on file covers discipline (34 CFR 99.30)" in why.inner_text()
    assert "Ask the parent" in page.get_by_role("heading", name="What you can do").locator(
        "xpath=following-sibling::ul[1]").inner_text()
    refused = page.get_by_role("alert").inner_text().split("#")[1].rstrip(".")
    visit(page, "cases-refused")

    page.get_by_role("link", name="Your requests").last.click()
    rows = page.get_by_role("table").get_by_role("row")
    assert rows.nth(1).get_by_role("rowheader").inner_text() == f"#{refused}"
    assert rows.nth(2).get_by_role("rowheader").inner_text() == f"#{entry}"
    assert "Refused" in rows.nth(1).inner_text() and "Released: Attendance" in rows.nth(2).inner_text()
    visit(page, "cases-history")
