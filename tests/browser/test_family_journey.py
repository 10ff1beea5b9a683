"""The family's journey in a real browser (issue 21), on the demo county: parent.lea.1 sees two
children, opens the one with a consent in force, reads it, revokes it (after the confirmation) and
sees the effect: the consent revoked, the revocation at the top of the history, the health department
no longer able to receive those records. The same pages in Spanish; and a request to see the records
that the school's records officer (ro.lea.1) then finds with its 45 days. The demo county is shared by
the session's tests: each test here finds the children it needs by what their pages say. Last, the
parent signs a new consent online for the child whose consent the demo shows revoked, and sees it in force."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from babel.dates import format_date

from tests.browser.conftest import DemoSite, sign_in, visit

HEALTH = "Riverside County Health Department"


def _children(page: Any) -> list[str]:
    page.goto("/family")
    links = page.locator("main a[href^='/family/']")
    return sorted(links.nth(i).get_attribute("href") for i in range(links.count()))


def _health_row(page: Any) -> Any:
    """The preview's row: what the health department could receive to plan services."""
    return page.locator("#preview ~ table tr", has_text=HEALTH).filter(has_text="To plan help and services")


def test_a_parent_reads_a_consent_revokes_it_and_sees_the_effect(page: Any, demo_site: DemoSite) -> None:
    sign_in(page, demo_site, "parent.lea.1")
    children = _children(page)
    assert len(children) == 2
    visit(page, "family-children")
    consented = None
    for href in children:
        page.goto(href)
        if page.get_by_role("button", name="Revoke this consent").count():
            consented = href
            break
    assert consented, "neither child has a consent in force"
    revoke = page.get_by_role("button", name="Revoke this consent")
    consent = page.locator("article.consent").filter(has=revoke)
    assert "You said yes. Riverside Unified School District may share these records:" in consent.inner_text()
    assert HEALTH in consent.inner_text() and "In force." in consent.inner_text()
    assert "Attendance" in _health_row(page).inner_text()
    visit(page, "family-child")

    consent.get_by_role("button", name="Revoke this consent").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Revoke this consent?"
    assert "Records shared before today stay shared" in page.locator("main").inner_text()
    visit(page, "family-revoke-confirm")
    page.get_by_role("button", name="Yes, revoke this consent").click()
    page.wait_for_url(re.compile(r"done=revoked"))
    assert "The consent is revoked." in page.get_by_role("status").inner_text()
    main = page.locator("main").inner_text()
    assert "In force." not in main and "Revoked on" in main
    newest = page.locator("table").filter(has_text="What happened").locator("tbody tr").first.inner_text()
    assert "was withdrawn" in newest
    row = _health_row(page)
    assert row.count() == 0 or "Attendance" not in row.inner_text()
    visit(page, "family-child-revoked")


def test_the_consent_reads_in_spanish(page: Any, demo_site: DemoSite) -> None:
    sign_in(page, demo_site, "parent.lea.1")
    for n, href in enumerate(_children(page)):  # in force or revoked, the text is there in Spanish
        page.goto(f"{href}?lang=es")
        assert page.locator("html").get_attribute("lang") == "es"
        text = page.locator("article.consent").first.inner_text()
        assert "Usted dijo que sí. Riverside Unified School District puede compartir estos datos:" in text
        assert "Los pueden usar para planear ayuda y servicios." in text
        visit(page, f"family-child-es-{n}")
    page.goto("/family?lang=en")


def test_a_parent_asks_to_see_the_records_and_the_officer_sees_45_days(page: Any,
                                                                       demo_site: DemoSite) -> None:
    sign_in(page, demo_site, "parent.lea.1")
    child = _children(page)[0]
    page.goto(child)
    page.get_by_role("button", name="Ask to see the records").click()
    page.wait_for_url(re.compile(r"done=asked"))
    section = page.locator("section", has=page.locator("#see-records")).inner_text()
    assert "You asked on" in section and "The school must let you see the records by" in section
    visit(page, "family-asked-to-see")
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, demo_site, "ro.lea.1")
    page.goto("/office/inspections")
    student_id = child.rsplit("/", 1)[1]
    row = page.locator("tbody tr", has_text=student_id)
    assert "45 of 45 days left" in row.inner_text()
    visit(page, "office-inspections")
    row.get_by_role("button", name=re.compile("^Mark answered")).click()
    assert page.locator("tbody tr", has_text=student_id).count() == 0
    visit(page, "office-inspections-answered")


def test_an_eligible_student_sees_their_own_record(page: Any, demo_site: DemoSite) -> None:
    """student.lea.1 (16, in college classes, so the rights are hers): one record, her own."""
    sign_in(page, demo_site, "student.lea.1")
    own = _children(page)
    assert len(own) == 1
    page.goto(own[0])
    assert page.locator("article.consent").count() >= 1
    visit(page, "family-eligible-student")


def _revoked_in_the_demo(page: Any, href: str, today: str) -> bool:
    """The child whose consent the demo shows revoked: none in force (another test may have signed
    one), none revoked today (another test revokes the other child's)."""
    page.goto(href)
    consents = page.locator("section", has=page.locator("#consents")).inner_text()
    return "In force." not in consents and f"Revoked on {today}" not in consents


def test_a_parent_signs_a_new_consent_and_sees_it_in_force(page: Any, demo_site: DemoSite) -> None:
    sign_in(page, demo_site, "parent.lea.1")
    today = format_date(datetime.now(UTC).date(), format="long", locale="en")  # the server's day (UTC)
    child = next(href for href in _children(page) if _revoked_in_the_demo(page, href, today))
    page.goto(child)
    assert _health_row(page).count() == 0 or "Your written consent" not in _health_row(page).inner_text()
    page.get_by_role("link", name="Start a new consent").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Give a new consent"
    visit(page, "family-sign-form")
    page.get_by_label(HEALTH).check()
    page.get_by_label("Attendance (days at school and days missed)").check()
    page.get_by_label("To plan help and services").check()
    page.get_by_role("button", name="Read the consent").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Read the consent, then sign it"
    shown = page.locator(".consent-text").inner_text()
    assert HEALTH in shown and "Attendance" in shown
    assert "They may use them to plan help and services." in shown
    visit(page, "family-sign-confirm")

    page.get_by_role("button", name="Sign this consent").click()
    page.wait_for_url(re.compile(r"done=signed"))
    assert "You signed the consent." in page.get_by_role("status").inner_text()
    revoke = page.get_by_role("button", name="Revoke this consent")
    consent = page.locator("article.consent").filter(has=revoke)
    assert consent.count() == 1
    text = consent.inner_text()
    assert f"Consent signed on {today}" in text and "In force." in text and HEALTH in text
    row = _health_row(page).inner_text()
    assert "Attendance" in row and "Your written consent" in row
    visit(page, "family-signed")
