"""Every refusal a page can show carries a code, so that a Spanish page words it (issue 21: the Spanish
pages are complete): read from the source (tests/web/source_reach.py), from each page's routes into
the workflows they call, every `raise` of an AccordError that reaches the page has a code with words.
The reading follows calls by name, not through a value's methods or a function handed over (the
source_reach docstring says what it misses); it is checked to reach deep refusals of each page, and to
see an uncoded one. A refusal not found that has no code of its own reads in general words."""

from __future__ import annotations

from starlette.requests import Request

from accord.domain.crosscheck import CrossCheckError
from accord.web.i18n import gettext
from accord.web.not_found_words import NOT_FOUND
from accord.web.refusal_words import REFUSALS, refused_for
from accord.workflows.ledger_desk import EntryNotFound
from tests.web.source_reach import page_refusals, raised


def test_every_refusal_a_page_can_show_carries_a_code_with_words() -> None:
    shown = page_refusals()
    uncoded = sorted(f"{r.module}.{r.function} line {r.line}: {r.error} (on {', '.join(sorted(pages))})"
                     for r, pages in shown.items() if r.code in ("", "?"))
    assert not uncoded, "a page can show these refusals, which carry no code to word them by:\n" + \
        "\n".join(uncoded)
    assert {r.code for r in shown} <= REFUSALS.keys(), sorted({r.code for r in shown} - REFUSALS.keys())


def test_the_reading_reaches_each_pages_refusals_deep_in_its_workflows() -> None:
    reached: dict[str, set[str]] = {}
    for refusal, pages in page_refusals().items():
        for name in pages:
            reached.setdefault(name, set()).add(refusal.code)
    assert {"no_submission_yet", "review_decided_already", "nothing_to_link_on", "encoded_under_two_keys",
            "linkage_backend_unavailable", "page_for_another_role"} <= reached["crosschecks"]
    assert {"not_in_catalog", "filter_value_count", "too_many_cells", "over_budget", "study_not_permitted",
            "history_unreadable", "rule_set_invalid", "no_such_release"} <= reached["studies"]
    assert {"not_a_trainee", "no_such_course", "page_for_another_role"} <= reached["training"]
    assert {"not_your_child", "not_your_childs_consent", "no_such_consent"} <= reached["family"]
    assert {"no_such_case_request", "unknown_elements", "content_key_unusable"} <= reached["cases"]
    assert reached["deps"] == {"form_out_of_date"}  # every page's form check; signing in is a redirect


def test_the_reading_sees_a_refusal_without_a_code() -> None:
    # The ledger desk's refusals are the API's (no page shows them) and carry no code yet.
    found = raised("accord.workflows.ledger_desk", "proof_of")
    assert [(r.error, r.code) for r in found] == [("EntryNotFound", "")]


def _request(cookie: str = "") -> Request:
    headers = [(b"cookie", cookie.encode())] if cookie else []
    return Request({"type": "http", "method": "GET", "path": "/", "query_string": b"", "headers": headers})


def test_a_refusal_not_found_without_words_reads_in_general_words() -> None:
    missing = EntryNotFound("there is no entry #7 among those you may see")
    assert refused_for(_request("accord_lang=es"), missing) == gettext("es", NOT_FOUND) != NOT_FOUND
    assert refused_for(_request(), missing) == str(missing)  # in English its own message names it
    other = CrossCheckError("a refusal with no code")  # not a "not found": its own message
    assert refused_for(_request("accord_lang=es"), other) == str(other)
