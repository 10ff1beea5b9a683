"""Activation checks and lifecycle steps for agreements (34 CFR 99.35(a)(3), 99.31(a)(6))."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from accord.domain.agreements import (
    PARENT_LAYER,
    Agreement,
    AgreementLayer,
    AgreementNotReady,
    AgreementStatus,
    AgreementTransitionError,
    MissingElement,
)
from accord.domain.elements import CATALOG
from accord.domain.purposes import LegalBasis

_AE = "34 CFR 99.35(a)(3)"
_ST = "34 CFR 99.31(a)(6)(iii)(C)"


def _m(code: str, text: str, citation: str = _AE) -> MissingElement:
    return MissingElement(code, text, citation)


def _core_elements(a: Agreement) -> list[MissingElement]:
    out: list[MissingElement] = []
    if not a.source_agency_ids or not a.recipient_agency_ids:
        out.append(_m("parties", "the disclosing and the receiving parties", "34 CFR 99.35(a)(3)(i)"))
    if not a.purposes:
        out.append(_m("purpose", "the purpose of the disclosure", "34 CFR 99.35(a)(3)(ii)"))
    if not a.legal_bases:
        out.append(_m("legal_basis", "the legal basis", "34 CFR 99.31"))
    if not a.data_elements:
        out.append(_m("data_elements", "the data elements to be disclosed", "34 CFR 99.35(a)(3)(ii)"))
    unknown = sorted(a.data_elements - CATALOG.keys())
    if unknown:
        out.append(_m("data_elements", "known data elements (unknown: " + ", ".join(unknown) + ")",
                      "34 CFR 99.35(a)(3)(ii)"))
    if not a.recipient_roles:
        out.append(_m("recipient_roles", "the permitted recipient roles", "34 CFR 99.35(a)(3)(iv)"))
    if not a.permitted_uses.strip():
        out.append(_m("permitted_uses", "a description of the permitted uses",
                      "34 CFR 99.35(a)(3)(ii)(C)"))
    if a.effective_on is None or a.ends_on is None:
        out.append(_m("term", "effective and end dates", "34 CFR 99.35(a)(3)(iii)"))
    elif a.ends_on < a.effective_on:
        out.append(_m("term", "an end date after the effective date", "34 CFR 99.35(a)(3)(iii)"))
    if a.destruction_deadline is None:
        out.append(_m("destruction_deadline", "the deadline for destroying the data",
                      "34 CFR 99.35(a)(3)(iii)"))
    if not a.destruction_method.strip():
        out.append(_m("destruction_method", "how the data will be destroyed",
                      "34 CFR 99.35(a)(3)(iii)"))
    if not a.safeguards:
        out.append(_m("safeguards", "the safeguards against redisclosure and misuse",
                      "34 CFR 99.35(a)(3)(iv)"))
    return out


def _signatures(a: Agreement) -> list[MissingElement]:
    signed = {s.agency_id for s in a.signatures}
    return [
        _m("signature", f"the signature of party {party}", "34 CFR 99.35(a)(3)")
        for party in sorted(a.parties - signed)
    ]


def _basis_specific(a: Agreement) -> list[MissingElement]:
    """Terms an exception needs, on the layer that carries it: the memorandum only frames
    exchanges, and a data-sharing agreement may leave a study's or an evaluation's terms to
    the data-use licence of each project (decide() uses them from the agreement it selects)."""
    out: list[MissingElement] = []
    if a.layer is AgreementLayer.ENTERPRISE_MEMORANDUM:
        return out
    per_project = a.layer is AgreementLayer.DATA_USE_LICENCE
    if LegalBasis.STUDIES in a.legal_bases and (per_project or a.study is not None):
        s = a.study
        if s is None:
            out.append(_m("study", "the study's purpose, scope and duration", _ST + "(1)"))
        else:
            if not s.scope.strip():
                out.append(_m("study_scope", "the study's scope", _ST + "(1)"))
            if not s.use_limited_to_purpose:
                out.append(_m("study_use", "use of the data only for the study", _ST + "(2)"))
            if not s.identification_restricted:
                out.append(_m("study_identification",
                              "conduct that identifies no one outside the study team", _ST + "(3)"))
    if (LegalBasis.AUDIT_EVALUATION in a.legal_bases and per_project
            and not a.evaluates_education_program):
        out.append(_m("education_program", "the education program being audited or evaluated",
                      "34 CFR 99.35(a)(1)"))
    if LegalBasis.JUVENILE_JUSTICE in a.legal_bases:
        if not (a.state_statute or "").strip():
            out.append(_m("state_statute", "the state statute that authorizes the disclosure",
                          "34 CFR 99.38(a)"))
        if a.non_redisclosure_certification is None:
            out.append(_m("jj_certification",
                          "the recipient's written certification of non-redisclosure",
                          "34 CFR 99.38(b)"))
    return out


def _layering(a: Agreement, parent: Agreement | None, on: date) -> list[MissingElement]:
    expected = PARENT_LAYER[a.layer]
    if expected is None:
        return []
    if parent is None or a.parent_id != parent.id:
        return [_m("parent", f"the {expected.value.replace('_', ' ')} it falls under",
                   "Accord layered agreements")]
    out = []
    if parent.layer is not expected:
        out.append(_m("parent", f"a parent of layer {expected.value}", "Accord layered agreements"))
    if not parent.in_force(on):
        out.append(_m("parent", f"an active parent agreement ({parent.id} is not in force)",
                      "Accord layered agreements"))
    out.extend(_m("exceeds_parent", text, "Accord layered agreements")
               for text in exceeds_parent(a, parent))
    return out


def exceeds_parent(child: Agreement, parent: Agreement) -> list[str]:
    """Every way a lower-layer agreement grants more than the one above it."""
    out = []
    for name, mine, theirs in (
        ("parties", child.parties, parent.parties),
        ("purposes", child.purposes, parent.purposes),
        ("legal bases", child.legal_bases, parent.legal_bases),
        ("data elements", child.data_elements, parent.data_elements),
        ("recipient roles", child.recipient_roles, parent.recipient_roles),
    ):
        extra = sorted(str(x) for x in set(mine) - set(theirs))
        if extra:
            out.append(f"{name} beyond the parent agreement: {', '.join(extra)}")
    if child.ends_on and parent.ends_on and child.ends_on > parent.ends_on:
        out.append("an end date after the parent agreement's")
    return out


def activation_problems(a: Agreement, parent: Agreement | None, on: date) -> list[MissingElement]:
    """Everything that stops the agreement becoming active on `on`; empty when it may."""
    return _core_elements(a) + _basis_specific(a) + _signatures(a) + _layering(a, parent, on)


def activate(a: Agreement, on: date, parent: Agreement | None = None) -> Agreement:
    """Draft -> active, only when every required element is present and every party signed."""
    if a.status is not AgreementStatus.DRAFT:
        raise AgreementTransitionError(f"agreement {a.id} is {a.status.value}, not a draft").coded(
            "only_a_draft_is_activated", agreement=a.id)
    problems = activation_problems(a, parent, on)
    if problems:
        raise AgreementNotReady(a.id, problems).coded("agreement_not_ready", agreement=a.id)
    return replace(a, status=AgreementStatus.ACTIVE, activated_on=on)


def terminate(a: Agreement, on: date) -> Agreement:
    """Active (or expired) -> terminated; no further disclosures from `on`."""
    if a.status is not AgreementStatus.ACTIVE:
        raise AgreementTransitionError(f"agreement {a.id} is {a.status.value}; only an active "
                                       "agreement can be terminated").coded("only_active_is_terminated",
                                                                            agreement=a.id)
    return replace(a, status=AgreementStatus.TERMINATED, terminated_on=on)


def certify_destruction(a: Agreement, on: date) -> Agreement:
    """Record that the recipient certified destruction; only after the agreement has ended."""
    if a.status_on(on) not in (AgreementStatus.EXPIRED, AgreementStatus.TERMINATED):
        raise AgreementTransitionError(
            f"agreement {a.id} is {a.status_on(on).value}; destruction is certified only after "
            "it has expired or been terminated")
    return replace(a, status=AgreementStatus.DESTRUCTION_CERTIFIED, destruction_certified_on=on)


def amend(a: Agreement, note: str, **changes: object) -> Agreement:
    """A new draft version carrying the changes; the old version stays as it was."""
    return replace(a, version=a.version + 1, status=AgreementStatus.DRAFT, signatures=(),
                   activated_on=None, amendment_note=note, **changes)  # type: ignore[arg-type]
