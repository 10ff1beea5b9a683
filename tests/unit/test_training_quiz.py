"""The privacy course and its quiz (accord.domain.training_quiz): the answer key fits the questions,
grading counts right answers and names the wrong questions, a pass needs the pass mark, and every
text of the course is in plain text with its Spanish in the pages' catalogs."""

from __future__ import annotations

from accord.domain.training_quiz import ANSWERS, PASS_SHARE, QUESTIONS, SECTIONS, grade, pass_mark
from accord.web import i18n


def test_the_answer_key_fits_the_questions_and_is_not_one_letter() -> None:
    assert [q.id for q in QUESTIONS] == list(ANSWERS)
    assert all(ANSWERS[q.id] in dict(q.choices) for q in QUESTIONS)
    assert len(set(ANSWERS.values())) > 1  # "always c" would pass without reading
    assert {q.section for q in QUESTIONS} <= {s.id for s in SECTIONS}
    assert 5 <= len(QUESTIONS) <= 8


def test_grading_counts_the_right_answers_and_names_the_wrong_questions() -> None:
    assert grade(ANSWERS).passed and grade(ANSWERS).wrong == ()
    one_wrong = grade({**ANSWERS, "q4": "a"})
    assert one_wrong.right == len(QUESTIONS) - 1 and one_wrong.wrong == ("q4",) and one_wrong.passed
    two_wrong = grade({**ANSWERS, "q1": "a", "q7": "x"})
    assert two_wrong.wrong == ("q1", "q7") and not two_wrong.passed
    assert grade({}).right == 0 and len(grade({}).wrong) == len(QUESTIONS)
    assert pass_mark() / len(QUESTIONS) >= PASS_SHARE > (pass_mark() - 1) / len(QUESTIONS)


def _texts() -> list[str]:
    return [*(s.title for s in SECTIONS), *(p for s in SECTIONS for p in s.paragraphs),
            *(q.prompt for q in QUESTIONS), *(text for q in QUESTIONS for _, text in q.choices)]


def test_every_text_is_plain_and_has_its_spanish() -> None:
    spanish = i18n.translations("es")
    # Shown through the templates' gettext, which treats the text as markup and formats it with %.
    assert not [t for t in _texts() if set(t) & set("<>&%")]
    missing = [t for t in _texts() if spanish.gettext(t) == t]
    assert not missing, missing
