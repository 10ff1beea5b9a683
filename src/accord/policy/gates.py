"""Conditions every release must meet: known parties, current training, a role that may
receive this output, and an active agreement that covers it."""

from __future__ import annotations

from functools import lru_cache

from accord.domain.agencies import AgencyKind, Program, Role
from accord.domain.elements import CATALOG, Sensitivity
from accord.domain.purposes import OutputForm, Purpose
from accord.domain.training import missing_courses
from accord.policy.assessment import Assessment, field_list

_TRAINING = "34 CFR 99.31(a)(1)(ii); agreement safeguards, 34 CFR 99.35(a)(3)(iv)"
_ROLES = "Accord role scope; 34 CFR 99.35(a)(3)(iv)"

ROLE_OUTPUTS: dict[Role, frozenset[OutputForm]] = {
    Role.RECORDS_OFFICER: frozenset(OutputForm),
    Role.CASEWORKER: frozenset({OutputForm.CASE_RECORD}),
    Role.ELIGIBILITY_WORKER: frozenset({OutputForm.ELIGIBILITY_FLAG, OutputForm.CASE_RECORD}),
    Role.ANALYST: frozenset({OutputForm.AGGREGATE}),
    Role.ADMINISTRATOR: frozenset(),
    Role.PARENT: frozenset(),
    Role.ELIGIBLE_STUDENT: frozenset(),
}

PURPOSE_OUTPUTS: dict[Purpose, frozenset[OutputForm]] = {
    Purpose.SUPPORTIVE_SERVICES: frozenset({OutputForm.CASE_RECORD}),
    Purpose.HEALTH_SAFETY_EMERGENCY: frozenset({OutputForm.CASE_RECORD}),
    Purpose.JUVENILE_JUSTICE: frozenset({OutputForm.CASE_RECORD}),
    Purpose.ELIGIBILITY_VERIFICATION: frozenset({OutputForm.ELIGIBILITY_FLAG,
                                                 OutputForm.CASE_RECORD}),
    Purpose.RESEARCH_EVALUATION: frozenset({OutputForm.AGGREGATE, OutputForm.STUDY_ENCLAVE}),
}

# Which agencies hold which kind of record: nobody can release what they do not hold.
_HOLDERS: dict[Sensitivity, tuple[frozenset[AgencyKind], frozenset[Program]]] = {
    Sensitivity.DIRECTORY: (frozenset({AgencyKind.EDUCATION}), frozenset()),
    Sensitivity.EDUCATION_RECORD: (frozenset({AgencyKind.EDUCATION}), frozenset()),
    Sensitivity.MEAL_ELIGIBILITY: (frozenset({AgencyKind.EDUCATION}), frozenset()),
    Sensitivity.HEALTH: (frozenset({AgencyKind.HEALTH}), frozenset()),
    Sensitivity.SUBSTANCE_USE: (frozenset(), frozenset({Program.SUD_TREATMENT})),
    # A Medicaid agency is a health agency, and FDPIR is often run by a tribe: both keep the
    # lists a state may certify school meals from (42 USC 1758(b)(15) for Medicaid).
    Sensitivity.BENEFIT_STATUS: (frozenset({AgencyKind.SOCIAL_SERVICES}),
                                 frozenset({Program.FDPIR, Program.MEDICAID})),
    Sensitivity.JUSTICE_RECORD: (frozenset({AgencyKind.JUVENILE_JUSTICE}), frozenset()),
}


def parties_known(a: Assessment) -> bool:
    """Every party of the request exists; without them nothing else can be judged."""
    f, r = a.facts, a.request
    missing = [name for name, value in (
        ("requesting user", f.requester), ("requesting agency", f.requester_agency),
        ("holding agency", f.source_agency), ("student", f.student)) if value is None]
    for name in missing:
        a.fails("unknown_party", f"the {name} is not registered in Accord", "Accord default deny")
    if f.requester is not None and f.requester.id != r.requester_id:
        a.fails("unknown_party", "the facts do not belong to this requester", "Accord default deny")
        return False
    return a.bind()


def known_fields(a: Assessment) -> frozenset[str]:
    """The requested fields the catalog knows and the holding agency actually holds."""
    asked = a.request.fields
    unknown = asked - CATALOG.keys()
    if unknown:
        a.fails("unknown_field", f"not in the data-element catalog: {field_list(unknown)}",
                "Accord data-element catalog", frozenset(unknown))
    keeps = _kept_by(a.source.kind, a.source.programs)
    held = frozenset(c for c in asked - unknown if CATALOG[c].sensitivity in keeps)
    not_held = asked - unknown - held
    if not_held:
        a.fails("not_held", f"the holding agency ({a.source.id}) does not keep: "
                f"{field_list(not_held)}", "Accord data-element catalog", frozenset(not_held))
    if not asked:
        a.fails("no_fields", "no data elements were requested", "34 CFR 99.31(a) (minimum necessary)")
    return held


@lru_cache(maxsize=64)
def _kept_by(kind: AgencyKind, programs: frozenset[Program]) -> frozenset[Sensitivity]:
    """The kinds of record an agency of this kind, running these programs, holds."""
    return frozenset(s for s, (kinds, progs) in _HOLDERS.items()
                     if kind in kinds or not programs.isdisjoint(progs))


def training_current(a: Assessment) -> bool:
    mine = [c for c in a.facts.completions if c.user_id == a.requester.id]
    missing = missing_courses(mine, a.facts.state.required_course_ids, a.on)
    if missing:
        a.fails("training", f"the requester has no current completion of: {', '.join(missing)}",
                _TRAINING)
        return False
    a.holds("training", "the requester's privacy training is current", _TRAINING)
    return True


def role_may_receive(a: Assessment, fields: frozenset[str]) -> frozenset[str]:
    """Check role and output form; return the fields the role may receive."""
    role, out, purpose = a.requester.role, a.request.output, a.request.purpose
    ok = True
    if out not in ROLE_OUTPUTS[role]:
        ok = False
        a.fails("role", _role_text(role, out), _ROLES, fields)
    if out not in PURPOSE_OUTPUTS[purpose]:
        ok = False
        a.fails("output", f"{purpose.value.replace('_', ' ')} releases take the form of "
                f"{' or '.join(sorted(o.value for o in PURPOSE_OUTPUTS[purpose]))}, not "
                f"{out.value}", "34 CFR 99.31(b)(1); Accord purposes", fields)
    flags_only = out is OutputForm.ELIGIBILITY_FLAG or role is Role.ELIGIBILITY_WORKER
    if flags_only:
        not_flags = frozenset(c for c in fields if not CATALOG[c].eligibility_flag)
        if not_flags:
            a.fails("flags_only", "eligibility checks release eligibility flags only, not: "
                    f"{field_list(not_flags)}", "42 USC 1758(b)(6); Accord minimum necessary",
                    not_flags)
            fields = fields - not_flags
    if ok:
        a.holds("role", f"the role {role.value} may receive output of the form {out.value}",
                _ROLES)
        return fields
    return frozenset()


def _role_text(role: Role, out: OutputForm) -> str:
    if role is Role.ANALYST:
        return "analysts receive only aggregate tables that passed disclosure control"
    if role in (Role.PARENT, Role.ELIGIBLE_STUDENT):
        return ("parents and eligible students inspect the record through the parent view "
                "(34 CFR 99.10), not through a disclosure")
    if role is Role.ADMINISTRATOR:
        return "system administrators have no legitimate interest in student records"
    return f"the role {role.value} may not receive output of the form {out.value}"
