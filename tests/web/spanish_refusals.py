"""What the tests of refusals in Spanish share (test_*_refusals.py): a refusal's words in Spanish with
its values, a page's text as a reader reads it, and the check that a page refused in those words and
that neither the code's English words nor the workflow's own English message is on it."""

from __future__ import annotations

import html
import re
from typing import Any

from accord.web import i18n
from accord.web.refusal_words import REFUSALS


def spanish(code: str, **values: str) -> str:
    words = i18n.gettext("es", REFUSALS[code])
    assert words != REFUSALS[code], f"{code} has no Spanish"
    return words % values


def text_of(page: str) -> str:
    """The page's words, tags dropped and spaces collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def refused_in_spanish(got: Any, status: int, code: str, message: str, **values: str) -> None:
    """`got` answered `status` with the refusal `code` in Spanish, naming `values`, and without the
    English: its words, nor `message`, a part of the workflow's own message (the command line's)."""
    shown = text_of(got.text)
    assert got.status_code == status, (got.status_code, shown[:300])
    assert spanish(code, **values) in shown, shown[:600]
    assert REFUSALS[code] % values not in shown and message not in shown
