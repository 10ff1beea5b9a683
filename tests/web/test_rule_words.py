"""The agreement editor's missing elements in Spanish: every fixed text of the agreement rules is
marked for the catalogs (web/rule_words.py), read from the rules' own source so a new rule cannot be
forgotten, and the Spanish editor shows them translated."""

from __future__ import annotations

import ast
import inspect

from accord.domain import agreement_rules
from accord.web import i18n
from accord.web.rule_words import RULE_TEXTS


def fixed_texts() -> set[str]:
    """The second argument of every `_m(code, text, citation)` in the rules that is a plain string."""
    found = set()
    for node in ast.walk(ast.parse(inspect.getsource(agreement_rules))):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "_m"
                and len(node.args) >= 2 and isinstance(node.args[1], ast.Constant)
                and isinstance(node.args[1].value, str)):
            found.add(node.args[1].value)
    return found


def test_every_fixed_rule_text_is_marked_for_the_catalogs() -> None:
    fixed = fixed_texts()
    assert len(fixed) >= 15  # the reading works (a broken one would pass everything)
    assert fixed <= RULE_TEXTS, sorted(fixed - RULE_TEXTS)


def test_the_spanish_editor_shows_them_in_spanish() -> None:
    template = i18n.environment("es").get_template("office/_missing.html")
    missing = [agreement_rules.MissingElement("purpose", "the purpose of the disclosure", "34 CFR 99.35"),
               agreement_rules.MissingElement("signature", "the signature of party dss", "34 CFR 99.35")]
    html = template.render(missing=missing, rule_texts=RULE_TEXTS)
    assert "el propósito de la divulgación" in html
    assert "the signature of party dss" in html  # a text with a value stays as the rule wrote it
