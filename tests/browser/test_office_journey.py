"""The records officer's day in a real browser, on the demo county: signs in with the code, sees
the dashboard with the ledger's signed root verified (the demo signs one), drafts an agreement and
watches the list of missing elements shrink as they type, records a consent (first refused, each
problem on its own line), and changes a state-law setting, which the page then shows with its
ledger entry. Every page is checked with axe and kept as a screenshot."""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta
from typing import Any

from accord.domain.students import NO_LATER_MONTH
from tests.browser.conftest import DemoSite, sign_in, visit

MISSING = "#missing li"


def _a_young_student(site: DemoSite) -> str:
    """The hub's id of a student of the officer's school far from 18 (a parent may sign for them):
    the id the school's node gives the officer (read here from the demo's database). The node
    sends such a student's month only as "not before" a month (ADR 0030)."""
    db = sqlite3.connect(f"file:{site.data_dir / 'accord.db'}?mode=ro", uri=True)
    try:
        row = db.execute("SELECT s.id FROM students s JOIN users u ON u.agency_id = s.school_agency_id "
                         "WHERE u.id = 'ro.lea.1' AND s.turns_18_by = ? ORDER BY s.id LIMIT 1",
                         (NO_LATER_MONTH.isoformat(),)).fetchone()
    finally:
        db.close()
    assert row is not None
    return str(row[0])


def _shrinks(page: Any, before: int) -> int:
    """Wait for htmx to swap in a shorter list of missing elements; its length."""
    page.wait_for_function(f"document.querySelectorAll('{MISSING}').length < {before}")
    return int(page.locator(MISSING).count())


def test_the_records_officer_keeps_the_office(page: Any, demo_site: DemoSite) -> None:
    sign_in(page, demo_site, "ro.lea.1")
    page.goto("/office")
    assert page.get_by_role("heading", level=1).inner_text() == "Records office"
    assert page.get_by_text("Verified: all").is_visible()
    root = page.locator("code[title]").first
    assert len(root.get_attribute("title")) == 64 and root.inner_text().endswith("…")
    visit(page, "office-dashboard")

    page.get_by_role("link", name="Draft an agreement").first.click()
    page.wait_for_url("**/office/agreements/new")
    assert "cannot be read yet" in page.locator("#missing").inner_text()  # no id typed yet
    page.get_by_label("Agreement id").fill("dsa-journey")
    page.wait_for_function(f"document.querySelectorAll('{MISSING}').length > 0")
    assert page.locator("#missing").get_attribute("aria-live") == "polite"
    visit(page, "office-agreement-editor")
    # Naming the parties swaps "the parties" for each party's signature: the list grows by one.
    start = page.locator(MISSING).count()
    page.locator('input[name="source_agency_ids"][value="lea"]').check()
    page.locator('input[name="recipient_agency_ids"][value="health"]').check()
    page.wait_for_function(f"document.querySelectorAll('{MISSING}').length == {start + 1}")
    assert "the signature of party health" in page.locator("#missing").inner_text()
    after_parties = start + 1
    page.get_by_label("Permitted uses").fill("planning services for the children named in requests")
    after_uses = _shrinks(page, after_parties)
    assert "a description of the permitted uses" not in page.locator("#missing").inner_text()
    page.get_by_label("How the data will be destroyed").fill("NIST 800-88 purge")
    page.get_by_label("Safeguards (one a line)").fill("encryption at rest\nrole-based access")
    _shrinks(page, after_uses - 1)
    visit(page, "office-agreement-editor-typed")
    page.get_by_role("button", name="Save draft").click()
    assert page.get_by_role("status").inner_text().startswith("Draft dsa-journey v1 saved")

    page.goto("/office/consents/new")
    visit(page, "office-consent-form")
    page.get_by_label("Consent id").fill("journey-consent")
    page.get_by_label("Student (the id the school gave)").fill(_a_young_student(demo_site))
    page.locator('input[name="data_elements"][value="attendance"]').check()
    page.locator('input[name="purposes"][value="supportive_services"]').check()
    page.locator('input[name="recipient_agency_ids"][value="health"]').check()
    page.get_by_label("Signed on").fill(date.today().isoformat())
    page.get_by_label("Language of the form").fill("es")
    page.get_by_role("button", name="Record the consent").click()
    problems = page.get_by_role("alert").locator("li")
    assert problems.count() == 1 and problems.first.inner_text().startswith("Reference to the signed form:")
    visit(page, "office-consent-refused")
    page.get_by_label("Reference to the signed form").fill("scan-journey-1")
    page.get_by_role("button", name="Record the consent").click()
    assert page.get_by_role("status").inner_text().startswith("Consent journey-consent recorded")

    page.goto("/office/state-law")
    visit(page, "office-state-law")
    notice = (date.today() - timedelta(days=7)).isoformat()
    page.get_by_label("The state elected to share meal status with Medicaid and CHIP", exact=True).check()
    page.get_by_label("Day households were told (needed with the election)").fill(notice)
    page.locator('input[name="direct_certification_programs"][value="tanf"]').check()
    page.get_by_role("button", name="Change the settings").click()
    assert page.get_by_role("status").inner_text().startswith("The settings were changed")
    assert page.locator("#now-election").inner_text() == "Yes"
    assert page.locator("#now-notice").inner_text() == notice
    assert "tanf" in page.locator("#now-programs").inner_text()
    assert page.locator("#now-entry").inner_text().startswith("entry #")
    visit(page, "office-state-law-changed")
