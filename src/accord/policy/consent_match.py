"""Which requested fields a student's consents cover, and why the others are not covered."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from accord.domain.consents import Consent, ConsentForm, SignerRole, consent_defects
from accord.policy.assessment import Assessment, field_list

# Decides whether the signer had authority for this form; returns the problem, if any.
SignerRule = Callable[[Assessment, Consent], str | None]


@dataclass(slots=True)
class ConsentCover:
    covered: dict[str, list[Consent]] = field(default_factory=dict)
    problems: list[tuple[str, frozenset[str]]] = field(default_factory=list)

    def consent_for(self, code: str) -> Consent:
        return self.covered[code][0]


def _problem(a: Assessment, c: Consent, forms: frozenset[ConsentForm],
             signer_rule: SignerRule) -> str | None:
    r = a.request
    if not c.forms & forms:
        names = " or ".join(sorted(f.value for f in forms))
        return f"is a {'/'.join(sorted(f.value for f in c.forms))} form, not a {names} consent"
    if c.signed_on is None:
        return "is not signed and dated"
    if c.revoked_at is not None and c.revoked_at <= r.at:
        return f"was revoked on {c.revoked_at.date().isoformat()}"
    if c.ends_on is not None and a.on > c.ends_on:
        return f"expired on {c.ends_on.isoformat()}"
    if c.starts_on > a.on:
        return f"starts only on {c.starts_on.isoformat()}"
    if not c.names_recipient(a.recipient.id, a.requester.role):
        return "names other recipients, not this agency"
    if r.purpose not in c.purposes:
        return f"does not cover the purpose {r.purpose.value.replace('_', ' ')}"
    defects = consent_defects(c)
    if defects:
        return "is defective: " + "; ".join(defects)
    return signer_rule(a, c)


def consent_cover(a: Assessment, fields: frozenset[str], forms: frozenset[ConsentForm],
                  signer_rule: SignerRule) -> ConsentCover:
    """Map each field to the valid consents covering it; note why relevant ones fail."""
    cover = ConsentCover()
    for c in a.facts.consents:
        if c.student_id != a.request.student_id:
            continue
        named = fields & c.data_elements
        if not named:
            continue
        problem = _problem(a, c, forms, signer_rule)
        if problem is None:
            for code in named:
                cover.covered.setdefault(code, []).append(c)
        else:
            cover.problems.append((f"consent {c.id} {problem}", named))
    return cover


def report_uncovered(a: Assessment, cover: ConsentCover, uncovered: frozenset[str],
                     citation: str) -> None:
    """Record, for fields nothing else allowed, why no consent covers them."""
    if not uncovered:
        return
    explained: set[str] = set()
    for text, named in cover.problems:
        hit = named & uncovered
        if hit:
            a.fails("consent", f"{text} (for {field_list(hit)})", citation, hit)
            explained |= hit
    silent = uncovered - explained
    if silent:
        a.fails("consent", f"no consent on file covers {field_list(silent)}", citation, silent)


TURNING_18 = ("the student turns 18 this month and Accord does not hold the day, so only a consent "
              "signed by a parent and confirmed by the student holds either way")
# A school's node sends the month only when it is near (ADR 0030); past the bounds it sent, until a
# newer students file comes, the hub cannot tell a minor from an adult.
AGE_BEYOND_BOUNDS = ("the school's students file at the hub only bounds the month this student turns 18, "
                     "and this day lies between those bounds (a newer students file settles it), so only a "
                     "consent signed by a parent and confirmed by the student holds either way")


def uncertain_age(a: Assessment) -> str:
    """Why neither a parent's nor the student's signature alone holds on the assessment's day."""
    return TURNING_18 if a.student.turns_18_month_known() else AGE_BEYOND_BOUNDS


def _confirmed_by_student(a: Assessment, c: Consent) -> bool:
    return (c.signer_role is SignerRole.PARENT and c.confirmed_by_student_on is not None
            and c.confirmed_by_student_on <= a.on)


def ferpa_signer(a: Assessment, c: Consent) -> str | None:
    """34 CFR 99.5: the parent consents until the rights pass to the student (see ADR 0005); in
    the month the student turns 18, only what holds on either side of the birthday (ADR 0016)."""
    if a.student.turning_18(a.on):
        return None if _confirmed_by_student(a, c) else f"does not hold: {uncertain_age(a)} (34 CFR 99.5(a))"
    if a.student.is_eligible_student(a.on):
        if c.signer_role is SignerRole.STUDENT:
            return None
        if c.confirmed_by_student_on is not None and c.confirmed_by_student_on <= a.on:
            return None
        return ("was signed by a parent, but FERPA rights have passed to the student, who has "
                "not confirmed it (34 CFR 99.5(a))")
    if c.signer_role is SignerRole.PARENT:
        return None
    return "was signed by the student, who is not yet an eligible student (34 CFR 99.3, 99.4)"


def adult_or_parent_signer(a: Assessment, c: Consent) -> str | None:
    """Health and program rules: the parent signs for a minor, the person for themselves; in the
    month the student turns 18, only what holds on either side of the birthday (ADR 0016)."""
    if a.student.turning_18(a.on):
        return None if _confirmed_by_student(a, c) else f"does not hold: {uncertain_age(a)}"
    minor = a.student.is_minor(a.on)
    if minor and c.signer_role is SignerRole.PARENT:
        return None
    if not minor and c.signer_role is SignerRole.STUDENT:
        return None
    if minor:
        return "was signed by the minor; a parent or personal representative must sign"
    return "was signed by a parent, but the student is an adult and must sign"


def part2_signers_present(a: Assessment, consents: list[Consent]) -> str | None:
    """42 CFR 2.14: who must sign a minor's Part 2 consent depends on state law."""
    roles = {c.signer_role for c in consents}
    if not a.student.is_minor(a.on):
        return None if SignerRole.STUDENT in roles else (
            "an adult patient's Part 2 consent must be signed by the patient (42 CFR 2.31)")
    if a.facts.state.minor_may_consent_to_sud_treatment:
        return None if SignerRole.STUDENT in roles else (
            "where a minor may consent to treatment, only the minor may consent to disclosure "
            "(42 CFR 2.14(a)); a parent's signature is not enough")
    if {SignerRole.STUDENT, SignerRole.PARENT} <= roles:
        return None
    return ("where state law requires a parent's consent to treatment, both the minor and the "
            "parent must sign (42 CFR 2.14(b))")


def any_signer(a: Assessment, c: Consent) -> str | None:
    return None
