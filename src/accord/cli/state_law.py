"""`accord state-law`: the state's choices the rules depend on, shown and changed by a records
officer; each change is a ledger entry, which the decisions resting on it cite."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import typer

from accord.cli.common import BadInput, console, parse_date, parse_enum, store_session, table
from accord.domain.agencies import Program
from accord.policy.request import StateLaw
from accord.workflows.state_law import change_state_law, current_state_law, state_law_record

app = typer.Typer(help="State-law settings (Medicaid/CHIP meal election, direct certification).",
                  no_args_is_help=True)


@app.command("show")
def show(as_json: bool = typer.Option(False, "--json", help="Print the settings as JSON")) -> None:
    """Each setting, its value, and the ledger entry that recorded it."""
    with store_session(read_only=True) as s:
        law = current_state_law(s)
    if as_json:
        # Plain JSON (no markup, no wrapping), so it can be piped to another tool.
        console.print(json.dumps(state_law_record(law), indent=2), markup=False, highlight=False,
                      soft_wrap=True)
        return
    t = table(f"State-law settings ({_recorded(law)})", "setting", "value")
    for name, value in _rows(law):
        t.add_row(name, value)
    console.print(t)


@app.command("set")
def set_(
    by: str = typer.Option(..., help="User id of the records officer making the change"),
    medicaid_election: bool | None = typer.Option(
        None, "--medicaid-election/--no-medicaid-election",
        help="The state shares meal eligibility status with Medicaid/CHIP (42 USC 1758(b)(6)(D))"),
    notice_on: str | None = typer.Option(
        None, "--notice-on", help="The day households were notified of that disclosure (YYYY-MM-DD)"),
    programs: str | None = typer.Option(
        None, "--programs", help="Programs the state certifies school meals from, comma-separated: "
                                 "snap (mandatory), tanf, fdpir, medicaid"),
    minor_sud_consent: bool | None = typer.Option(
        None, "--minor-sud-consent/--no-minor-sud-consent",
        help="A minor may consent to their own substance-use treatment"),
) -> None:
    """Change the settings given (the others stay) and record the change in the ledger."""
    if medicaid_election is None and notice_on is None and programs is None \
            and minor_sud_consent is None:
        raise BadInput("nothing to set: give --medicaid-election, --notice-on, --programs or "
                       "--minor-sud-consent")
    notice = parse_date(notice_on, "--notice-on") if notice_on is not None else None
    chosen = _programs(programs) if programs is not None else None
    with store_session() as s:
        before = current_state_law(s)
        after = change_state_law(s, by, datetime.now(UTC), medicaid_meal_status_election=medicaid_election,
                                 medicaid_meal_notice_on=notice, direct_certification_programs=chosen,
                                 minor_may_consent_to_sud_treatment=minor_sud_consent)
    if after.recorded_in == before.recorded_in:
        console.print(f"No change: the settings are already as given ({_recorded(after)}).")
    else:
        console.print(f"State-law settings changed; recorded in ledger entry #{after.recorded_in}.")


def _programs(value: str) -> frozenset[Program]:
    names = [p.strip() for p in value.split(",") if p.strip()]
    if not names:
        raise BadInput("--programs: name at least snap")
    return frozenset(parse_enum(Program, name, "--programs") for name in names)


def _recorded(law: StateLaw) -> str:
    if law.recorded_in is None:
        return "defaults, never recorded"
    return f"recorded in ledger entry #{law.recorded_in}"


def _rows(law: StateLaw) -> list[tuple[str, str]]:
    return [
        ("Medicaid/CHIP meal-status election (42 USC 1758(b)(6)(D))",
         "elected" if law.medicaid_meal_status_election else "not elected"),
        ("households notified on", str(law.medicaid_meal_notice_on or "-")),
        ("direct-certification programs (42 USC 1758(b)(4))",
         ", ".join(sorted(p.value for p in law.direct_certification_programs))),
        ("a minor may consent to SUD treatment",
         "yes" if law.minor_may_consent_to_sud_treatment else "no (a parent must too)"),
        ("required training courses", ", ".join(sorted(law.required_course_ids)) or "-"),
    ]
