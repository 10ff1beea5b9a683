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
from typing import Any

from accord.domain.purposes import Purpose
from accord.ledger.entries import Entry, EntryKind
from accord.ledger.plain_words import (
    BASES,
    BECAUSE,
    CONSENT_BASES,
    CONSENT_PROBLEMS,
    EMERGENCY_BASES,
    FORM_CITATIONS,
    FORMS,
    LANGUAGES,
    NEEDS_CONSENT,
    PURPOSES,
    READERS,
    THE_NOUNS,
    HistoryLine,
    Reader,
    day,
    distinct,
    element_label,
    listed,
    long_date,
)


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
        return f"the {name}" if last in THE_NOUNS and not name.lower().startswith("the ") else name

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
    return PURPOSES.get(str(purpose), "for a purpose Accord does not recognise")


def _consent_problem(failed: Sequence[Sequence[str]]) -> str | None:
    for code, text, *_ in failed:
        if code == "consent":
            for words, plain in CONSENT_PROBLEMS:
                if words in text:
                    return plain
    return None


def because(failed: Sequence[Sequence[str]], ctx: _Context) -> str:
    """The short reason, from the first condition that failed (default deny only if alone)."""
    real = [f for f in failed if f[0] != "default_deny"] or list(failed)
    if not real:
        return "the request did not meet the rules for sharing"
    code = real[0][0]
    if code in NEEDS_CONSENT:
        problem = _consent_problem(real)
        tail = problem or ("no consent on file covered it" if code != "nsla_recipient" else None)
        return ctx.fill(NEEDS_CONSENT[code] + (f", and {tail}" if tail else ""))
    return ctx.fill(BECAUSE.get(code, "the request did not meet the rules for sharing"))


def _bases_clause(dec: Mapping[str, Any], ctx: _Context, emergency: bool, anonymous: bool) -> str:
    """", with your consent signed ...", ", as directory information ..." and the like."""
    kinds = distinct([b[1] for b in dec.get("bases", [])])
    clauses = []
    if any(k in CONSENT_BASES for k in kinds):
        clauses.append(f"with {ctx.consents(dec.get('consents', []))}")
    for k in kinds:
        if k in CONSENT_BASES or (emergency and k in EMERGENCY_BASES) \
                or (anonymous and k == "de_identified"):  # the purpose already said "anonymous"
            continue
        clauses.append(f"as {ctx.fill(BASES.get(k, 'the law allows'))}")
    if emergency:
        clauses.append("without consent, as the law allows in a health or safety emergency")
    return "".join(f", {c}" for c in clauses)


def _decision(entry: Entry, body: Mapping[str, Any], ctx: _Context) -> HistoryLine:
    req, dec = body["request"], body["decision"]
    on = day(req.get("requested_at")) or _recorded(entry)
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
        cites = distinct([b[2] for b in dec.get("bases", [])])
    else:
        sentence = (f"On {long_date(on)} {who} asked for {_things(req.get('asked', []))} {scene}; "
                    f"nothing was shared, because {because(failed, ctx)}")
        cites = distinct([f[2] for f in failed])
    return HistoryLine(on, sentence + ".", entry.kind.value, entry.seq, cites)


def _letting(body: Mapping[str, Any], ctx: _Context) -> str:
    """"letting the County Health Dept receive attendance to plan services, until ..."."""
    who = [ctx.agency(a) for a in body.get("recipient_agencies", [])]
    who += [f"any {r.replace('_', ' ')}" for r in body.get("recipient_roles", [])]
    purposes = listed([PURPOSES.get(p, p.replace("_", " ")) for p in body.get("purposes", [])])
    ends = day(body.get("ends_on"))
    until = f", until {long_date(ends)}" if ends else ", with no end date"
    return (f"letting {listed(who) or 'no one named'} receive "
            f"{_things(body.get('data_elements', []))} {purposes}{until}")


def _consent(entry: Entry, body: Mapping[str, Any], ctx: _Context) -> HistoryLine:
    forms: list[str] = list(body.get("forms", []))
    cites = distinct([FORM_CITATIONS.get(f, "") for f in forms] or ["34 CFR 99.30"])
    at = day(body.get("at")) or _recorded(entry)
    signed = day(body.get("signed_on"))
    signer = ctx.signer(body.get("signer"))
    letting = _letting(body, ctx)
    if entry.kind is EntryKind.CONSENT_RECORDED:
        extra = [FORMS[f] for f in forms if f in FORMS]
        lang = body.get("language") or ""
        notes = ([f"also a {listed(extra)}"] if extra else []) + (
            [f"form in {LANGUAGES.get(lang, lang)}"] if lang else [])
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
            cites = distinct([*cites, "34 CFR 99.5(a)"])
    return HistoryLine(on, sentence, entry.kind.value, entry.seq, cites)


def _agreement(entry: Entry, body: Mapping[str, Any], ctx: _Context) -> HistoryLine:
    on = day(body.get("on")) or _recorded(entry)
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


def _review(entry: Entry, body: Mapping[str, Any], ctx: _Context) -> HistoryLine:
    """A records officer's look at an uncertain match of a program's list with the child."""
    on = day(body.get("at")) or _recorded(entry)
    found = "is" if body.get("decision") == "accepted" else "is not"
    sentence = (f"On {long_date(on)} a records officer checked a possible match and decided that a "
                f"record on a benefit program's list {found} {{child}} (the record stays with the program).")
    return HistoryLine(on, ctx.fill(sentence), entry.kind.value, entry.seq)


def _inspection(entry: Entry, body: Mapping[str, Any], ctx: _Context) -> HistoryLine:
    """A family's request to see the child's records, and the school letting them (34 CFR 99.10)."""
    on = day(body.get("at")) or _recorded(entry)
    asker = ctx.signer(body.get("asker"))
    if entry.kind is EntryKind.INSPECTION_REQUESTED:
        due = day(body.get("due_on"))
        sentence = f"On {long_date(on)} {asker} asked to see {{poss}} school records" + (
            f"; the school must let {'you' if asker == 'you' else 'them'} see them by {long_date(due)}"
            if due else "")
    else:
        sentence = (f"On {long_date(on)} the records office answered the request to see {{poss}} "
                    "school records")
    return HistoryLine(on, ctx.fill(sentence + "."), entry.kind.value, entry.seq, ("34 CFR 99.10",))


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
    EntryKind.CROSSCHECK_REVIEW: _review,
    EntryKind.INSPECTION_REQUESTED: _inspection,
    EntryKind.INSPECTION_ANSWERED: _inspection,
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
            on = day(body.get("signed_on"))
            if on is not None:
                signed.setdefault(body["consent"], on)
    ctx = _Context(agency_names, signed, signers, reader)
    lines = [_WRITERS.get(e.kind, _other)(e, e.content["body"], ctx) for e in entries]
    return sorted(lines, key=lambda x: (x.on, x.seq))
