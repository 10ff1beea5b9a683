"""Alembic environment: online only, through the engine accord.store.migrate passes in."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Engine

from accord.store.models import Base

config = context.config
engine = config.attributes.get("engine")
if not isinstance(engine, Engine):  # pragma: no cover - misuse, not a runtime path
    raise RuntimeError("run migrations through accord.store.migrate.upgrade_to_head(engine)")

with engine.begin() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        # SQLite cannot ALTER most things in place; batch mode rebuilds tables instead.
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()
