"""`accord preview`: what would be shared, for a consent, a student or an agreement.

For parents ("what does this form let them see?") and officers ("what does this agreement
let the partner receive, and what still needs consent?"). The answers come from the policy
engine itself, so a preview never promises more than a request would get.
"""

from __future__ import annotations

import typer

from accord.cli.common import console, parse_datetime, store_session, table
from accord.domain.elements import CATALOG
from accord.policy.preview import PreviewLine
from accord.workflows.preview import agreement_preview, consent_preview, student_preview

app = typer.Typer(no_args_is_help=True, help="What would be shared, before anything is.")


def _labels(codes: frozenset[str]) -> str:
    return ", ".join(CATALOG[c].label for c in sorted(codes)) or "nothing"


def _show(title: str, lines: list[PreviewLine]) -> None:
    if not lines:
        console.print(f"{title}: nothing would be shared with anyone.")
        return
    t = table(title, "recipient", "role", "purpose", "from", "would receive", "on the basis of")
    for x in lines:
        t.add_row(x.recipient_agency_id, x.role.value, x.purpose.value, x.source_agency_id,
                  _labels(x.fields), ", ".join(f"{b.value} ({b.citation})" for b in x.bases))
    console.print(t)


@app.command("consent")
def consent(consent_id: str,
            at: str | None = typer.Option(None, help="As of (ISO date-time; default now)")) -> None:
    """What the named recipients could receive under this consent, purpose by purpose."""
    when = parse_datetime(at, "--at")
    with store_session(read_only=True) as s:
        lines = consent_preview(s, consent_id, when)
    _show(f"Consent {consent_id}: what would be shared", lines)


@app.command("student")
def student(student_id: str,
            at: str | None = typer.Option(None, help="As of (ISO date-time; default now)")) -> None:
    """Everything this student's record could go out as, recipient by recipient."""
    when = parse_datetime(at, "--at")
    with store_session(read_only=True) as s:
        lines = student_preview(s, student_id, when)
    _show(f"Student {student_id}: what would be shared", lines)


@app.command("agreement")
def agreement(agreement_id: str,
              at: str | None = typer.Option(None, help="As of (ISO date-time; default now)")) -> None:
    """What the agreement grants each role, and what may go without consent."""
    when = parse_datetime(at, "--at")
    with store_session(read_only=True) as s:
        lines = agreement_preview(s, agreement_id, when)
    t = table(f"Agreement {agreement_id}: what would be shared", "recipient", "role", "purpose",
              "from", "granted by the agreement", "without consent", "on the basis of",
              "needs consent")
    for x in lines:
        t.add_row(x.recipient_agency_id, x.role.value, x.purpose.value, x.source_agency_id,
                  _labels(x.granted), _labels(x.without_consent),
                  ", ".join(f"{b.value} ({b.citation})" for b in x.bases) or "-",
                  _labels(x.granted - x.without_consent))
    console.print(t)
    console.print("Emergency and juvenile-justice lines assume their conditions are met (a stated "
                  "threat; before adjudication).")
