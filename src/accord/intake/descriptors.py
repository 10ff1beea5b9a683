"""Known code values: CSV event and program names, and Ed-Fi descriptor code sets.

Ed-Fi sends descriptors as URIs, "uri://ed-fi.org/AttendanceEventCategoryDescriptor#Tardy"; the
code value is the part after '#'. Codes are matched without regard to case (vendors differ in
capitalisation) and returned in the spelling listed here, so the hub stores one form.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from accord.domain.content import Value

from .errors import RowIssue


def _codes(values: Iterable[str]) -> dict[str, str]:
    return {v.casefold(): v for v in values}


ATTENDANCE_EVENTS = _codes(
    ("In Attendance", "Excused Absence", "Unexcused Absence", "Tardy", "Early departure")
)
BEHAVIORS = _codes(("School Code of Conduct", "School Violation", "State Offense", "Other"))
SEXES = _codes(("Female", "Male", "Not Selected", "Nonbinary"))
GRADE_LEVELS = _codes((
    "Infant/toddler", "Early Education", "Preschool/Prekindergarten", "Transitional Kindergarten",
    "Kindergarten", "First grade", "Second grade", "Third grade", "Fourth grade", "Fifth grade",
    "Sixth grade", "Seventh grade", "Eighth grade", "Ninth grade", "Tenth grade", "Eleventh grade",
    "Twelfth grade", "Grade 13", "Postsecondary", "Adult Education", "Ungraded", "Other",
))
EXIT_WITHDRAW_TYPES = _codes((
    "Graduated", "Completed", "Transferred", "Dropped out", "Expelled", "Died", "Withdrawn",
    "Moved out of district", "Transferred to another district", "Transferred to private school",
    "Homeschool", "Enrolled in adult education", "Left school", "Other", "Unknown",
    "Student is in a different public school in the same local education agency",
    "Transferred to a public school in a different local education agency in the same state",
    "Transferred to a public school in a different state",
    "Transferred to a private, non-religiously-affiliated school",
    "Transferred to a private, religiously-affiliated school",
    "Transferred to a school outside of the country",
    "Transferred to an institution", "Transferred to home schooling",
    "Graduated with regular, advanced, International Baccalaureate, or other type of diploma",
    "Completed school with other credentials",
))
FOOD_SERVICES = _codes((
    "Free Breakfast", "Free Lunch", "Free Milk", "Free Snack", "Free Supper",
    "Reduced Price Breakfast", "Reduced Price Lunch", "Reduced Price Snack", "Reduced Price Supper",
    "Full Price Breakfast", "Full Price Lunch", "Full Price Snack", "Full Price Supper",
))

# CSV `programs` kind: program name -> (catalogue element, values of the item).
PROGRAMS: dict[str, tuple[str, dict[str, Value]]] = {
    "Free Meals": ("meal_eligibility_status", {"status": "free"}),
    "Reduced-Price Meals": ("meal_eligibility_status", {"status": "reduced"}),
    # Direct certification (SNAP/TANF/foster) makes a child eligible for free meals.
    "Directly Certified": ("meal_eligibility_status", {"status": "free", "basis": "direct_certification"}),
    "English Learner": ("english_learner", {"english_learner": True}),
    "Homeless": ("homeless_status", {"homeless": True}),
    "Section 504": ("iep_504_status", {"plan": "504"}),
    "IEP": ("iep_504_status", {"plan": "IEP"}),
}
PROGRAM_NAMES = _codes(PROGRAMS)


def known_code(field: str, value: str, known: Mapping[str, str], what: str) -> str:
    """The canonical spelling of `value` in `known`, or RowIssue("unknown <what>").

    The reason lists the allowed codes when there are few, and never echoes the value: a
    shifted column can put a name where a code belongs."""
    canonical = known.get(value.casefold())
    if canonical is None:
        allowed = list(known.values())
        hint = f" (expected one of: {', '.join(allowed)})" if len(allowed) <= 8 else ""
        raise RowIssue(field, f"unknown {what}{hint}")
    return canonical


# A records officer's map of descriptors in a state's or district's own namespace:
# (descriptor type, the URI casefolded) -> the code Accord knows (`accord descriptors map`).
DescriptorMap = Mapping[tuple[str, str], str]
NO_MAP: DescriptorMap = {}
EDFI_NAMESPACE = "uri://ed-fi.org/"
# A URI shaped like a descriptor can be named in a rejection: it is a code, not a person's value.
_SHOWABLE = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://[^\s#]{1,120}#[^\s]{1,60}")


def descriptor_code(field: str, uri: str, descriptor: str, known: Mapping[str, str],
                    mapped: DescriptorMap = NO_MAP) -> str:
    """The code value of an Ed-Fi descriptor URI: mapped by the agency's records officer, or an
    ed-fi.org code (any namespace) of its type."""
    found = mapped.get((descriptor, uri.strip().casefold()))
    if found is not None:
        return found
    namespace, sep, code = uri.rpartition("#")
    if not sep or not code.strip():
        raise RowIssue(field, f"not an Ed-Fi descriptor URI (expected uri://...{descriptor}#Code)")
    if not namespace.rstrip("/").endswith("/" + descriptor):
        raise RowIssue(field, f"descriptor of the wrong type (expected {descriptor})")
    if namespace.strip().casefold().startswith(EDFI_NAMESPACE):
        return known_code(field, code.strip(), known, descriptor + " code")
    canonical = known.get(code.strip().casefold())
    if canonical is None:  # a state's or district's own code, which its records officer maps
        shown = uri.strip() if _SHOWABLE.fullmatch(uri.strip()) else "this value"
        raise RowIssue(field, f"unmapped {descriptor} {shown}: map it to an Ed-Fi code with `accord "
                       f"descriptors map --agency AGENCY --from URI --to CODE`")
    return canonical


# Every descriptor type the Ed-Fi readers take, with the codes a mapping may point to.
DESCRIPTOR_TYPES: dict[str, Mapping[str, str]] = {
    "AttendanceEventCategoryDescriptor": ATTENDANCE_EVENTS, "BehaviorDescriptor": BEHAVIORS,
    "SexDescriptor": SEXES, "GradeLevelDescriptor": GRADE_LEVELS,
    "ExitWithdrawTypeDescriptor": EXIT_WITHDRAW_TYPES,
    "SchoolFoodServiceProgramServiceDescriptor": FOOD_SERVICES,
}
