"""`accord students`: register a student by internal id (no names are ever stored)."""

from __future__ import annotations

import typer

from accord.cli.common import console, parse_date, parse_month, store_session
from accord.domain.students import Student
from accord.workflows import registry

app = typer.Typer(help="Register students (by internal id only).", no_args_is_help=True)


@app.command("add")
def add(student_id: str = typer.Option(..., "--id", help="Internal hub id"),
        school: str = typer.Option(..., help="The school agency holding the record"),
        turns_18_in: str | None = typer.Option(
            None, help="The month the student turns 18, YYYY-MM (decides FERPA rights; the hub keeps "
            "no birth date)"),
        postsecondary_on: str | None = typer.Option(None, help="Date enrolled in postsecondary"),
        directory_opt_out: bool = typer.Option(False, help="Opted out of directory information"),
        meal_opt_out: bool = typer.Option(False, help="Declined the Medicaid meal disclosure"),
        foster_agency: str | None = typer.Option(None, help="Child-welfare agency responsible")) -> None:
    """Register (or update) a student."""
    student = Student(
        id=student_id, school_agency_id=school,
        turns_18_in=parse_month(turns_18_in, "--turns-18-in") if turns_18_in else None,
        postsecondary_enrolled_on=parse_date(postsecondary_on, "--postsecondary-on")
        if postsecondary_on else None,
        directory_opt_out=directory_opt_out, meal_disclosure_opt_out=meal_opt_out,
        foster_care_agency_id=foster_agency)
    with store_session() as s:
        registry.register_student(s, student)
    # Only the count is echoed back: the command never prints a student's details.
    console.print("Student saved.")


@app.command("count")
def count() -> None:
    """How many students are registered."""
    with store_session() as s:
        n = registry.student_count(s)
    console.print(f"{n} student(s) registered.")
