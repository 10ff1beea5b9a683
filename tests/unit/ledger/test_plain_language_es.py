"""The parent view's sentences in Spanish: every kind of entry the English writes, from the same
realistic entries as tests/unit/ledger/test_plain_language.py, read as Spanish (no English left but
the agencies' registered names) and plain (Fernández-Huerta reading ease 70 or more, as the consent
texts of tests/web/test_consent_readability.py)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta

import pytest
import textstat

from accord.domain.elements import CATALOG
from accord.domain.purposes import Purpose
from accord.ledger import plain_frames, plain_words, plain_words_es
from accord.ledger.crosscheck_events import review_decision_draft
from accord.ledger.entries import Draft, EntryKind
from accord.ledger.events import agreement_draft, consent_draft
from accord.ledger.plain_language import _WRITERS, history_lines
from accord.ledger.plain_words import HistoryLine
from tests.spec import world
from tests.unit.ledger.test_plain_language import ASKED_ON, NAMES, SIGNED, _chain, _decision_draft

MIN_EASE = 70.0  # Fernández-Huerta, "fairly easy", as for the consent texts
AT = datetime(2026, 9, 1, 9, 0)
# Words that would mean a phrase was left in English (checked with the agency names taken out).
ENGLISH = (" the ", "your child", "was withdrawn", " received ", " asked ", " because ", " consent ",
           " with ", " and ", "nothing", " on ", " signed ")


def _inspection(kind: EntryKind, asker: str) -> Draft:
    return Draft(kind, {"request": 1, "by": "u", "at": "2026-12-07T10:00:00.000000Z", "asker": asker,
                        "requested_at": "2026-12-07T10:00:00.000000Z", "due_on": "2027-01-21"}, "stu-minor")


def every_kind() -> list[Draft]:
    """One entry of each kind the English has a sentence for, the decisions in their variants."""
    snap, part2 = world.CONSENTS["ferpa-snap"], world.CONSENTS["part2-by-minor"]
    revoked = replace(world.CONSENTS["ferpa-health"], revoked_at=ASKED_ON - timedelta(days=3))
    return [
        _decision_draft("cw.health", {"attendance", "assessments"}, consents=("ferpa-health",)),
        _decision_draft("cw.tanf", {"meal_eligibility_status"}),
        _decision_draft("cw.health", {"emergency_contacts", "grades"}, Purpose.HEALTH_SAFETY_EMERGENCY,
                        threat=world.THREAT),
        _decision_draft("cw.health", {"emergency_contacts"}, Purpose.HEALTH_SAFETY_EMERGENCY),
        _decision_draft("cw.health", {"grade_level"}),
        _decision_draft("cw.cws", {"attendance"}, student="stu-foster"),
        consent_draft(EntryKind.CONSENT_RECORDED, snap, "ro", AT),
        consent_draft(EntryKind.CONSENT_RECORDED, part2, "ro", AT),
        consent_draft(EntryKind.CONSENT_CONFIRMED, snap, "ro", AT),
        consent_draft(EntryKind.CONSENT_REVOKED, revoked, "ro", AT + timedelta(days=30)),
        agreement_draft(EntryKind.AGREEMENT_ACTIVATED, world.AGREEMENTS["dsa-snap"], "a", date(2025, 7, 1)),
        agreement_draft(EntryKind.AGREEMENT_TERMINATED, world.AGREEMENTS["dsa-snap"], "a", date(2027, 7, 1)),
        agreement_draft(EntryKind.DESTRUCTION_CERTIFIED, world.AGREEMENTS["dsa-snap"], "a", date(2027, 8, 1)),
        review_decision_draft("dsa-snap", 1, True, "ro", AT, "stu-minor"),
        review_decision_draft("dsa-snap", 2, False, "ro", AT, "stu-minor"),
        _inspection(EntryKind.INSPECTION_REQUESTED, "parent"),
        _inspection(EntryKind.INSPECTION_ANSWERED, "parent"),
    ]


def spanish(reader: str = "parent", drafts: list[Draft] | None = None) -> list[HistoryLine]:
    return history_lines(_chain(*(drafts or every_kind())), NAMES, SIGNED, reader,  # type: ignore[arg-type]
                         language="es")


def ease(text: str) -> float:
    textstat.set_lang("es")
    try:
        return float(textstat.fernandez_huerta(text))
    finally:
        textstat.set_lang("en")


def test_every_kind_the_english_writes_is_covered() -> None:
    assert {EntryKind(x.kind) for x in spanish()} == set(_WRITERS)


def test_the_tables_have_the_same_keys_in_both_languages() -> None:
    assert plain_frames.EN.keys() == plain_frames.ES.keys()
    assert plain_words_es.LABELS.keys() == CATALOG.keys()
    for name in ("PURPOSES", "BASES", "BECAUSE", "NEEDS_CONSENT", "FORMS"):
        assert getattr(plain_words, name).keys() == getattr(plain_words_es, name).keys(), name
    assert [w for w, _ in plain_words.CONSENT_PROBLEMS] == [w for w, _ in plain_words_es.CONSENT_PROBLEMS]
    assert plain_words.LANGUAGES.keys() == plain_words_es.LANGUAGES.keys()
    assert set(plain_words_es.KINDS) == {k.value for k in EntryKind} - {k.value for k in _WRITERS}


@pytest.mark.parametrize("reader", ["parent", "student"])
def test_the_spanish_history_is_spanish_and_plain(reader: str) -> None:
    for line in spanish(reader):
        text = line.sentence
        for name in NAMES.values():
            text = text.replace(name, "Agencia")
        text = text.replace(world.THREAT, "")  # the threat as the caseworker recorded it, quoted
        assert not [w for w in ENGLISH if w in f" {text.lower()} "], line.sentence
        assert text.startswith("El ") and text.endswith("."), line.sentence
        assert ease(line.sentence) >= MIN_EASE, (ease(line.sentence), line.sentence)


def test_sentences_read_as_a_spanish_speaker_would_write_them() -> None:
    lines = {x.seq: x.sentence for x in spanish()}
    assert lines[1] == (
        "El 3 de marzo de 2027, County Health Dept recibió la asistencia para planear servicios. "
        "Se compartió con su permiso firmado el 12 de agosto de 2026. No recibió las notas "
        "de las pruebas del estado, porque el acuerdo para compartir datos no incluye esto.")
    assert lines[2] == (
        "El 3 de marzo de 2027, County TANF Office pidió el dato de si recibe comidas escolares gratis "
        "o baratas para planear servicios. No se compartió nada, porque sin su permiso, la ley no deja "
        "darlo a quien lo pidió.")
    assert lines[7] == (
        "El 12 de agosto de 2026, usted firmó un permiso (formulario en español). Con él, se permite a "
        "County SNAP Office recibir la asistencia y los datos de la familia para planear servicios, "
        "hasta el 12 de agosto de 2027.")
    assert "su hijo o hija, ya mayor de edad, confirmó el permiso que usted firmó" in lines[9]
    assert "a cargo de su hijo o hija en un hogar de acogida" in lines[6]
    assert lines[16] == ("El 7 de diciembre de 2026, usted pidió ver los datos escolares de su hijo o "
                         "hija. La escuela debe dejarle verlos a más tardar el 21 de enero de 2027.")


def test_the_eligible_student_reads_of_themself() -> None:
    lines = {x.seq: x.sentence for x in spanish("student")}
    assert lines[7].startswith("El 12 de agosto de 2026, su padre o su madre firmó un permiso")
    assert "a cargo de usted en un hogar de acogida" in lines[6]
    assert "El 1 de septiembre de 2026, usted confirmó el permiso que su padre o su madre firmó" in lines[9]


def test_same_dates_order_and_citations_as_the_english() -> None:
    english = history_lines(_chain(*every_kind()), NAMES, SIGNED)
    assert [(x.on, x.seq, x.kind, x.citations) for x in spanish()] == \
        [(x.on, x.seq, x.kind, x.citations) for x in english]


def test_a_language_without_words_is_refused() -> None:
    with pytest.raises(ValueError, match="not 'fr'"):
        history_lines([], NAMES, {}, language="fr")


def test_no_identifying_field_of_the_student_reaches_a_spanish_sentence() -> None:
    texts = " ".join(x.sentence for x in spanish())
    month = world.STUDENTS["stu-minor"].turns_18_in
    assert month is not None and month.isoformat() not in texts
    assert plain_words_es.long_date(month) not in texts and "stu-minor" not in texts
