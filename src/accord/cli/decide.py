"""`accord decide`: ask the policy engine about one disclosure request and show why."""

from __future__ import annotations

import typer

from accord.cli.common import console, parse_datetime, store_session, table
from accord.domain.agencies import Program
from accord.domain.elements import parse_elements
from accord.domain.purposes import OutputForm, Purpose, StudyPurpose
from accord.policy.decision import Decision
from accord.policy.request import DisclosureRequest
from accord.workflows.disclosure import decide_and_record


def decide(
    requester: str = typer.Option(..., help="User id of the person asking"),
    student: str = typer.Option(..., help="Internal id of the student"),
    source: str = typer.Option(..., help="Agency holding the record"),
    purpose: Purpose = typer.Option(..., help="Why the data is asked for"),
    field: list[str] = typer.Option(..., "--field", help="A data element asked for (repeatable)"),
    at: str | None = typer.Option(None, help="When (ISO date-time; default now)"),
    output: OutputForm = typer.Option(OutputForm.CASE_RECORD, help="What the recipient gets"),
    interest: str = typer.Option("", help="The requester's stated interest"),
    threat: str | None = typer.Option(None, help="The articulable threat (34 CFR 99.36)"),
    pre_adjudication: bool = typer.Option(False, help="Juvenile justice, before adjudication"),
    study_purpose: StudyPurpose | None = typer.Option(None, help="For the studies exception"),
    program: Program | None = typer.Option(
        None, help="The program the request is made for, where the agency runs several"),
    source_program: Program | None = typer.Option(
        None, help="The program whose records the source agency discloses (direct certification)"),
) -> None:
    """Decide one request. Exit 0 whether permitted or denied; 2 on bad input."""
    fields = parse_elements(field, "--field")
    request = DisclosureRequest(
        requester_id=requester, student_id=student, source_agency_id=source, purpose=purpose,
        fields=fields, at=parse_datetime(at, "--at"), output=output, stated_interest=interest,
        threat=threat, pre_adjudication=pre_adjudication, study_purpose=study_purpose,
        acting_program=program, source_program=source_program)
    with store_session() as s:
        decision, entry = decide_and_record(s, request)
    show_decision(decision)
    console.print(f"Recorded in the ledger as entry #{entry.seq}.")


def show_decision(d: Decision) -> None:
    """Effect, released and withheld fields, every reason (held or not), obligations."""
    verdict = "[bold green]PERMIT[/]" if d.permitted else "[bold red]DENY[/]"
    console.print(f"Decision: {verdict}")
    if d.agreement_id:
        console.print(f"Under agreement {d.agreement_id} v{d.agreement_version}")
    console.print("Released: " + (", ".join(sorted(d.released)) or "nothing"))
    if d.withheld:
        console.print("Withheld: " + ", ".join(sorted(d.withheld)))
    for f, basis in d.bases:
        console.print(f"  {f}: {basis.value} ({basis.citation})")
    t = table("Reasons", "held", "check", "reason", "citation")
    for r in d.reasons:
        t.add_row("[green]yes[/]" if r.holds else "[red]no[/]", r.code, r.text, r.citation)
    console.print(t)
    if d.obligations:
        t = table("Obligations", "kind", "what", "citation", "due")
        for o in d.obligations:
            t.add_row(o.kind.value, o.text, o.citation, str(o.due or "-"))
        console.print(t)
