"""`accord consents`: record (validated), show (or export as FHIR), revoke, confirm."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import typer

from accord.cli.common import (
    acting_user,
    console,
    fail,
    joined,
    parse_date,
    parse_datetime,
    store_session,
    table,
)
from accord.domain.consents import Consent, ConsentInvalid
from accord.domain.fhir import to_fhir_consent
from accord.errors import BAD_INPUT
from accord.intake.consent_document import consent_from_file
from accord.workflows import governance

app = typer.Typer(help="Record, show, revoke and confirm consents.", no_args_is_help=True)
INVALID = 1  # exit code when a consent record is refused or a step is not allowed


@app.command("record")
def record(file: Path = typer.Argument(..., help="JSON file with the consent's fields")) -> None:
    """Check the consent has every element 34 CFR 99.30 requires, then store it."""
    c = consent_from_file(file)
    with store_session(read_only=True) as s:
        defects = governance.consent_problems(s, c)
    if defects:
        t = table(f"Consent {c.id} was not recorded: {len(defects)} defect(s)", "defect")
        for d in defects:
            t.add_row(d)
        console.print(t)
        raise typer.Exit(code=INVALID)
    with store_session() as s:
        try:
            governance.record_new_consent(s, c, acting_user(), datetime.now(UTC))
        except (governance.AlreadyRecorded, ConsentInvalid) as err:
            fail(f"{file}: {err}", BAD_INPUT)
    console.print(f"Consent {c.id} recorded (and written to the ledger).")


@app.command("show")
def show(consent_id: str,
         fhir: bool = typer.Option(False, "--fhir", help="Print the HL7 FHIR R4 Consent JSON"),
         at: str | None = typer.Option(None, help="Status as of this date-time (default now)")) -> None:
    """One consent, as a table or as a FHIR Consent resource."""
    when = parse_datetime(at, "--at")
    with store_session() as s:
        c = governance.consent(s, consent_id)
    if fhir:
        # Plain JSON (no markup, no wrapping), so it can be piped to a file or another tool.
        console.print(json.dumps(to_fhir_consent(c, when), indent=2), markup=False,
                      highlight=False, soft_wrap=True)
        return
    _print(c, when)


@app.command("revoke")
def revoke(consent_id: str,
           at: str | None = typer.Option(None, help="Effective from (default now)")) -> None:
    """Revoke from a moment on; disclosures made before it stay lawful."""
    when = parse_datetime(at, "--at")
    with store_session() as s:
        try:
            c = governance.revoke_consent(s, consent_id, when, acting_user())
        except ConsentInvalid as err:
            fail(str(err), INVALID)
    console.print(f"Consent {c.id} revoked from {when.isoformat(sep=' ')}.")


@app.command("confirm")
def confirm(consent_id: str,
            on: str | None = typer.Option(None, help="Date of confirmation (default today)")) -> None:
    """An eligible student adopts the consent a parent signed."""
    day = parse_date(on, "--on")
    with store_session() as s:
        try:
            c = governance.confirm_by_student(s, consent_id, day, acting_user())
        except ConsentInvalid as err:
            fail(str(err), INVALID)
    console.print(f"Consent {c.id} confirmed by the student on {day}.")


def _print(c: Consent, when: datetime) -> None:
    t = table(f"Consent {c.id}", "element", "value")
    for name, value in (
        ("in force", "yes" if c.in_force(when) else "no"),
        ("signed by", c.signer_role.value), ("signed on", str(c.signed_on or "-")),
        ("forms", joined(f.value for f in c.forms)), ("data elements", joined(c.data_elements)),
        ("purposes", joined(p.value for p in c.purposes)),
        ("recipient agencies", joined(c.recipient_agency_ids)),
        ("recipient roles", joined(r.value for r in c.recipient_roles)),
        ("period", f"{c.starts_on} to {c.ends_on or 'open'}"),
        ("language / method", f"{c.language} / {c.method.value}"),
        ("revoked at", str(c.revoked_at or "-")),
        ("confirmed by student", str(c.confirmed_by_student_on or "-")),
    ):
        t.add_row(name, value)
    console.print(t)
