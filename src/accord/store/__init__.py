"""Persistence: SQLAlchemy 2 models, Alembic migrations and repositories.

Repositories take a Session and domain objects and return domain objects; ORM rows never
leave this package.
"""

from accord.store.db import make_engine, make_session_factory, session_scope
from accord.store.migrate import upgrade_to_head

__all__ = ["make_engine", "make_session_factory", "session_scope", "upgrade_to_head"]
