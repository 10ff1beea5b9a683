"""Agency data intake: pure readers that turn agency files into validated records.

CSV (students, enrollments, attendance, discipline, grades, programs, partner rosters) and
Ed-Fi JSON/NDJSON resources become Batches of identities (for the agency-side encoder), student
facts and content items (for the hub), enrollment consents, and rejections naming file, row and
field. No database here: the caller decides whether a batch with rejections is loaded.
"""

from .csv_reader import CSV_KINDS
from .descriptors import descriptor_code
from .edfi_resources import Incident
from .errors import IntakeError, Rejection
from .reader import (
    EDFI_KINDS,
    detect_format,
    iter_batches,
    read_discipline,
    read_file,
    read_incidents,
)
from .records import Batch, EnrollmentConsent, StudentFacts, StudentIdentity, merge_batches
from .source import DEFAULT_MAX_BYTES

__all__ = [
    "CSV_KINDS", "DEFAULT_MAX_BYTES", "EDFI_KINDS", "Batch", "EnrollmentConsent", "Incident", "IntakeError",
    "Rejection", "StudentFacts", "StudentIdentity", "descriptor_code", "detect_format", "iter_batches",
    "merge_batches", "read_discipline", "read_file", "read_incidents",
]
