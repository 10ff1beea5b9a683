"""Signing in and out in a real browser: a wrong password refused in the same words, a records
officer with the second factor, the home page, Spanish, and the page behind a session gone."""

from __future__ import annotations

from typing import Any

from tests.browser.conftest import DemoSite, sign_in, visit


def test_a_wrong_password_is_refused_and_nothing_opens(page: Any, demo_site: DemoSite) -> None:
    page.goto("/")
    assert "/sign-in" in page.url  # not signed in: sent to sign in
    visit(page, "sign-in")
    page.get_by_label("User name").fill("cw.health.1")
    page.get_by_label("Password").fill("not the password at all")
    page.get_by_role("button", name="Sign in").click()
    assert page.get_by_role("alert").inner_text().startswith("The user name, password or code is wrong")
    assert "/sign-in" in page.url


def test_an_officer_signs_in_with_the_code_and_out_again(page: Any, demo_site: DemoSite) -> None:
    sign_in(page, demo_site, "ro.lea.1")
    assert page.get_by_role("heading", level=1).inner_text() == "Your work in Accord"
    visit(page, "home-records-officer")
    page.get_by_role("button", name="Sign out").click()
    page.goto("/")
    assert "/sign-in" in page.url


def test_the_pages_speak_spanish(page: Any, demo_site: DemoSite) -> None:
    page.goto("/sign-in?lang=es")
    assert page.locator("html").get_attribute("lang") == "es"
    assert page.get_by_role("button", name="Iniciar sesión").is_visible()
    visit(page, "sign-in-es")
    page.goto("/sign-in")  # remembered
    assert page.get_by_role("button", name="Iniciar sesión").is_visible()
