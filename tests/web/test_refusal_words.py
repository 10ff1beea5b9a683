"""The workflows' refusals in the viewer's language (web/refusal_words.py): every code the source gives
a refusal (`AccordError.coded`, a consent's `Defect`, a class's own `code`) has words, with only the
values the refusal carries; read from the source so that a new one cannot be forgotten. In Spanish, a
refused consent and a refused change of the state-law settings say why in Spanish, the English message
gone; the command line's message is the workflow's, unchanged."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from accord.policy.request import StateLaw
from accord.web.refusal_words import REFUSALS
from accord.workflows.state_law import StateLawInvalid, _check
from tests.web.office_world import build
from tests.web.pages_client import site_client
from tests.web.source_codes import Found, called, modules, read_codes
from tests.web.test_office_pages import CONSENT, Site

# Where a refusal gets its code: `.coded(code, ...)`, a consent's Defect(field, code, ...), a form's
# FieldProblem(field, text, code, ...), and the document reader's `_bad(key, expected, code, ...)`.
CODED = {"coded": 0, "Defect": 1, "FieldProblem": 2, "_bad": 2}
# Where a code is passed on, not made: the reader's `_bad`; the consent form's problems, from an
# error's or a Defect's code.
FORWARDERS = {("accord.intake.json_document", "_bad"), ("accord.workflows.office_forms", "_named"),
              ("accord.workflows.office_forms", "_of")}
PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def refusal_codes() -> Found:
    found = Found()
    for name, tree in modules():
        read_codes(name, tree, CODED, found)
    return found


def class_codes() -> set[str]:
    """The codes classes give all their refusals: `code = "..."` in a class's body (AccordError's own
    default, "", is none). Such a refusal carries no values."""
    classes = (c for _, tree in modules() for c in ast.walk(tree) if isinstance(c, ast.ClassDef))
    return {node.value.value for cls in classes for node in cls.body
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant)
            and [getattr(t, "id", "") for t in node.targets] == ["code"] and node.value.value}


def _values(call: ast.Call) -> set[str]:
    """The names of the values a coded refusal carries: `coded`'s keywords (the document reader adds
    the field), or the keys of a Defect's pairs."""
    if called(call) == "Defect":
        pairs = call.args[3] if len(call.args) > 3 else ast.Tuple(elts=[])
        assert isinstance(pairs, ast.Tuple), ast.unparse(call)  # pairs written out, so the test reads them
        keys = [pair.elts[0] for pair in pairs.elts if isinstance(pair, ast.Tuple)]
        return {key.value for key in keys if isinstance(key, ast.Constant)}
    if called(call) == "FieldProblem":
        return set()
    return {k.arg for k in call.keywords if k.arg} | ({"field"} if called(call) == "_bad" else set())


def test_every_coded_refusal_has_words_naming_only_its_values() -> None:
    found, by_class = refusal_codes(), class_codes()
    assert {"notice_day_needed", "statement_missing", "not_a_date", "unknown_student"} <= found.codes.keys()
    assert {"rule_set_invalid", "content_key_unusable"} <= by_class
    assert set(found.unread) == FORWARDERS, f"a code the test cannot read: {set(found.unread) - FORWARDERS}"
    codes = found.codes.keys() | by_class
    assert codes <= REFUSALS.keys(), sorted(codes - REFUSALS.keys())
    assert REFUSALS.keys() <= codes, sorted(REFUSALS.keys() - codes)
    for code, calls in found.codes.items():
        named = set(PLACEHOLDER.findall(REFUSALS[code]))
        assert all(named <= _values(call) for call in calls), (code, named)
    assert not [code for code in by_class if PLACEHOLDER.search(REFUSALS[code])]


def test_the_command_lines_message_stays_the_workflows() -> None:
    with pytest.raises(StateLawInvalid) as refused:
        _check(StateLaw(medicaid_meal_status_election=True))
    assert str(refused.value).startswith("--notice-on: the Medicaid/CHIP election needs the day households")
    assert refused.value.code == "notice_day_needed"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    root: Path = tmp_path_factory.mktemp("refusals")
    settings, secrets = build(root)
    yield Site(root, site_client(settings), secrets)


def spanish_officer(site: Site) -> Site:
    site.as_("ro.lea").client.get("/office?lang=es")  # the language is remembered in a cookie
    return site


def test_a_refused_consent_says_why_in_spanish(site: Site) -> None:
    refused = spanish_officer(site).post("/office/consents/new", {
        **CONSENT, "signed_on": "", "evidence_ref": "", "method": "electronic_signature",
        "forms": ["ferpa", "part2"], "statements": ["expiration"]})
    assert refused.status_code == 400
    text = " ".join(re.sub(r"<[^>]+>", " ", refused.text).split())
    assert "No está firmado ni fechado (34 CFR 99.30(a))." in text
    assert "La firma electrónica no identifica ni autentica a quien firma (34 CFR 99.30(d))." in text
    assert "Al formulario part2 le falta la declaración right_to_revoke (42 CFR 2.31(a))." in text
    assert "not signed and dated" not in text and "does not identify and authenticate" not in text
    assert "statement (42 CFR" not in text


def test_a_parents_signature_after_the_rights_passed_names_the_day_typed(site: Site) -> None:
    refused = spanish_officer(site).post("/office/consents/new", {
        **CONSENT, "id": "c-late", "student_id": "stu-18", "signed_on": "2040-01-15",
        "starts_on": "2040-01-15"})
    assert refused.status_code == 400
    assert "Lo firmó el padre o la madre el 2040-01-15, cuando los derechos de FERPA" in refused.text
    assert "when FERPA rights had passed" not in refused.text


def test_a_consent_of_another_school_and_one_recorded_twice_are_refused_in_spanish(site: Site) -> None:
    other = spanish_officer(site).as_("ro.univ")
    other.client.get("/office?lang=es")
    stranger = other.post("/office/consents/new", {**CONSENT, "id": "c-univ-es"})
    assert "Ese estudiante no está registrado en su escuela." in stranger.text
    assert "no such student" not in stranger.text
    officer = spanish_officer(site)
    assert officer.post("/office/consents/new", {**CONSENT, "id": "c-es"}).status_code == 303
    twice = officer.post("/office/consents/new", {**CONSENT, "id": "c-es"})
    assert twice.status_code == 400 and "El consentimiento c-es ya está registrado." in twice.text
    assert "already recorded" not in twice.text


def test_a_refused_state_law_change_says_why_in_spanish(site: Site) -> None:
    officer = spanish_officer(site)
    no_day = officer.post("/office/state-law", {"medicaid_meal_status_election": "true",
                                                "direct_certification_programs": ["snap"]})
    assert no_day.status_code == 400
    assert "La elección de Medicaid y CHIP necesita el día en que se avisó a los hogares" in no_day.text
    assert "42 USC 1758(b)(6)(D)" in no_day.text and "needs the day households" not in no_day.text
    no_snap = officer.post("/office/state-law", {"direct_certification_programs": ["tanf"]})
    assert "Los programas deben incluir SNAP" in no_snap.text and "must include snap" not in no_snap.text
    wic = officer.post("/office/state-law", {"direct_certification_programs": ["snap", "wic"]})
    assert "wic no es un programa del que las escuelas certifiquen comidas" in wic.text
    assert "is not a program schools certify" not in wic.text
