"""`accord training`: courses, completions, and whether a user's training is current."""

from __future__ import annotations

import typer

from accord.cli.common import console, parse_date, store_session, table
from accord.domain.training import Course, missing_courses
from accord.workflows import registry

app = typer.Typer(help="Privacy-training courses and completions.", no_args_is_help=True)
courses_app = typer.Typer(help="Add and list courses.", no_args_is_help=True)
app.add_typer(courses_app, name="courses")


@courses_app.command("add")
def add_course(course_id: str = typer.Option(..., "--id"), title: str = typer.Option(...),
               validity_days: int = typer.Option(365, min=1),
               optional: bool = typer.Option(False, help="Not required for access")) -> None:
    """Register (or update) a course."""
    with store_session() as s:
        registry.register_course(s, Course(course_id, title, validity_days, not optional))
    console.print(f"Course {course_id} saved.")


@courses_app.command("list")
def list_courses() -> None:
    """Every course."""
    with store_session() as s:
        found = registry.courses(s)
    t = table("Courses", "id", "title", "valid for (days)", "required")
    for c in found:
        t.add_row(c.id, c.title, str(c.validity_days), "yes" if c.required_for_access else "no")
    console.print(t)


@app.command("complete")
def complete(user: str = typer.Option(...), course: str = typer.Option(...),
             on: str | None = typer.Option(None, help="Completion date (default today)")) -> None:
    """Record that a user completed a course; it expires after the course's validity."""
    day = parse_date(on, "--on")
    with store_session() as s:
        done = registry.record_completion(s, user, course, day)
    console.print(f"{user} completed {course} on {day}; current until {done.expires_on}.")


@app.command("status")
def status(user: str = typer.Option(...),
           on: str | None = typer.Option(None, help="As of this date (default today)")) -> None:
    """Each required course and whether the user's completion of it is current."""
    day = parse_date(on, "--on")
    with store_session() as s:
        done, required = registry.training_of(s, user)
    missing = set(missing_courses(done, required, day))
    t = table(f"Training of {user} on {day}", "course", "status", "latest completion")
    for course_id in required:
        latest = max((c for c in done if c.course_id == course_id),
                     key=lambda c: c.completed_on, default=None)
        state = "[red]missing or expired[/]" if course_id in missing else "[green]current[/]"
        t.add_row(course_id, state, f"{latest.completed_on} (expires {latest.expires_on})"
                  if latest else "-")
    console.print(t)
    console.print("Training is current." if not missing else
                  f"{len(missing)} required course(s) missing: requests will be denied.")
