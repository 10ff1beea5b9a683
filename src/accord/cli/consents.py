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
from accord.cli.consent_input import consent_from_file
from accord.domain.consents import Consent, ConsentInvalid, consent_defects, signer_defects
from accord.domain.fhir import to_fhir_consent
from accord.store.repositories import consents as repo
from accord.store.repositories.students import get_student
from accord.workflows import governance

app = typer.Typer(help="Record, show, revoke and confirm consents.", no_args_is_help=True)
INVALID = 1  # exit code when a consent record is refused or a step is not allowed


@app.command("record")
def record(file: Path = typer.Argument(..., help="JSON file with the consent's fields")) -> None:
    """Check the consent has every element 34 CFR 99.30 requires, then store it."""
    c = consent_from_file(file)
    with store_session(read_only=True) as s:
        defects = consent_defects(c) + signer_defects(c, get_student(s, c.student_id))
    if defects:
        t = table(f"Consent {c.id} was not recorded: {len(defects)} defect(s)", "defect")
        for d in defects:
            t.add_row(d)
        console.print(t)
        raise typer.Exit(code=INVALID)
    with store_session() as s:
        if repo.get_consent(s, c.id) is not None:
            fail(f"{file}: field 'id': consent {c.id} is already recorded")
        if get_student(s, c.student_id) is None:
            # The student id is not echoed: it is the one identifier in the file.
            fail(f"{file}: field 'student_id': no such student is registered")
        governance.record_consent(s, c, acting_user(), datetime.now(UTC))
    console.print(f"Consent {c.id} recorded (and written to the ledger).")


@app.command("show")
def show(consent_id: str,
         fhir: bool = typer.Option(False, "--fhir", help="Print the HL7 FHIR R4 Consent JSON"),
         at: str | None = typer.Option(None, help="Status as of this date-time (default now)")) -> None:
    """One consent, as a table or as a FHIR Consent resource."""
    when = parse_datetime(at, "--at")
    with store_session() as s:
        c = repo.require_consent(s, consent_id)
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
        existing = repo.require_consent(s, consent_id)
        student = get_student(s, existing.student_id)
        # In the month the student turns 18 the hub does not hold the day (ADR 0016); the student
        # confirms then too, so that the consent holds on either side of the birthday.
        if student is None or not (student.is_eligible_student(day) or student.turning_18(day)):
            fail(f"consent {consent_id}: the student does not hold FERPA rights on {day}, "
                 "so there is nothing to confirm yet", INVALID)
        try:
            c = governance.confirm_consent(s, consent_id, day, acting_user())
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
