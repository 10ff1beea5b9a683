"""The disclosure ledger in plain language, for a parent or an eligible student (34 CFR 99.32(c)).

Pure: it reads only the ledger entries and two small look-ups (agency names, consent signing
dates), so the same sentences serve the console, JSON and CSV. One logic for every language: each
word comes from the `Words` of the reader's language (accord.ledger.phrasebook: English, Spanish).
The student is "your child" or "you" ("su hijo o hija", "usted"), never a name: the ledger holds
no name, birth date or address, and this module must not bring one in. Citations stay out of the
sentences (they are for officers) but travel with each line in `citations`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from accord.domain.purposes import Purpose
from accord.ledger.entries import Entry, EntryKind
from accord.ledger.phrasebook import Words, words_for
from accord.ledger.plain_words import (
    CONSENT_BASES,
    EMERGENCY_BASES,
    FORM_CITATIONS,
    READERS,
    HistoryLine,
    Reader,
    day,
    distinct,
    element_label,
    listed,
    long_date,
)

__all__ = ["element_label", "history_lines", "listed", "long_date"]  # the English helpers, as before


@dataclass(frozen=True, slots=True)
class _Context:
    agencies: Mapping[str, str]
    signed: Mapping[str, date]
    signers: Mapping[str, str]
    reader: Reader
    words: Words

    def say(self, frame: str, **parts: str) -> str:
        """A frame of the reader's language, filled once (so a recorded threat's braces stay as typed)."""
        return self.words.frames[frame].format(**self.words.readers[self.reader], **parts)

    def fill(self, text: str) -> str:
        return text.format(**self.words.readers[self.reader])

    def date(self, on: date) -> str:
        return self.words.long_date(on)

    def things(self, codes: Sequence[str]) -> str:
        return self.words.listed([self.words.label(c) for c in codes]) or self.say("nothing")

    def agency(self, agency_id: str | None) -> str:
        if agency_id is None:
            return self.say("unregistered")
        name = self.agencies.get(agency_id) or self.say("unknown_agency", id=agency_id)
        last = name.rsplit(" ", 1)[-1].lower()
        article = last in self.words.the_nouns and not name.lower().startswith("the ")
        return self.say("the_agency", name=name) if article else name

    def who(self, role: str | None) -> str:
        """Who signed or asked, to the reader: "you", "parent", "child" or "someone"."""
        if role == "parent":
            return "you" if self.reader == "parent" else "parent"
        if role == "student":
            return "child" if self.reader == "parent" else "you"
        return "someone"

    def signer(self, role: str | None) -> str:
        return self.words.people[self.who(role)]

    def consents(self, ids: Sequence[str]) -> str:
        """"your consent signed 12 August 2025" (or your child's, your parent's...)."""
        parts = []
        for cid in ids:
            owner = self.words.owners[self.who(self.signers.get(cid))]
            on = self.signed.get(cid)
            parts.append(self.say("signed_on", owner=owner, date=self.date(on)) if on else owner)
        return self.words.listed(list(dict.fromkeys(parts))) or self.say("written_consent")


def _purpose(req: Mapping[str, Any], ctx: _Context) -> str:
    purpose, output = req.get("purpose"), req.get("output")
    if purpose == Purpose.JUVENILE_JUSTICE and req.get("pre_adjudication"):
        return ctx.say("pre_adjudication")
    if purpose == Purpose.RESEARCH_EVALUATION and output == "study_enclave":
        return ctx.say("study_enclave")
    return ctx.words.purposes.get(str(purpose)) or ctx.say("unknown_purpose")


def _consent_problem(failed: Sequence[Sequence[str]], ctx: _Context) -> str | None:
    for code, text, *_ in failed:
        if code == "consent":
            for words, plain in ctx.words.consent_problems:
                if words in text:
                    return plain
    return None


def because(failed: Sequence[Sequence[str]], ctx: _Context) -> str:
    """The short reason, from the first condition that failed (default deny only if alone)."""
    real = [f for f in failed if f[0] != "default_deny"] or list(failed)
    if not real:
        return ctx.say("not_allowed")
    code = real[0][0]
    if code in ctx.words.needs_consent:
        problem = _consent_problem(real, ctx)
        tail = problem or (ctx.say("no_consent_covered") if code != "nsla_recipient" else None)
        why = ctx.fill(ctx.words.needs_consent[code])
        return ctx.say("and_tail", why=why, tail=tail) if tail else why
    return ctx.fill(ctx.words.because.get(code) or ctx.say("not_allowed"))


def _bases_clause(dec: Mapping[str, Any], ctx: _Context, emergency: bool, anonymous: bool) -> str:
    """", with your consent signed ...", ", as directory information ..." and the like."""
    kinds = distinct([b[1] for b in dec.get("bases", [])])
    clauses = []
    if any(k in CONSENT_BASES for k in kinds):
        clauses.append(ctx.say("with_consent", consents=ctx.consents(dec.get("consents", []))))
    for k in kinds:
        if k in CONSENT_BASES or (emergency and k in EMERGENCY_BASES) \
                or (anonymous and k == "de_identified"):  # the purpose already said "anonymous"
            continue
        basis = ctx.words.bases.get(k) or ctx.say("unknown_basis")
        clauses.append(ctx.say("as_basis", basis=ctx.fill(basis)))
    if emergency:
        clauses.append(ctx.say("without_consent"))
    return "".join(clauses)


def _decision(entry: Entry, body: Mapping[str, Any], ctx: _Context) -> HistoryLine:
    req, dec = body["request"], body["decision"]
    on = day(req.get("requested_at")) or _recorded(entry)
    who, when = ctx.agency(req.get("requester_agency")), ctx.date(on)
    emergency = req.get("purpose") == Purpose.HEALTH_SAFETY_EMERGENCY
    threat = req.get("threat")
    scene = ctx.say("threat", threat=threat) if emergency and threat else _purpose(req, ctx)
    # The research purpose's own words say "anonymous" (only tables), a study enclave's do not.
    anonymous = req.get("purpose") == Purpose.RESEARCH_EVALUATION and req.get("output") != "study_enclave"
    released: list[str] = list(dec.get("released", []))
    failed: list[list[str]] = list(dec.get("failed", []))
    if dec.get("effect") == "permit" and released:
        withheld = [c for c in req.get("asked", []) if c not in released]
        head = ctx.say("received_in_emergency" if emergency else "received", on=when, who=who,
                       things=ctx.things(released), scene=scene)
        sentence = head + _bases_clause(dec, ctx, emergency, anonymous)
        if withheld:
            sentence += ctx.say("withheld", things=ctx.things(withheld), why=because(failed, ctx))
        cites = distinct([b[2] for b in dec.get("bases", [])])
    else:
        sentence = ctx.say("asked", on=when, who=who, things=ctx.things(req.get("asked", [])),
                           scene=scene, why=because(failed, ctx))
        cites = distinct([f[2] for f in failed])
    return HistoryLine(on, sentence + ".", entry.kind.value, entry.seq, cites)


def _letting(body: Mapping[str, Any], ctx: _Context, frame: str = "letting") -> str:
    """"letting the County Health Dept receive attendance to plan services, until ..."."""
    who = [ctx.agency(a) for a in body.get("recipient_agencies", [])]
    who += [ctx.words.role(r) for r in body.get("recipient_roles", [])]
    purposes = ctx.words.listed([ctx.words.purposes.get(p) or p.replace("_", " ")
                                 for p in body.get("purposes", [])])
    ends = day(body.get("ends_on"))
    until = ctx.say("until", date=ctx.date(ends)) if ends else ctx.say("no_end")
    return ctx.say(frame, who=ctx.words.listed(who) or ctx.say("no_one"),
                   things=ctx.things(body.get("data_elements", [])), purposes=purposes, until=until)


def _consent_noun(forms: Sequence[str], body: Mapping[str, Any], ctx: _Context) -> str:
    """"a consent (also a school-meals consent; form in Spanish)"."""
    extra = [ctx.words.forms[f] for f in forms if f in ctx.words.forms]
    lang = body.get("language") or ""
    notes = ([ctx.say("also", forms=ctx.words.listed(extra))] if extra else []) + (
        [ctx.say("form_in", language=ctx.words.languages.get(lang, lang))] if lang else [])
    noun = ctx.say("a_consent")
    return ctx.say("notes", noun=noun, notes="; ".join(notes)) if notes else noun


def _consent(entry: Entry, body: Mapping[str, Any], ctx: _Context) -> HistoryLine:
    forms: list[str] = list(body.get("forms", []))
    cites = distinct([FORM_CITATIONS.get(f, "") for f in forms] or ["34 CFR 99.30"])
    at = day(body.get("at")) or _recorded(entry)
    signed = day(body.get("signed_on"))
    signer = ctx.signer(body.get("signer"))
    if entry.kind is EntryKind.CONSENT_RECORDED:
        on = signed or at
        sentence = ctx.say("signed", on=ctx.date(on), signer=signer, noun=_consent_noun(forms, body, ctx),
                           letting=_letting(body, ctx))
        return HistoryLine(on, sentence, entry.kind.value, entry.seq, cites)
    which = ctx.say("the_consent", signer=signer, date=ctx.date(signed)) if signed else ctx.say("a_consent")
    if entry.kind is EntryKind.CONSENT_REVOKED:
        sentence = ctx.say("revoked", on=ctx.date(at), which=which,
                           letting=_letting(body, ctx, "letting_past"))
    else:  # confirmed: at 18 the rights pass to the student (34 CFR 99.5(a))
        confirmer = ctx.say("now_adult") if ctx.reader == "parent" else ctx.words.people["you"]
        sentence = ctx.say("confirmed", on=ctx.date(at), confirmer=confirmer, which=which,
                           letting=_letting(body, ctx))
        cites = distinct([*cites, "34 CFR 99.5(a)"])
    return HistoryLine(at, sentence, entry.kind.value, entry.seq, cites)


def _agreement(entry: Entry, body: Mapping[str, Any], ctx: _Context) -> HistoryLine:
    on = day(body.get("on")) or _recorded(entry)
    who = ctx.words.listed([ctx.agency(a) for a in body.get("recipients", [])]) or ctx.say("partners")
    sentence = ctx.say(entry.kind.value, on=ctx.date(on), who=who,
                       name=ctx.say("agreement", id=str(body.get("agreement"))),
                       things=ctx.things(body.get("data_elements", [])))
    return HistoryLine(on, sentence, entry.kind.value, entry.seq)


def _other(entry: Entry, body: Mapping[str, Any], ctx: _Context) -> HistoryLine:
    on = _recorded(entry)
    what = ctx.words.kinds.get(entry.kind.value) or entry.kind.value.replace("_", " ")
    return HistoryLine(on, ctx.say("other", on=ctx.date(on), what=what), entry.kind.value, entry.seq)


def _review(entry: Entry, body: Mapping[str, Any], ctx: _Context) -> HistoryLine:
    """A records officer's look at an uncertain match of a program's list with the child."""
    on = day(body.get("at")) or _recorded(entry)
    found = ctx.say("match" if body.get("decision") == "accepted" else "no_match")
    return HistoryLine(on, ctx.say("review", on=ctx.date(on), found=found), entry.kind.value, entry.seq)


def _inspection(entry: Entry, body: Mapping[str, Any], ctx: _Context) -> HistoryLine:
    """A family's request to see the child's records, and the school letting them (34 CFR 99.10)."""
    on = day(body.get("at")) or _recorded(entry)
    if entry.kind is EntryKind.INSPECTION_REQUESTED:
        asker = ctx.who(body.get("asker"))
        due = day(body.get("due_on"))
        sentence = ctx.say("inspection_requested", on=ctx.date(on), asker=ctx.words.people[asker]) + (
            ctx.say("inspection_due", them=ctx.say("them_you" if asker == "you" else "them"),
                    due=ctx.date(due)) if due else "") + "."
    else:
        sentence = ctx.say("inspection_answered", on=ctx.date(on))
    return HistoryLine(on, sentence, entry.kind.value, entry.seq, ("34 CFR 99.10",))


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
                  consent_signers: Mapping[str, str] | None = None,
                  language: str = "en") -> list[HistoryLine]:
    """One sentence per entry, oldest first (by the event's date, then ledger order), in
    `language` ("en" or "es"; accord.ledger.phrasebook).

    `consent_signers` (consent id -> "parent" or "student") says whose consent it was; the
    ledger's own consent entries fill in any consent it does not name.
    """
    words = words_for(language)
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
    ctx = _Context(agency_names, signed, signers, reader, words)
    lines = [_WRITERS.get(e.kind, _other)(e, e.content["body"], ctx) for e in entries]
    return sorted(lines, key=lambda x: (x.on, x.seq))
