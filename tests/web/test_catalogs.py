"""The Spanish pages are complete: every message the templates and the pages' code mark for
translation has a Spanish translation in one of the catalogs, none is fuzzy, and the placeholders of
each translation are the original's."""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from accord.web import i18n

WEB = Path(i18n.__file__).parent
METHODS = [("**/templates/**.html", "jinja2.ext:babel_extract"), ("**.py", "python")]
KEYWORDS = {"_": None, "gettext": None, "N_": None, "translate": (2,)}


def marked() -> dict[str, str]:
    """msgid -> where it is marked (the first place)."""
    found: dict[str, str] = {}
    for path, _line, message, _comments, _context in extract_from_dir(
            WEB, METHODS, keywords=KEYWORDS, options_map={"**/templates/**.html": {
                "extensions": "jinja2.ext.i18n", "trimmed": "false"}}):
        if isinstance(message, str) and message:
            found.setdefault(message, path)
    return found


def spanish() -> dict[str, tuple[str, bool]]:
    """msgid -> (Spanish, fuzzy), over every area's catalog."""
    out: dict[str, tuple[str, bool]] = {}
    for path in i18n.catalog_files("es"):
        with path.open("rb") as po:
            for message in read_po(po, locale="es"):
                if message.id:
                    out[str(message.id)] = (str(message.string), message.fuzzy)
    return out


def test_the_pages_mark_their_messages() -> None:
    assert "Sign in" in marked()  # the extraction itself works (a broken one would pass everything)


def test_every_marked_message_has_its_spanish() -> None:
    have = spanish()
    missing = sorted(f"{where}: {msgid!r}" for msgid, where in marked().items()
                     if not have.get(msgid, ("", False))[0] or have[msgid][1])
    assert not missing, "no Spanish (or fuzzy) for:\n" + "\n".join(missing)


def test_each_translation_keeps_its_placeholders() -> None:
    placeholder = re.compile(r"%\(\w+\)s|\{\w+\}")
    wrong = [msgid for msgid, (text, _) in spanish().items()
             if sorted(placeholder.findall(msgid)) != sorted(placeholder.findall(text))]
    assert not wrong, wrong


def test_a_page_in_spanish_is_in_spanish() -> None:
    assert i18n.translations("es").gettext("Sign in") != "Sign in"
    assert i18n.translations("en").gettext("Sign in") == "Sign in"
