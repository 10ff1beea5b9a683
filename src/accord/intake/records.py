"""The records a reader produces from one agency file (or one chunk of it)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from accord.domain.content import ContentItem

from .errors import Rejection


@dataclass(frozen=True, slots=True)
class StudentIdentity:
    """What the agency side encodes for linkage; it never reaches the hub in the clear.

    `identity` holds only the canonical columns present and non-empty: first_name, middle_name,
    last_name, date_of_birth (ISO yyyy-mm-dd), sex, street_address, city, postcode, national_id."""

    record_id: str
    identity: dict[str, str]


@dataclass(frozen=True, slots=True)
class StudentFacts:
    """What the hub's students table keeps about a record: no names, no birth date (the month the
    student turns 18, ADR 0016), opt-outs."""

    record_id: str
    turns_18_in: date | None
    directory_opt_out: bool
    meal_disclosure_opt_out: bool
    # The child-welfare agency responsible for a child in foster care (20 USC 1232g(b)(1)(L)).
    foster_care_agency_id: str | None = None
    # The day the student first enrolled in a postsecondary institution: the FERPA rights are hers
    # from then on, whatever her age (34 CFR 99.3, 99.5(a)). `postsecondary_in_file` says whether
    # the file had the column at all: only then does a load replace the date a student has at the
    # hub (an empty cell clears it); a file without the column leaves it as it was.
    postsecondary_enrolled_on: date | None = None
    postsecondary_in_file: bool = False
    # With bounds rather than the month (ADR 0030), the latest month; `turns_18_in` is the earliest.
    turns_18_by: date | None = None


@dataclass(frozen=True, slots=True)
class EnrollmentConsent:
    """A written consent captured on the enrollment form (34 CFR 99.30)."""

    record_id: str
    recipient_agency_id: str
    elements: frozenset[str]
    purpose: str
    signed_on: date
    signer_role: str
    language: str


@dataclass(slots=True)
class Batch:
    """The validated output of a file or of one chunk of it; the caller decides all-or-nothing."""

    kind: str
    source: str
    identities: list[StudentIdentity] = field(default_factory=list)
    students: list[StudentFacts] = field(default_factory=list)
    content: list[ContentItem] = field(default_factory=list)
    rows_read: int = 0
    rejections: list[Rejection] = field(default_factory=list)
    consents: list[EnrollmentConsent] = field(default_factory=list)
    # The source row of each student, content item and consent (same order), so that a check the
    # reader cannot make (is this record known at the hub?) can still name the row.
    student_rows: list[int] = field(default_factory=list)
    content_rows: list[int] = field(default_factory=list)
    consent_rows: list[int] = field(default_factory=list)

    def note_rows(self, number: int, students: int, content: int, consents: int) -> None:
        """Record that row `number` produced the records past the given list lengths."""
        self.student_rows.extend([number] * (len(self.students) - students))
        self.content_rows.extend([number] * (len(self.content) - content))
        self.consent_rows.extend([number] * (len(self.consents) - consents))


def merge_batches(kind: str, source: str, batches: Iterable[Batch]) -> Batch:
    """Concatenate chunks into one Batch (in file order)."""
    merged = Batch(kind, source)
    for part in batches:
        merged.identities.extend(part.identities)
        merged.students.extend(part.students)
        merged.content.extend(part.content)
        merged.rows_read += part.rows_read
        merged.rejections.extend(part.rejections)
        merged.consents.extend(part.consents)
        merged.student_rows.extend(part.student_rows)
        merged.content_rows.extend(part.content_rows)
        merged.consent_rows.extend(part.consent_rows)
    return merged
