"""Engine and session factory, and the one transaction boundary: session_scope()."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from accord.config import DEFAULT_BUSY_SECONDS


def make_engine(url: str, busy_seconds: float = DEFAULT_BUSY_SECONDS, **kwargs: Any) -> Engine:
    """An engine for `url`; SQLite connections get foreign keys on and WAL journaling, and a
    writer waits up to `busy_seconds` for another's transaction (then is_busy says so)."""
    # hide_parameters: DB errors must never echo row values (birth dates, ids) into
    # exception messages or logs.
    kwargs.setdefault("hide_parameters", True)
    if url.startswith("sqlite"):
        kwargs.setdefault("connect_args", {}).setdefault("timeout", busy_seconds)
    engine = create_engine(url, **kwargs)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin_immediate)
    elif engine.dialect.name == "postgresql":
        event.listen(engine, "connect", _pg_lock_timeout(busy_seconds))
    return engine


def _pg_lock_timeout(seconds: float) -> Any:
    """A connect hook that makes PostgreSQL give up a lock wait (the ledger's append lock, a
    row another load is writing) after `seconds`, as SQLite's busy timeout does."""

    def hook(dbapi_connection: Any, _record: Any) -> None:
        autocommit = dbapi_connection.autocommit
        dbapi_connection.autocommit = True
        with dbapi_connection.cursor() as cursor:
            cursor.execute(f"SET SESSION lock_timeout = {max(1, round(seconds * 1000))}")
        dbapi_connection.autocommit = autocommit

    return hook


def is_busy(err: OperationalError) -> bool:
    """Whether the database refused because another process held it past the wait (SQLite's
    "database is locked"; PostgreSQL's lock_timeout), rather than for any other reason."""
    code = getattr(err.orig, "sqlstate", None)
    return code == "55P03" or "database is locked" in str(err.orig) or "database is busy" in str(err.orig)


def reader(engine: Engine) -> Engine:
    """The engine for work that writes nothing: on SQLite it takes no write lock, so it neither
    waits for a load nor holds one off (see _sqlite_begin_immediate)."""
    return engine.execution_options(**{READ_ONLY: True})


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # SQLite leaves foreign keys off by default, per connection; WAL lets readers run while
    # one writer commits (the CLI and a long demo run may overlap); synchronous=FULL makes a
    # committed ledger entry survive a power cut, not only a crash of the process.
    # Transactions are begun by _sqlite_begin_immediate, not by the driver.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
    finally:
        cursor.close()


def _sqlite_begin_immediate(connection: Any) -> None:
    # Take the write lock when the transaction starts. A deferred transaction that reads the
    # ledger's tail and then writes can fail to upgrade its lock under concurrent writers;
    # an immediate one waits its turn (up to the engine's busy_seconds) and never forks the chain.
    # Read-only work (verify, prove, export, previews) begins deferred instead: in WAL mode it
    # reads a consistent snapshot and never holds writers off.
    if connection.get_execution_options().get(READ_ONLY):
        connection.exec_driver_sql("BEGIN")
    else:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


READ_ONLY = "accord_read_only"


def make_session_factory(engine: Engine, read_only: bool = False) -> sessionmaker[Session]:
    """Sessions bound to `engine`; objects stay readable after commit. `read_only` sessions
    take no write lock on SQLite (see _sqlite_begin_immediate): use them for work that
    writes nothing."""
    bind = reader(engine) if read_only else engine
    return sessionmaker(bind=bind, expire_on_commit=False)


@contextmanager
def session_scope(factory: sessionmaker[Session]) -> Iterator[Session]:
    """One unit of work: commit when the block ends normally, roll back whole on any error."""
    session = factory()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
