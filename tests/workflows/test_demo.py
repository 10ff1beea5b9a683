"""The demo workflow and command: scripted outcomes on a small county, stored in SQLite."""

from __future__ import annotations

import random
from datetime import date
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy.orm import Session
from typer.testing import CliRunner, Result

from accord.cli.app import app
from accord.store.db import make_engine
from accord.store.repositories.consents import get_consent
from accord.store.repositories.students import get_student, list_students
from accord.synth import build_county
from accord.workflows.demo import run_demo
from accord.workflows.demo_case import SCHOOL, _identities
from accord.workflows.demo_report import DemoReport

AS_OF = date(2026, 11, 29)


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> DemoReport:
    folder = tmp_path_factory.mktemp("demo")
    engine = make_engine(f"sqlite:///{folder / 'accord.db'}")
    try:
        return run_demo(engine, as_of=AS_OF, seed=7, students=300,
                        key=Ed25519PrivateKey.generate(), witnesses=folder / "witnesses")
    finally:
        engine.dispose()


def _cites(report: DemoReport, key: str) -> str:
    return " | ".join(report.result(key).citations)


def test_consented_release_gives_exactly_the_consented_fields(report: DemoReport) -> None:
    r = report.result("consented")
    assert r.permitted
    assert r.released == ("attendance", "family_background", "grades")
    assert r.bases == (("consent", "34 CFR 99.30"),)


def test_partial_consent_releases_only_what_it_names(report: DemoReport) -> None:
    r = report.result("consented_partial")
    assert r.permitted and r.released == ("attendance",)


@pytest.mark.parametrize(("key", "citation"), [
    ("social_services_no_consent", "34 CFR 99.30"),
    ("emergency_no_threat", "99.36"),
    ("juvenile_justice_after", "99.38"),
    ("child_welfare_other", "20 USC 1232g(b)(1)(L)"),
    ("workforce_expired", "34 CFR 99.35(a)(3)"),
    ("revoked", "34 CFR 99.30"),
    ("untrained", "34 CFR 99.31(a)(1)(ii)"),
    ("lapsed", "34 CFR 99.31(a)(1)(ii)"),
    ("just_18", "34 CFR 99.30"),
    ("medicaid_no_election", "1758(b)(6)(D)"),
    ("medicaid_opt_out", "1758(b)(6)(D)"),
    ("tanf_meal_status", "42 USC 1758(b)(6)"),
    ("part2_general_consent", "42 CFR 2.31"),
    ("research_record_level", "34 CFR 99.35(a)(3)(iv)"),
    ("directory_opt_out", "99.37(a)(3)"),
])
def test_denials_cite_the_rule(report: DemoReport, key: str, citation: str) -> None:
    r = report.result(key)
    assert not r.permitted and r.released == ()
    assert citation in _cites(report, key)


def test_social_services_denial_explains_the_missing_exception(report: DemoReport) -> None:
    texts = " ".join(t for t, _ in report.result("social_services_no_consent").failed)
    assert "FERPA has no exception" in texts


def test_just_18_names_the_rights_transfer(report: DemoReport) -> None:
    assert "99.5(a)" in " ".join(t for t, _ in report.result("just_18").failed)


@pytest.mark.parametrize(("key", "released", "citation"), [
    ("emergency_threat", ("emergency_contacts", "iep_504_status"), "34 CFR 99.31(a)(10), 99.36"),
    ("juvenile_justice", ("attendance", "discipline"), "34 CFR 99.31(a)(5), 99.38"),
    ("child_welfare", ("attendance", "grades", "iep_504_status"), "20 USC 1232g(b)(1)(L)"),
    ("medicaid_election", ("meal_eligibility_status",), "42 USC 1758(b)(6)"),
    ("wic_meal_status", ("meal_eligibility_status",), "42 USC 1758(b)(6)"),
    ("direct_certification", ("direct_certification",), "42 USC 1758(b)(3)(F), (b)(4)"),
    ("hipaa_to_school", ("immunization_registry",), "45 CFR 164.508"),
    ("part2_consent", ("sud_treatment",), "42 CFR 2.31"),
    ("part2_emergency", ("sud_treatment",), "42 CFR 2.51"),
    ("research_aggregate", ("attendance", "grades"), "34 CFR 99.31(b)(1)"),
    ("research_enclave", ("assessments", "attendance", "grades"), "34 CFR 99.31(a)(6)"),
    ("directory", ("grade_level",), "34 CFR 99.31(a)(11), 99.37"),
])
def test_permits(report: DemoReport, key: str, released: tuple[str, ...], citation: str) -> None:
    r = report.result(key)
    assert r.permitted, r.failed
    assert r.released == released
    assert citation in [c for _, c in r.bases]


def test_report_counts_and_county(report: DemoReport) -> None:
    assert report.permitted + report.denied == len(report.results) >= 24
    assert report.county.students == 300
    assert {layer for layer, _, _ in report.county.agreements} == {
        "enterprise_memorandum", "data_sharing_agreement", "data_use_licence"}


def test_decisions_on_stored_facts_match_the_county_in_memory(report: DemoReport) -> None:
    in_memory = run_demo(None, as_of=AS_OF, seed=7, students=300)
    assert in_memory.results == report.results
    assert report.persisted_to is not None and in_memory.persisted_to is None


def test_demo_ends_with_a_signed_verified_ledger(report: DemoReport) -> None:
    led = report.ledger
    assert led is not None and led.verified and led.first_problem is None
    # Every scripted decision, plus the county's agreements and consents, is an entry.
    assert led.entries > len(report.results)
    assert len(led.root) == 64 and led.witness_copies == len(report.county.agencies)


def _run(*args: str) -> Result:
    return CliRunner().invoke(app, ["demo", *args])


@pytest.fixture(scope="module")
def cli_demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """`accord demo` run once for the tests of what it prints and what it leaves at the hub: the
    hub's data directory and the output. The nodes' folder is beside the data directory, so each
    run gets a folder of its own."""
    data = tmp_path_factory.mktemp("cli-demo") / "data"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ACCORD_DATA_DIR", str(data))
        result = _run("--reset", "--students", "300", "--seed", "7")
    assert result.exit_code == 0, result.output
    return data, result.output


def test_cli_prints_no_birth_dates(cli_demo: tuple[Path, str]) -> None:
    out = cli_demo[1]
    assert "Requests and decisions" in out and "PERMITTED" in out and "DENIED" in out
    assert "read back from it" in out
    assert "Verified:" in out and "Signed checkpoint: root" in out
    cases = out.split("Case-level releases")[1].split("Summary")[0]
    assert cases.count("RELEASED") == 2 and cases.count("REFUSED") == 1
    assert cases.count("child identified: found") == 3
    assert "records officer was notified" in cases and "Attendance (8 items)" in cases
    county = build_county(7, 300, as_of=date.today())
    school = [s for s in county.students if s.school_agency_id == SCHOOL]
    for person in _identities(school, random.Random(7), county.birth_dates).values():
        for name in (person.first_name, person.last_name, person.street_address):
            assert f" {name} " not in out and f" {name.upper()} " not in out
    for s in county.students:
        born = county.birth_dates[s.id]
        for text in (born.isoformat(), born.strftime("%m/%d/%Y"), f"{born.month}/{born.day}/"):
            assert text not in out, f"a birth date of {s.id} appears in the output"


def test_the_dual_enrolled_student_holds_her_rights_at_the_hub(cli_demo: tuple[Path, str]) -> None:
    """The school's students file says who takes college classes, and its load through the node and
    intake keeps it at the hub: the featured 16-year-old's rights are hers (34 CFR 99.3, 99.5(a)),
    so her parent's consent no longer counts and her parent does not see her records."""
    engine = make_engine(f"sqlite:///{cli_demo[0] / 'accord.db'}")
    try:
        with Session(engine) as session:
            consent = get_consent(session, "ferpa-featured-dual")
            assert consent is not None
            dual = get_student(session, consent.student_id)
            enrolled = [s for s in list_students(session, SCHOOL) if s.postsecondary_enrolled_on is not None]
    finally:
        engine.dispose()
    assert dual is not None and dual.postsecondary_enrolled_on is not None
    assert dual.is_eligible_student(date.today())
    assert dual.is_minor(date.today())  # 16: eligible by the college classes alone
    assert len(enrolled) > 1  # the county's other dual-enrolled students, not the featured one only


def test_cli_never_replaces_data_silently(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ACCORD_DATA_DIR", str(tmp_path))
    assert _run("--students", "60", "--seed", "1").exit_code == 0  # empty database: no question
    engine = make_engine(f"sqlite:///{tmp_path / 'accord.db'}")
    with Session(engine) as session:
        before = len(list_students(session))
    again = _run("--students", "80", "--seed", "2")  # no terminal, no --reset: refused
    assert again.exit_code == 2 and "--reset" in again.output
    with Session(engine) as session:
        assert len(list_students(session)) == before == 60
    assert _run("--reset", "--students", "80", "--seed", "2").exit_code == 0
    with Session(engine) as session:
        assert len(list_students(session)) == 80
    engine.dispose()
