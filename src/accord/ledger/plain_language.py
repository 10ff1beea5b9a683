"""The disclosure ledger in plain language, for a parent or an eligible student (34 CFR 99.32(c)).

Pure: it reads only the ledger entries and two small look-ups (agency names, consent signing
dates), so the same sentences serve the console, JSON and CSV. The student is "your child" or
"you", never a name: the ledger holds no name, birth date or address, and this module must not
bring one in. Citations stay out of the sentences (they are for officers) but travel with each
line in `citations`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from accord.domain.elements import CATALOG
from accord.domain.purposes import Purpose
from accord.ledger.entries import Entry, EntryKind

Reader = Literal["parent", "student"]
READERS: tuple[Reader, ...] = ("parent", "student")

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")
# A few languages forms are commonly printed in; any other code is shown as it is.
_LANGUAGES = {"en": "English", "es": "Spanish", "zh": "Chinese", "vi": "Vietnamese",
              "ar": "Arabic", "ko": "Korean", "tl": "Tagalog", "ru": "Russian", "fr": "French",
              "ht": "Haitian Creole", "pt": "Portuguese", "so": "Somali", "hmn": "Hmong"}
# Words that stay capitalised when a catalog label is lower-cased.
_PROPER = {"English-learner", "Medicaid/CHIP", "SNAP", "TANF", "IEP"}
# Labels that do not read as the object of "received" once lower-cased.
_LABELS = {"direct_certification": "direct-certification status for free meals"}
# Names that read better with "the" ("the County TANF Office", but not "the Riverside Unified").
_THE_NOUNS = {"office", "department", "dept", "agency", "board", "center", "centre", "clinic",
              "court", "university", "district"}

_PURPOSES: dict[str, str] = {
    Purpose.SUPPORTIVE_SERVICES: "to plan services",
    Purpose.ELIGIBILITY_VERIFICATION: "to check eligibility for benefits",
    Purpose.RESEARCH_EVALUATION: "for research (only anonymous tables)",
    Purpose.HEALTH_SAFETY_EMERGENCY: "in a health or safety emergency",
    Purpose.JUVENILE_JUSTICE: "for juvenile justice services",
}
# Why something was shared without a consent, finishing "..., as <phrase>".
_BASES: dict[str, str] = {
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
_CONSENT_BASES = {"consent", "hipaa_authorization", "part2_consent"}
# In an emergency the sentence already says why; these bases add nothing to it.
_EMERGENCY_BASES = {"health_safety_emergency", "hipaa_serious_threat", "part2_medical_emergency"}

# The short "because" for the first condition that failed, by reason code.
_BECAUSE: dict[str, str] = {
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
_NEEDS_CONSENT: dict[str, str] = {
    "needs_consent": "the law allows this only with your written consent",
    "nsla_recipient": "the law lists no such recipient without your consent",
    "needs_hipaa_authorization": "health information may be shared only with your signed "
                                 "health-information authorization",
    "needs_part2_consent": "substance-use treatment records may be shared only with a special "
                           "written consent",
    "consent": "the law allows this only with your written consent",
}
# What was wrong with a consent on file, by the words of the policy engine's reason text.
_CONSENT_PROBLEMS = (
    (" was revoked on ", "the consent on file had been withdrawn"),
    (" expired on ", "the consent on file had expired"),
    (" starts only on ", "the consent on file had not started yet"),
    ("names other recipients", "the consent on file names other recipients"),
    ("does not cover the purpose", "the consent on file is for a different purpose"),
    ("is defective", "the consent on file is incomplete"),
    ("is not signed and dated", "the consent on file is not signed and dated"),
    (" form, not a ", "the consent on file is not the right kind of form"),
)
_FORMS = {"hipaa_authorization": "health-information authorization",
          "part2": "substance-use treatment consent", "nsla": "school-meals consent"}
_FORM_CITATIONS = {"ferpa": "34 CFR 99.30", "hipaa_authorization": "45 CFR 164.508",
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
    return f"{d.day} {_MONTHS[d.month - 1]} {d.year}"


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
    if code in _LABELS:
        return _LABELS[code]
    if found is None:
        return "an item Accord does not recognise"
    first, _, rest = found.label.partition(" ")
    if first not in _PROPER:
        first = first.lower()
    return f"{first} {rest}".strip()


def _day(stamp: str | None) -> date | None:
    return date.fromisoformat(stamp[:10]) if stamp else None


def _distinct(values: Sequence[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(v for v in values if v))


@dataclass(frozen=True, slots=True)
class _Context:
    agencies: Mapping[str, str]
    signed: Mapping[str, date]
    signers: Mapping[str, str]
    reader: Reader

    def fill(self, text: str) -> str:
        child, poss = ("your child", "your child's") if self.reader == "parent" else ("you", "your")
        return text.format(child=child, poss=poss)

    def agency(self, agency_id: str | None) -> str:
        if agency_id is None:
            return "someone not registered with Accord"
        name = self.agencies.get(agency_id, f"agency {agency_id}")
        last = name.rsplit(" ", 1)[-1].lower()
        return f"the {name}" if last in _THE_NOUNS and not name.lower().startswith("the ") else name

    def signer(self, role: str | None) -> str:
        """Who signed, as the reader would say it."""
        if role == "parent":
            return "you" if self.reader == "parent" else "your parent"
        if role == "student":
            return "your child" if self.reader == "parent" else "you"
        return "someone"

    def consents(self, ids: Sequence[str]) -> str:
        """"your consent signed 12 August 2025" (or your child's, your parent's...)."""
        parts = []
        for cid in ids:
            who = self.signer(self.signers.get(cid))
            owner = {"you": "your consent", "your parent": "your parent's consent",
                     "your child": "your child's consent"}.get(who, "a written consent")
            on = self.signed.get(cid)
            parts.append(f"{owner} signed {long_date(on)}" if on else owner)
        return listed(list(dict.fromkeys(parts))) or "written consent"


def _things(codes: Sequence[str]) -> str:
    return listed([element_label(c) for c in codes]) or "nothing"


def _purpose(req: Mapping[str, Any]) -> str:
    purpose, output = req.get("purpose"), req.get("output")
    if purpose == Purpose.JUVENILE_JUSTICE and req.get("pre_adjudication"):
        return "for juvenile justice services before adjudication"
    if purpose == Purpose.RESEARCH_EVALUATION and output == "study_enclave":
        return "for a research study (under a code number, without names)"
    return _PURPOSES.get(str(purpose), "for a purpose Accord does not recognise")


def _consent_problem(failed: Sequence[Sequence[str]]) -> str | None:
    for code, text, *_ in failed:
        if code == "consent":
            for words, plain in _CONSENT_PROBLEMS:
                if words in text:
                    return plain
    return None


def because(failed: Sequence[Sequence[str]], ctx: _Context) -> str:
    """The short reason, from the first condition that failed (default deny only if alone)."""
    real = [f for f in failed if f[0] != "default_deny"] or list(failed)
    if not real:
        return "the request did not meet the rules for sharing"
    code = real[0][0]
    if code in _NEEDS_CONSENT:
        problem = _consent_problem(real)
        tail = problem or ("none was on file" if code != "nsla_recipient" else None)
        return ctx.fill(_NEEDS_CONSENT[code] + (f", and {tail}" if tail else ""))
    return ctx.fill(_BECAUSE.get(code, "the request did not meet the rules for sharing"))


def _bases_clause(dec: Mapping[str, Any], ctx: _Context, emergency: bool, anonymous: bool) -> str:
    """", with your consent signed ...", ", as directory information ..." and the like."""
    kinds = _distinct([b[1] for b in dec.get("bases", [])])
    clauses = []
    if any(k in _CONSENT_BASES for k in kinds):
        clauses.append(f"with {ctx.consents(dec.get('consents', []))}")
    for k in kinds:
        if k in _CONSENT_BASES or (emergency and k in _EMERGENCY_BASES) \
                or (anonymous and k == "de_identified"):  # the purpose already said "anonymous"
            continue
        clauses.append(f"as {ctx.fill(_BASES.get(k, 'the law allows'))}")
    if emergency:
        clauses.append("without consent, as the law allows in a health or safety emergency")
    return "".join(f", {c}" for c in clauses)


def _decision(entry: Entry, body: Mapping[str, Any], ctx: _Context) -> HistoryLine:
    req, dec = body["request"], body["decision"]
    on = _day(req.get("requested_at")) or _recorded(entry)
    who = ctx.agency(req.get("requester_agency"))
    emergency = req.get("purpose") == Purpose.HEALTH_SAFETY_EMERGENCY
    threat = req.get("threat")
    scene = (f"in a health or safety emergency (recorded as: “{threat}”)" if emergency and threat
             else _purpose(req))
    released: list[str] = list(dec.get("released", []))
    failed: list[list[str]] = list(dec.get("failed", []))
    if dec.get("effect") == "permit" and released:
        withheld = [c for c in req.get("asked", []) if c not in released]
        head = (f"On {long_date(on)}, {scene}, {who} received {_things(released)}" if emergency
                else f"On {long_date(on)} {who} received {_things(released)} {scene}")
        anonymous = "anonymous" in scene
        sentence = head + _bases_clause(dec, ctx, emergency, anonymous)
        if withheld:
            sentence += f"; it did not receive {_things(withheld)}, because {because(failed, ctx)}"
        cites = _distinct([b[2] for b in dec.get("bases", [])])
    else:
        sentence = (f"On {long_date(on)} {who} asked for {_things(req.get('asked', []))} {scene}; "
                    f"nothing was shared, because {because(failed, ctx)}")
        cites = _distinct([f[2] for f in failed])
    return HistoryLine(on, sentence + ".", entry.kind.value, entry.seq, cites)


def _letting(body: Mapping[str, Any], ctx: _Context) -> str:
    """"letting the County Health Dept receive attendance to plan services, until ..."."""
    who = [ctx.agency(a) for a in body.get("recipient_agencies", [])]
    who += [f"any {r.replace('_', ' ')}" for r in body.get("recipient_roles", [])]
    purposes = listed([_PURPOSES.get(p, p.replace("_", " ")) for p in body.get("purposes", [])])
    ends = _day(body.get("ends_on"))
    until = f", until {long_date(ends)}" if ends else ", with no end date"
    return (f"letting {listed(who) or 'no one named'} receive "
            f"{_things(body.get('data_elements', []))} {purposes}{until}")


def _consent(entry: Entry, body: Mapping[str, Any], ctx: _Context) -> HistoryLine:
    forms: list[str] = list(body.get("forms", []))
    cites = _distinct([_FORM_CITATIONS.get(f, "") for f in forms] or ["34 CFR 99.30"])
    at = _day(body.get("at")) or _recorded(entry)
    signed = _day(body.get("signed_on"))
    signer = ctx.signer(body.get("signer"))
    letting = _letting(body, ctx)
    if entry.kind is EntryKind.CONSENT_RECORDED:
        extra = [_FORMS[f] for f in forms if f in _FORMS]
        lang = body.get("language") or ""
        notes = ([f"also a {listed(extra)}"] if extra else []) + (
            [f"form in {_LANGUAGES.get(lang, lang)}"] if lang else [])
        noun = "a consent" + (f" ({'; '.join(notes)})" if notes else "")
        on = signed or at
        sentence = f"On {long_date(on)} {signer} signed {noun} {letting}."
    else:
        on = at
        which = f"the consent {signer} signed on {long_date(signed)}" if signed else "a consent"
        if entry.kind is EntryKind.CONSENT_REVOKED:
            sentence = (f"On {long_date(on)} {which} was withdrawn; nothing more is shared under "
                        f"it from then on (it was {letting}).")
        else:  # confirmed: at 18 the rights pass to the student (34 CFR 99.5(a))
            confirmer = "your child, now an adult," if ctx.reader == "parent" else "you"
            sentence = f"On {long_date(on)} {confirmer} confirmed {which}, {letting}."
            cites = _distinct([*cites, "34 CFR 99.5(a)"])
    return HistoryLine(on, sentence, entry.kind.value, entry.seq, cites)


def _agreement(entry: Entry, body: Mapping[str, Any], ctx: _Context) -> HistoryLine:
    on = _day(body.get("on")) or _recorded(entry)
    who = listed([ctx.agency(a) for a in body.get("recipients", [])]) or "its partners"
    name = f"the data-sharing agreement {body.get('agreement')}"
    sentence = {
        EntryKind.AGREEMENT_ACTIVATED: f"{name} took effect, letting {who} receive "
                                       f"{_things(body.get('data_elements', []))}",
        EntryKind.AGREEMENT_TERMINATED: f"{name} with {who} ended",
        EntryKind.DESTRUCTION_CERTIFIED: f"{who} certified that the records received under "
                                         f"{name} were destroyed",
    }[entry.kind]
    return HistoryLine(on, f"On {long_date(on)} {sentence}.", entry.kind.value, entry.seq)


def _other(entry: Entry, body: Mapping[str, Any], ctx: _Context) -> HistoryLine:
    on = _recorded(entry)
    what = entry.kind.value.replace("_", " ")
    return HistoryLine(on, f"On {long_date(on)} the ledger recorded a {what}.", entry.kind.value,
                       entry.seq)


def _recorded(entry: Entry) -> date:
    return date.fromisoformat(str(entry.content["recorded_at"])[:10])


_Writer = Callable[[Entry, Mapping[str, Any], _Context], HistoryLine]
_WRITERS: dict[EntryKind, _Writer] = {
    EntryKind.DISCLOSURE_DECISION: _decision,
    EntryKind.CONSENT_RECORDED: _consent,
    EntryKind.CONSENT_REVOKED: _consent,
    EntryKind.CONSENT_CONFIRMED: _consent,
    EntryKind.AGREEMENT_ACTIVATED: _agreement,
    EntryKind.AGREEMENT_TERMINATED: _agreement,
    EntryKind.DESTRUCTION_CERTIFIED: _agreement,
}


def history_lines(entries: Sequence[Entry], agency_names: Mapping[str, str],
                  consent_signed: Mapping[str, date], reader: Reader = "parent",
                  consent_signers: Mapping[str, str] | None = None) -> list[HistoryLine]:
    """One sentence per entry, oldest first (by the event's date, then ledger order).

    `consent_signers` (consent id -> "parent" or "student") says whose consent it was; the
    ledger's own consent entries fill in any consent it does not name.
    """
    if reader not in READERS:
        raise ValueError(f"reader must be one of {', '.join(READERS)}, not {reader!r}")
    signers = dict(consent_signers or {})
    signed = dict(consent_signed)
    for e in entries:
        if e.kind in (EntryKind.CONSENT_RECORDED, EntryKind.CONSENT_REVOKED,
                      EntryKind.CONSENT_CONFIRMED):
            body = e.content["body"]
            signers.setdefault(body["consent"], body.get("signer"))
            on = _day(body.get("signed_on"))
            if on is not None:
                signed.setdefault(body["consent"], on)
    ctx = _Context(agency_names, signed, signers, reader)
    lines = [_WRITERS.get(e.kind, _other)(e, e.content["body"], ctx) for e in entries]
    return sorted(lines, key=lambda x: (x.on, x.seq))
