"""Printing an agreement and the elements it lacks."""

from __future__ import annotations

from accord.cli.common import console, joined, table
from accord.domain.agreements import Agreement, MissingElement


def print_agreement(a: Agreement) -> None:
    """Every element, one per row."""
    t = table(f"Agreement {a.id} v{a.version}: {a.title}", "element", "value")
    study = a.study
    rows = [
        ("layer", a.layer.value), ("status", a.status.value), ("parent", a.parent_id or "-"),
        ("sources", joined(a.source_agency_ids)), ("recipients", joined(a.recipient_agency_ids)),
        ("purposes", joined(p.value for p in a.purposes)),
        ("legal bases", joined(b.value for b in a.legal_bases)),
        ("data elements", joined(a.data_elements)),
        ("recipient roles", joined(r.value for r in a.recipient_roles)),
        ("permitted uses", a.permitted_uses or "-"),
        ("term", f"{a.effective_on or '?'} to {a.ends_on or '?'}"),
        ("destroy by", f"{a.destruction_deadline or '?'} ({a.destruction_method or 'method?'})"),
        ("safeguards", "; ".join(a.safeguards) or "-"),
        ("signatures", "; ".join(f"{s.agency_id} ({s.signatory_title}, {s.signed_on})"
                                 for s in a.signatures) or "-"),
        ("activated", str(a.activated_on or "-")), ("terminated", str(a.terminated_on or "-")),
        ("study", f"{study.study_purpose.value}: {study.scope}" if study else "-"),
        ("amendment note", a.amendment_note or "-"),
    ]
    for name, value in rows:
        t.add_row(name, value)
    console.print(t)


def print_problems(a: Agreement, problems: list[MissingElement]) -> None:
    """Each missing element with its citation."""
    t = table(f"Agreement {a.id} v{a.version} cannot be activated: {len(problems)} missing",
              "element", "what is missing", "citation")
    for p in problems:
        t.add_row(p.code, p.text, p.citation)
    console.print(t)
