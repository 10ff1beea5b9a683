"""The county's agencies, the staff who act for them, and their privacy training."""

from __future__ import annotations

import random
from datetime import date, timedelta

from accord.domain.agencies import Agency, AgencyKind, Program, Role, User
from accord.domain.training import Completion, Course

K, P, R = AgencyKind, Program, Role
SCHOOL = "255901001"  # the district's school, in the public school directory

AGENCIES: tuple[Agency, ...] = (
    Agency("lea", "Riverside Unified School District", K.EDUCATION,
           frozenset({P.SCHOOL_MEALS, P.FEDERAL_EDUCATION}), frozenset({SCHOOL})),
    Agency("health", "Riverside County Health Department", K.HEALTH, frozenset({P.STATE_HEALTH})),
    Agency("medicaid", "State Medicaid and CHIP Agency", K.HEALTH, frozenset({P.MEDICAID, P.CHIP})),
    Agency("dss", "County Department of Social Services", K.SOCIAL_SERVICES,
           frozenset({P.SNAP, P.TANF})),
    # TANF employment services contracted out: a TANF-only agency, so the demo can show that
    # the school-lunch statute does not list TANF among meal-status recipients.
    Agency("tanf", "TANF Employment Services", K.SOCIAL_SERVICES, frozenset({P.TANF})),
    Agency("cws", "County Child Welfare Services", K.SOCIAL_SERVICES, frozenset({P.CHILD_WELFARE})),
    Agency("workforce", "Riverside Workforce Board", K.LABOR, frozenset({P.WORKFORCE})),
    Agency("court", "Juvenile Court and Probation", K.JUVENILE_JUSTICE,
           frozenset({P.JUVENILE_COURT})),
    Agency("clinic", "Youth Recovery Clinic", K.HEALTH, frozenset({P.SUD_TREATMENT})),
    Agency("wic", "County WIC Office", K.NUTRITION_PROGRAM, frozenset({P.WIC})),
    Agency("univ", "State University Education Research Center", K.RESEARCH, frozenset()),
)

FERPA_BASICS = Course("ferpa-basics", "FERPA basics for partner staff", validity_days=365)
PART2_AWARENESS = Course("part2-awareness", "Substance-use records (42 CFR Part 2)",
                         validity_days=730, required_for_access=False)
COURSES: tuple[Course, ...] = (FERPA_BASICS, PART2_AWARENESS)

# (agency, role, how many); ids are "<role prefix>.<agency>.<n>".
_STAFF: tuple[tuple[str, Role, int], ...] = (
    ("lea", R.RECORDS_OFFICER, 2), ("lea", R.CASEWORKER, 4), ("lea", R.ELIGIBILITY_WORKER, 2),
    ("lea", R.ADMINISTRATOR, 1), ("lea", R.PARENT, 3), ("lea", R.ELIGIBLE_STUDENT, 2),
    ("health", R.RECORDS_OFFICER, 1), ("health", R.CASEWORKER, 4),
    ("medicaid", R.RECORDS_OFFICER, 1), ("medicaid", R.ELIGIBILITY_WORKER, 3),
    ("dss", R.RECORDS_OFFICER, 1), ("dss", R.CASEWORKER, 4), ("dss", R.ELIGIBILITY_WORKER, 2),
    ("tanf", R.CASEWORKER, 2),
    ("cws", R.RECORDS_OFFICER, 1), ("cws", R.CASEWORKER, 4),
    ("workforce", R.RECORDS_OFFICER, 1), ("workforce", R.CASEWORKER, 2),
    ("court", R.RECORDS_OFFICER, 1), ("court", R.CASEWORKER, 3),
    ("clinic", R.RECORDS_OFFICER, 1), ("clinic", R.CASEWORKER, 2),
    ("wic", R.ELIGIBILITY_WORKER, 2),
    ("univ", R.RECORDS_OFFICER, 1), ("univ", R.ANALYST, 4),
)
PREFIX: dict[Role, str] = {
    R.RECORDS_OFFICER: "ro", R.CASEWORKER: "cw", R.ELIGIBILITY_WORKER: "ew", R.ANALYST: "an",
    R.ADMINISTRATOR: "admin", R.PARENT: "parent", R.ELIGIBLE_STUDENT: "student",
}
# Deliberate training gaps the demo relies on.
UNTRAINED_USER = "cw.health.untrained"
LAPSED_USER = "cw.health.lapsed"


def build_users() -> tuple[User, ...]:
    """Staff of every role; display names are job titles, never a person's name."""
    users = [
        User(f"{PREFIX[role]}.{agency}.{n}", agency, role,
             display_name=f"{role.value.replace('_', ' ')} {n}")
        for agency, role, count in _STAFF for n in range(1, count + 1)
    ]
    users += [User(UNTRAINED_USER, "health", R.CASEWORKER, "caseworker (new hire)"),
              User(LAPSED_USER, "health", R.CASEWORKER, "caseworker (training lapsed)")]
    return tuple(users)


def build_completions(rng: random.Random, users: tuple[User, ...],
                      as_of: date) -> tuple[Completion, ...]:
    """Current FERPA training for nearly everyone; a few gaps on purpose."""
    out: list[Completion] = []
    for u in users:
        if u.id == UNTRAINED_USER or u.role in (R.PARENT, R.ELIGIBLE_STUDENT):
            continue
        if u.id == LAPSED_USER:
            out.append(Completion.of(u.id, FERPA_BASICS, as_of - timedelta(days=400)))
            continue
        # A few more lapsed at random, but never the first of a kind: the demo acts as them.
        lapsed = not u.id.endswith(".1") and rng.random() < 0.08
        days = rng.randint(370, 500) if lapsed else rng.randint(5, 330)
        out.append(Completion.of(u.id, FERPA_BASICS, as_of - timedelta(days=days)))
        if u.agency_id in ("clinic", "lea") and rng.random() < 0.5:
            out.append(Completion.of(u.id, PART2_AWARENESS,
                                     as_of - timedelta(days=rng.randint(5, 600))))
    return tuple(out)
