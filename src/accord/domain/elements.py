"""The data-element catalog: each field Accord can release and the law that guards it."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from accord.errors import AccordError


class Sensitivity(StrEnum):
    DIRECTORY = "directory"  # FERPA directory information, 34 CFR 99.37
    EDUCATION_RECORD = "education_record"  # FERPA, 34 CFR 99.30
    HEALTH = "health"  # protected health information of a HIPAA covered entity
    SUBSTANCE_USE = "substance_use"  # 42 CFR Part 2 treatment records
    MEAL_ELIGIBILITY = "meal_eligibility"  # 42 USC 1758(b)(6)
    BENEFIT_STATUS = "benefit_status"  # SNAP/TANF participation, direct certification
    JUSTICE_RECORD = "justice_record"  # juvenile-court records under state law


@dataclass(frozen=True, slots=True)
class DataElement:
    code: str
    label: str
    sensitivity: Sensitivity
    # Fields a responder needs in a health or safety emergency (34 CFR 99.36 limits the
    # release to what the emergency requires).
    emergency_relevant: bool = False
    # True for the bare eligibility status; the application details stay with the program.
    eligibility_flag: bool = False


def _e(code: str, label: str, sensitivity: Sensitivity, **kw: bool) -> DataElement:
    return DataElement(code, label, sensitivity, **kw)


_S = Sensitivity
CATALOG: dict[str, DataElement] = {
    e.code: e
    for e in (
        _e("grade_level", "Grade level", _S.DIRECTORY),
        _e("enrollment_status", "Enrollment status and school", _S.DIRECTORY),
        # All a program agency's outreach learns from a cross-check: its listed child is enrolled.
        _e("enrolled_in_district", "Enrolled in the district (yes or no)", _S.DIRECTORY,
           eligibility_flag=True),
        _e("activities_awards", "Activities, sports and awards", _S.DIRECTORY),
        _e("attendance", "Attendance", _S.EDUCATION_RECORD),
        _e("grades", "Grades and course marks", _S.EDUCATION_RECORD),
        _e("enrollment_history", "Enrollment history", _S.EDUCATION_RECORD),
        _e("assessments", "State assessment results", _S.EDUCATION_RECORD),
        _e("discipline", "Discipline incidents", _S.EDUCATION_RECORD),
        _e("family_background", "Family background", _S.EDUCATION_RECORD),
        _e("iep_504_status", "IEP / Section 504 status", _S.EDUCATION_RECORD, emergency_relevant=True),
        _e("english_learner", "English-learner status", _S.EDUCATION_RECORD),
        _e("homeless_status", "Homeless (McKinney-Vento) status", _S.EDUCATION_RECORD),
        _e("emergency_contacts", "Emergency contacts", _S.EDUCATION_RECORD, emergency_relevant=True),
        _e("school_health_screenings", "School health screenings", _S.EDUCATION_RECORD,
           emergency_relevant=True),
        _e("school_immunizations", "Immunizations on the school record", _S.EDUCATION_RECORD,
           emergency_relevant=True),
        _e("meal_eligibility_status", "Free/reduced-price meal eligibility status",
           _S.MEAL_ELIGIBILITY, eligibility_flag=True),
        _e("meal_application_details", "Meal application (household size and income)",
           _S.MEAL_ELIGIBILITY),
        _e("clinical_conditions", "Diagnosed health conditions", _S.HEALTH, emergency_relevant=True),
        _e("immunization_registry", "Immunization registry record", _S.HEALTH,
           emergency_relevant=True),
        _e("medicaid_enrollment", "Medicaid/CHIP enrollment", _S.HEALTH, eligibility_flag=True),
        _e("sud_treatment", "Substance-use treatment records", _S.SUBSTANCE_USE),
        _e("snap_participation", "SNAP participation", _S.BENEFIT_STATUS, eligibility_flag=True),
        _e("tanf_participation", "TANF participation", _S.BENEFIT_STATUS, eligibility_flag=True),
        _e("direct_certification", "Directly certified for free meals", _S.BENEFIT_STATUS,
           eligibility_flag=True),
        _e("juvenile_justice_contact", "Juvenile-justice contact", _S.JUSTICE_RECORD),
    )
}


class UnknownDataElement(AccordError, ValueError):
    """Raised when a request or document names a field the catalog does not know."""


def element(code: str) -> DataElement:
    """Look up a catalog entry, with a clear error for an unknown code."""
    try:
        return CATALOG[code]
    except KeyError:
        raise UnknownDataElement(f"unknown data element {code!r}") from None


def require_known(codes: frozenset[str] | set[str]) -> frozenset[str]:
    """Validate a set of element codes; the error names every unknown code."""
    unknown = sorted(set(codes) - CATALOG.keys())
    if unknown:
        raise UnknownDataElement("unknown data element(s): " + ", ".join(unknown))
    return frozenset(codes)


def parse_elements(items: list[str] | str, field: str) -> frozenset[str]:
    """Element codes as a person writes them (comma-separated, or repeated); the error names the
    field it came from, every unknown code and the known ones."""
    parts = [items] if isinstance(items, str) else items
    codes = frozenset(c.strip() for item in parts for c in item.split(",") if c.strip())
    unknown = sorted(codes - CATALOG.keys())
    if unknown:
        raise UnknownDataElement(f"{field}: unknown data element(s): " + ", ".join(unknown)
                                 + " (known: " + ", ".join(sorted(CATALOG)) + ")").coded(
            "unknown_elements", elements=", ".join(unknown))
    return codes
