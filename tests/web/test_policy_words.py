"""The policy's refusals in the viewer's language (web/policy_words.py): every condition the policy's
source can fail has words, read from that source so that a new one cannot be forgotten; a code with
no words shows the policy's English text; two failed conditions worded alike are one line; a
cross-check's report counts its refusals under their words."""

from __future__ import annotations

import ast
from datetime import datetime

from starlette.requests import Request

from accord.web import i18n
from accord.web.policy_words import FAILURES, reason_lines
from tests.web.source_codes import Found, modules, read_codes

# Where a Reason is made failing: Assessment.fails and all_hold, and Reason(...) itself (not held).
FAILING = {"fails": 0, "all_hold": 0, "Reason": 0}
# The assessment's own methods pass on their callers' codes: the only codes not written where made.
FORWARDERS = {("accord.policy.assessment", "holds"), ("accord.policy.assessment", "fails"),
              ("accord.policy.assessment", "all_hold")}


def _held(call: ast.Call) -> bool:
    """A Reason(code, text, citation, True): a condition that held, never shown as a refusal."""
    given = {k.arg: k.value for k in call.keywords}
    holds = call.args[3] if len(call.args) > 3 else given.get("holds")
    return isinstance(holds, ast.Constant) and holds.value is True


def failure_codes() -> tuple[set[str], Found]:
    found = Found()
    for name, tree in modules("policy"):
        read_codes(name, tree, FAILING, found)
    failing = {code for code, calls in found.codes.items() if not all(_held(c) for c in calls)}
    return failing, found


def viewer(language: str) -> Request:
    return Request({"type": "http", "query_string": f"lang={language}".encode(), "headers": []})


def test_every_condition_the_policy_can_fail_has_words() -> None:
    failing, found = failure_codes()
    assert len(failing) >= 35 and {"needs_consent", "consent", "study_not_built"} <= failing  # it reads
    assert set(found.unread) == FORWARDERS, f"a code the test cannot read: {set(found.unread) - FORWARDERS}"
    assert failing <= FAILURES.keys(), sorted(failing - FAILURES.keys())
    assert FAILURES.keys() <= failing, sorted(FAILURES.keys() - failing)  # no words for a code gone


def test_a_reason_is_worded_in_the_viewers_language_with_its_citation() -> None:
    policy_text = "FERPA has no exception for giving education records to a health agency"
    reasons = [("needs_consent", policy_text, "34 CFR 99.30"),
               ("juvenile_justice", "the recipient is not a juvenile-justice agency", "34 CFR 99.38"),
               ("juvenile_justice", "the disclosure must serve the student before adjudication",
                "34 CFR 99.38")]
    spanish = reason_lines(viewer("es"), reasons)
    assert spanish[0][0].startswith("Ninguna excepción de la ley permite esta entrega")
    assert spanish[0][1] == "34 CFR 99.30" and len(spanish) == 2  # the two of one code are one line
    english = reason_lines(viewer("en"), reasons)  # the policy's own text: it names what is at fault
    assert english == [(policy_text, "34 CFR 99.30"), *[(text, cite) for _, text, cite in reasons[1:]]]


def test_a_code_without_words_shows_the_policys_own_text() -> None:
    lines = reason_lines(viewer("es"), [("a_new_check", "the policy's own words", "34 CFR 99.31")])
    assert lines == [("the policy's own words", "34 CFR 99.31")]


def test_a_cross_check_report_counts_the_refusals_under_their_words() -> None:
    html = i18n.environment("es").get_template("crosschecks/report.html").render(
        request=None, user=None, lang="es", languages=i18n.LANGUAGES, nav=[], bars=[], bases={},
        failures=FAILURES, run={"run": 1, "agreement": "dsa-snap", "run_at": datetime(2026, 9, 1),
                                "ledger_entry": 4},
        report={"match_rate": {"rate": None}, "refused_by_policy": {"training": 3, "a_new_check": 1}})
    assert "<li>La capacitación en privacidad que necesita quien pide no está al día. (3)</li>" in html
    assert "<li>a_new_check (1)</li>" in html  # a code with no words is named, never left blank
