"""The legal notice that goes with released records (34 CFR 99.33(a): the recipient is told it may
not redisclose them), in the viewer's language. The policy gives the notice in English, and the English
is the notice given: another language gets a translation that says it is one, with the English text
after it (templates/cases/result.html), never instead of it. A notice whose English changes has no
translation until the catalog follows (tests/web/test_legal_notices.py holds the two to the same
text). English here, Spanish in the `legal_notices` catalog."""

from __future__ import annotations

from fastapi import Request

from accord.policy.obligations import REDISCLOSURE_NOTICE
from accord.web.deps import language
from accord.web.i18n import DEFAULT, N_
from accord.web.render import translate

# The policy's notice -> the same text marked for the catalog (a literal, so that it can be extracted).
NOTICES = {
    REDISCLOSURE_NOTICE: N_("These records come from a student's education record. You may not disclose them "
                            "to anyone else without the written consent of the parent or eligible student, "
                            "except as 34 CFR 99.33(b) allows, and you must destroy them by the date your "
                            "agreement sets."),
}


def translated_notice(request: Request, notice: str | None) -> str:
    """The notice in the viewer's language; "" in English, or when there is no translation of it (the
    English alone is shown then)."""
    if not notice or notice not in NOTICES or language(request) == DEFAULT:
        return ""
    words = translate(request, NOTICES[notice])
    return words if words != notice else ""
