"""The privacy course and its quiz, as a table a records officer can read and check: a few short
sections in plain words on FERPA and Accord's rules, then multiple-choice questions with the right
answer of each. Passing (at least PASS_SHARE right) completes COURSE_ID, the course the state's law
requires before anyone receives a record (accord.policy: a person whose training lapsed gets
nothing). Plain data and the grading rule only; the Spanish of every text is in the pages' catalog.
Texts hold no markup (the pages show them as they are)."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

COURSE_ID = "ferpa-basics"
PASS_SHARE = 0.8  # at least 6 of 7 right


@dataclass(frozen=True, slots=True)
class Section:
    id: str
    title: str
    paragraphs: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Question:
    id: str
    section: str  # the section that teaches it (a wrong answer sends the person back there)
    prompt: str
    choices: tuple[tuple[str, str], ...]  # (choice id, text)


SECTIONS: tuple[Section, ...] = (
    Section("record", "What an education record is", (
        "An education record is any record about a student that the school keeps: grades, attendance, "
        "discipline, special education plans, the school nurse's notes.",
        "A teacher's private notes that only the teacher sees are not one, and neither is a police "
        "report written by the city's police. Everything Accord receives from the school is treated "
        "as an education record.",
    )),
    Section("consent", "Consent and its exceptions", (
        "The school may share a record only with written consent: signed and dated by the parent, or by "
        "the student once 18 or in college, naming the records, the purpose and who receives them.",
        "A few narrow exceptions in the law allow sharing without consent, such as a health or safety "
        "emergency, a child in foster care, a study for the school, or a court order. When neither a "
        "consent nor an exception applies, Accord shares nothing.",
    )),
    Section("notice", "The redisclosure notice", (
        "Every record you receive comes with a notice: you may not pass it on to anyone else, not even "
        "a colleague at another agency, unless the parent consents or the law allows it.",
        "Keep the notice with the record. An agency that passes records on wrongly can be barred from "
        "receiving any for five years.",
    )),
    Section("minimum", "Minimum necessary", (
        "Ask only for what your task needs, and use it only for the purpose you gave. Accord decides "
        "each field on its own: a field your purpose does not need is refused, even when others are "
        "released.",
    )),
    Section("ledger", "The ledger", (
        "Every request, every answer, every consent and every agreement is written to a ledger that "
        "nobody can change or delete. Parents, and students once 18, can read there who received "
        "their child's records, when and why.",
        "Your training must be current: Accord refuses every request from a person whose yearly "
        "training has run out.",
    )),
    Section("breach", "Reporting a breach", (
        "If a record goes to the wrong person, is lost, or is seen by someone who should not see it, "
        "tell your agency's records officer the same day. Do not try to fix it quietly: the school "
        "must know, to protect the child and to tell the family.",
    )),
)

QUESTIONS: tuple[Question, ...] = (
    Question("q1", "record", "Which of these is an education record?", (
        ("a", "A teacher's private notes that only the teacher sees"),
        ("b", "A student's attendance kept by the school"),
        ("c", "A report written by the city's police"))),
    Question("q2", "consent", "No one signed a consent and no exception applies. What can Accord share?", (
        ("a", "Only the grades"),
        ("b", "Whatever the caseworker says is urgent"),
        ("c", "Nothing"))),
    Question("q3", "consent", "Who signs the consent for a student who is 19 years old?", (
        ("a", "The student"),
        ("b", "A parent"),
        ("c", "The school's principal"))),
    Question("q4", "notice", "A colleague at another agency asks for a copy of a record you received. "
             "What do you do?", (
        ("a", "Send it: they work for the county too"),
        ("b", "Send it without the student's name"),
        ("c", "Do not pass it on unless the parent consents or the law allows it"))),
    Question("q5", "minimum", "You need a child's attendance to plan services. What do you ask for?", (
        ("a", "Attendance only"),
        ("b", "Every field, in case it helps later"),
        ("c", "Attendance and grades"))),
    Question("q6", "ledger", "Which is true of Accord's ledger?", (
        ("a", "The records officer can delete an entry"),
        ("b", "Every disclosure is written there, and families can read their child's"),
        ("c", "Only refused requests are written there"))),
    Question("q7", "breach", "You sent a child's record to the wrong person. What do you do?", (
        ("a", "Ask them to delete it and say nothing"),
        ("b", "Wait to see whether anyone complains"),
        ("c", "Tell your records officer the same day"))),
)
# The answer key: question id -> the right choice's id.
ANSWERS = {"q1": "b", "q2": "c", "q3": "a", "q4": "c", "q5": "a", "q6": "b", "q7": "c"}


@dataclass(frozen=True, slots=True)
class Grade:
    right: int
    total: int
    wrong: tuple[str, ...]  # the ids of the questions not answered right (unanswered included)

    @property
    def passed(self) -> bool:
        return self.right >= pass_mark()


def pass_mark() -> int:
    """How many questions a pass needs."""
    return math.ceil(PASS_SHARE * len(QUESTIONS))


def grade(answers: Mapping[str, str]) -> Grade:
    """How many of QUESTIONS `answers` (question id -> choice id) got right, and which not."""
    wrong = tuple(q.id for q in QUESTIONS if answers.get(q.id) != ANSWERS[q.id])
    return Grade(len(QUESTIONS) - len(wrong), len(QUESTIONS), wrong)
