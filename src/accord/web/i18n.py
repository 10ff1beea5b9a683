"""The pages' languages: English as written in the templates, Spanish from gettext catalogs.

Each area of the pages keeps its own catalog (`locales/es/LC_MESSAGES/<area>.po`); they are read and
merged when the site starts (Babel compiles them in memory), so there is no build step and no
compiled file to fall out of date. Which language a person sees: the one they picked (a cookie set by
`?lang=`), else the best their browser asks for, else English."""

from __future__ import annotations

from functools import cache
from io import BytesIO
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations
from jinja2 import Environment, FileSystemLoader, select_autoescape

HERE = Path(__file__).parent
LOCALES = HERE / "locales"
LANGUAGES = {"en": "English", "es": "Español"}
DEFAULT = "en"
COOKIE = "accord_lang"


def catalog_files(language: str) -> list[Path]:
    return sorted((LOCALES / language / "LC_MESSAGES").glob("*.po"))


@cache
def translations(language: str) -> NullTranslations:
    """Every area's catalog of `language`, merged; English needs none (the templates are English)."""
    merged: NullTranslations = NullTranslations()
    for path in catalog_files(language):
        with path.open("rb") as po:
            catalog = read_po(po, locale=language)
        compiled = BytesIO()
        write_mo(compiled, catalog)
        compiled.seek(0)
        loaded = Translations(compiled)
        if isinstance(merged, Translations):
            merged.merge(loaded)
        else:
            merged = loaded
    return merged


@cache
def environment(language: str) -> Environment:
    env = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(),
                      extensions=["jinja2.ext.i18n"], trim_blocks=True, lstrip_blocks=True)
    env.install_gettext_translations(translations(language), newstyle=True)  # type: ignore[attr-defined]
    return env


def chosen(asked: str | None, remembered: str | None, accept: str) -> str:
    """The language to show: asked for now (`?lang=`), else remembered, else the browser's best."""
    for pick in (asked, remembered):
        if pick in LANGUAGES:
            return pick
    ranked = []
    for part in accept.split(","):
        tag, _, q = part.strip().partition(";q=")
        try:
            weight = float(q) if q else 1.0
        except ValueError:
            continue
        ranked.append((weight, tag.split("-")[0].lower()))
    for _, tag in sorted(ranked, reverse=True):
        if tag in LANGUAGES:
            return tag
    return DEFAULT


def gettext(language: str, message: str) -> str:
    """A message of the pages' Python code (a flash line, a refusal's heading) in `language`."""
    return translations(language).gettext(message)


def N_(message: str) -> str:  # noqa: N802 - gettext's name for "mark for the catalog, translate later"
    """Marks a message of the pages' Python code (a menu label) for the catalogs; translated when shown."""
    return message
