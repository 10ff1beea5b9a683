"""The vocabulary of the plain-language history: dates, lists, element labels, purposes,
legal bases and reasons, as a parent would say them. Pure, no framework."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from accord.domain.elements import CATALOG
from accord.domain.purposes import Purpose

Reader = Literal["parent", "student"]
READERS: tuple[Reader, ...] = ("parent", "student")

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")
# A few languages forms are commonly printed in; any other code is shown as it is.
LANGUAGES = {"en": "English", "es": "Spanish", "zh": "Chinese", "vi": "Vietnamese",
              "ar": "Arabic", "ko": "Korean", "tl": "Tagalog", "ru": "Russian", "fr": "French",
              "ht": "Haitian Creole", "pt": "Portuguese", "so": "Somali", "hmn": "Hmong"}
# Words that stay capitalised when a catalog label is lower-cased.
PROPER = {"English-learner", "Medicaid/CHIP", "SNAP", "TANF", "IEP"}
# Labels that do not read as the object of "received" once lower-cased.
LABELS = {"direct_certification": "direct-certification status for free meals"}
# Names that read better with "the" ("the County TANF Office", but not "the Riverside Unified").
THE_NOUNS = {"office", "department", "dept", "agency", "board", "center", "centre", "clinic",
              "court", "university", "district"}

PURPOSES: dict[str, str] = {
    Purpose.SUPPORTIVE_SERVICES: "to plan services",
    Purpose.ELIGIBILITY_VERIFICATION: "to check eligibility for benefits",
    Purpose.RESEARCH_EVALUATION: "for research (only anonymous tables)",
    Purpose.HEALTH_SAFETY_EMERGENCY: "in a health or safety emergency",
    Purpose.JUVENILE_JUSTICE: "for juvenile justice services",
}
# Why something was shared without a consent, finishing "..., as <phrase>".
BASES: dict[str, str] = {
    "directory_information": "directory information (which may be shared unless you opt out)",
    "health_safety_emergency": "the law allows in a health or safety emergency",
    "hipaa_serious_threat": "the health-privacy law allows to prevent a serious threat",
    "part2_medical_emergency": "the law allows in a medical emergency",
    "juvenile_justice": "state law allows",
    "child_welfare": "the law allows for the agency responsible for {poss} foster care",
    "studies": "the law allows for approved studies under a written agreement",
    "audit_evaluation": "the law allows to audit or evaluate education programs",
    "de_identified": "anonymous information that does not identify {child}",
    "nsla_disclosure": "the school-meals law allows for this program",
    "direct_certification": "the school-meals law allows for direct certification",
    "state_statute": "a state law allows",
}
CONSENT_BASES = {"consent", "hipaa_authorization", "part2_consent"}
# In an emergency the sentence already says why; these bases add nothing to it.
EMERGENCY_BASES = {"health_safety_emergency", "hipaa_serious_threat", "part2_medical_emergency"}

# The short "because" for the first condition that failed, by reason code.
BECAUSE: dict[str, str] = {
    "unknown_party": "the person or agency asking is not registered",
    "unknown_field": "what was asked for is not something the school records",
    "not_held": "the agency asked does not keep that information",
    "no_fields": "nothing specific was asked for",
    "training": "the person asking had not completed the required privacy training",
    "role": "the person asking does not have a job role allowed to see this",
    "output": "this was asked for in a form not allowed for that purpose",
    "flags_only": "an eligibility check may receive only a yes-or-no eligibility status",
    "agreement": "no data-sharing agreement in force covered this",
    "outside_agreement": "the data-sharing agreement does not include this",
    "state_statute": "no state law lets juvenile-court records go to this recipient",
    "study_purpose": "the study's purpose is not one the law allows",
    "audit_scope": "the audit or evaluation does not cover this kind of program",
    "research_record_level": "researchers may receive only anonymous tables",
    "nsla_program": "the agency asking does not run a program allowed to receive this",
    "nsla_status_only": "this program may receive only the eligibility status",
    "nsla_medicaid": "the conditions for sharing it with Medicaid or CHIP were not met",
    "direct_certification": "the conditions for certifying free meals from another program were not met",
    "directory_opt_out": "directory information from this record is not shared (opted out)",
    "emergency_threat": "no specific threat to health or safety was stated",
    "emergency_scope": "this was not needed to deal with the emergency",
    "juvenile_justice": "the conditions for sharing with juvenile justice were not met",
    "child_welfare": "the law allows this only for the caseworker of the agency responsible "
                     "for {poss} foster care",
    "part2_signer": "the consent was not signed by the person the law requires",
    "default_deny": "nothing asked for could be shared",
}
# Reasons that mean "only with consent": the phrase, then what was wrong with the consent.
NEEDS_CONSENT: dict[str, str] = {
    "needs_consent": "the law allows this only with your written consent",
    "nsla_recipient": "the law lists no such recipient without your consent",
    "needs_hipaa_authorization": "health information may be shared only with your signed "
                                 "health-information authorization",
    "needs_part2_consent": "substance-use treatment records may be shared only with a special "
                           "written consent",
    "consent": "the law allows this only with your written consent",
}
# What was wrong with a consent on file, by the words of the policy engine's reason text.
CONSENT_PROBLEMS = (
    (" was revoked on ", "the consent on file had been withdrawn"),
    (" expired on ", "the consent on file had expired"),
    (" starts only on ", "the consent on file had not started yet"),
    ("names other recipients", "the consent on file names other recipients"),
    ("does not cover the purpose", "the consent on file is for a different purpose"),
    ("is defective", "the consent on file is incomplete"),
    ("is not signed and dated", "the consent on file is not signed and dated"),
    (" form, not a ", "the consent on file is not the right kind of form"),
)
FORMS = {"hipaa_authorization": "health-information authorization",
          "part2": "substance-use treatment consent", "nsla": "school-meals consent"}
FORM_CITATIONS = {"ferpa": "34 CFR 99.30", "hipaa_authorization": "45 CFR 164.508",
                   "part2": "42 CFR 2.31", "nsla": "7 CFR 245.6"}


@dataclass(frozen=True, slots=True)
class HistoryLine:
    """One ledger entry as a sentence, with what an export needs beside it."""

    on: date
    sentence: str
    kind: str
    seq: int
    citations: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {"seq": self.seq, "date": self.on.isoformat(), "kind": self.kind,
                "sentence": self.sentence, "citations": list(self.citations)}


def long_date(d: date) -> str:
    """"3 March 2026" (spelled out, independent of the machine's locale)."""
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"


def listed(items: Sequence[str]) -> str:
    """"a", "a and b", "a, b and c"; with a comma before the last "and" when an item has its
    own "and" ("attendance, and grades and course marks"), so the list stays unambiguous."""
    if len(items) <= 1:
        return "".join(items)
    serial = "," if any(" and " in i for i in items) else ""
    return ", ".join(items[:-1]) + serial + " and " + items[-1]


def element_label(code: str) -> str:
    """The catalog label, lower-cased for use mid-sentence (acronyms and names kept)."""
    found = CATALOG.get(code)
    if code in LABELS:
        return LABELS[code]
    if found is None:
        return "an item Accord does not recognise"
    first, _, rest = found.label.partition(" ")
    if first not in PROPER:
        first = first.lower()
    return f"{first} {rest}".strip()


def day(stamp: str | None) -> date | None:
    return date.fromisoformat(stamp[:10]) if stamp else None


def distinct(values: Sequence[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(v for v in values if v))
