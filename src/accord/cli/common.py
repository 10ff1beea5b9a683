"""What every command shares: consoles, the store session, and the one way to fail on input."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session
from typer.core import TyperGroup

from accord.cli.crash import write_report
from accord.config import DEFAULT_DATA_DIR, Settings, SettingsError, load_settings
from accord.errors import BAD_INPUT, AccordError, StoreBusy
from accord.store.db import is_busy, make_engine, make_session_factory, reader, session_scope
from accord.store.migrate import current_revision, head_revision
from accord.workflows.hub_files import HubFiles

console = Console()
err_console = Console(stderr=True)
E = TypeVar("E", bound=StrEnum)

INTERRUPTED = 130  # the shell's code for a command stopped by Ctrl-C
UNEXPECTED = 70  # EX_SOFTWARE: a fault of Accord's, not of the input


class BadInput(AccordError, ValueError):
    """Input the user supplied is wrong; the message names the file or field."""


def settings() -> Settings:
    """This command's settings, from the environment (config.Settings): the face reads them and
    passes them, or what they name, to the workflows."""
    return load_settings()


def hub_files() -> HubFiles:
    """The hub's folder of encoded files, where this command's settings put it."""
    return HubFiles(settings().hub_dir)


def acting_user() -> str:
    """Who is acting, for the ledger's record of administrative events (ACCORD_USER)."""
    return settings().user


def _crash_folder() -> Path:
    """Where a crash report goes: the data directory, unless the settings are what is broken."""
    try:
        return load_settings().data_dir
    except SettingsError:
        return Path(DEFAULT_DATA_DIR)


def fail(message: str, code: int = BAD_INPUT) -> NoReturn:
    """Print one line to stderr and exit (no traceback)."""
    err_console.print(f"[red]error:[/] {message}", highlight=False, soft_wrap=True)
    raise typer.Exit(code=code)


class AccordGroup(TyperGroup):
    """The top-level command group, and the one place errors become what the user sees: an
    AccordError its one line and exit code; a file the system cannot open or write, its path
    and reason; Ctrl-C, a line; anything else, a line and a crash report without any data."""

    def invoke(self, ctx: typer.Context) -> Any:  # type: ignore[override]
        try:
            return super().invoke(ctx)
        except (typer.Exit, typer.Abort, typer.TyperException):  # typer's own: usage errors, exits
            raise
        except AccordError as err:
            fail(str(err), err.exit_code)
        except FileNotFoundError as err:
            fail(f"file not found: {err.filename}")
        except OSError as err:
            where = f"{err.filename}: " if err.filename else ""
            fail(f"{where}{err.strerror or type(err).__name__}")
        except KeyboardInterrupt:
            fail("interrupted: what was not committed was rolled back (a load stopped after its commit is "
                 "finished by the next one)", INTERRUPTED)
        except Exception as err:  # the face's last resort, by design
            report = write_report(err, _crash_folder())
            fail(f"unexpected error ({type(err).__name__}); details without personal data are in {report}: "
                 "please send that file to Accord's developers", UNEXPECTED)


@contextmanager
def store_session(read_only: bool = False) -> Iterator[Session]:
    """A session on the configured database, committed whole or rolled back whole.

    A writer waits for another process's write (ACCORD_BUSY_SECONDS, 60 by default), then is
    refused with StoreBusy, nothing written; whether the store is initialised is read without
    waiting for anyone."""
    settings = load_settings()
    engine = make_engine(settings.database_url, busy_seconds=settings.busy_seconds)
    try:
        try:
            initialised = current_revision(reader(engine)) == head_revision()
        except OperationalError as err:
            if is_busy(err):
                raise
            initialised = False
        if not initialised:
            fail("the database is not initialised (or is out of date): run `accord init` first")
        with session_scope(make_session_factory(engine, read_only)) as session:
            yield session
    except OperationalError as err:
        if is_busy(err):
            raise StoreBusy(f"another Accord process (a load, most likely) held the store for more than "
                            f"{settings.busy_seconds:g} s; nothing of this run was written: run it again "
                            "when that one has finished (ACCORD_BUSY_SECONDS sets the wait)") from None
        raise
    finally:
        engine.dispose()


def parse_date(value: str | None, field: str, default: date | None = None) -> date:
    """An ISO date from an option; today when absent and no other default is given."""
    if value is None:
        return default or date.today()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise BadInput(f"{field}: expected a date like 2026-09-01") from None


def parse_month(value: str, field: str) -> date:
    """A month (YYYY-MM) from an option, as its first day."""
    try:
        if len(value) == 7:
            return date.fromisoformat(f"{value}-01")
    except ValueError:
        pass
    raise BadInput(f"{field}: expected a month like 2031-04")


def parse_datetime(value: str | None, field: str) -> datetime:
    """An ISO date-time from an option; now when absent."""
    if value is None:
        return datetime.now().replace(microsecond=0)
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        raise BadInput(f"{field}: expected a date-time like 2026-09-01T10:00") from None


def parse_enum(kind: type[E], value: str, field: str) -> E:
    """One enum value, with the allowed values in the error."""
    try:
        return kind(value)
    except ValueError:
        allowed = ", ".join(k.value for k in kind)
        raise BadInput(f"{field}: {value!r} is not one of: {allowed}") from None


def table(title: str, *columns: str) -> Table:
    """A left-titled Rich table with folding columns (ids must never be cut off)."""
    t = Table(title=title, title_justify="left", title_style="bold")
    for c in columns:
        t.add_column(c, overflow="fold")
    return t


def joined(values: Iterable[object]) -> str:
    """A set or list as a sorted, comma-separated cell ("-" when empty)."""
    return ", ".join(sorted(str(v) for v in values)) or "-"
