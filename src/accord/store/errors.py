"""Errors the repositories raise, worded so they are safe to show (no student identifiers).

Database drivers put row values into their messages (PostgreSQL's DETAIL line names the key,
e.g. a student id), so constraint violations are translated into these before they leave
the store, and the driver's text is dropped.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from sqlalchemy.exc import IntegrityError

from accord.errors import AccordError, Conflicting

P = ParamSpec("P")
R = TypeVar("R")


class StoreError(AccordError):
    """Base for errors the store raises on purpose."""


class NotFound(StoreError, LookupError):
    """A record the caller named does not exist."""


class Conflict(StoreError, Conflicting, ValueError):
    """A write broke a constraint: a duplicate, or a reference to something not registered (the API's 409)."""


def _kind(err: IntegrityError) -> str:
    code = getattr(err.orig, "sqlstate", None)
    text = str(err.orig).lower()
    if code == "23503" or "foreign key" in text:
        return "it refers to a record that is not registered"
    if code == "23505" or "unique" in text:
        return "a record with the same key already exists"
    return "it breaks a database constraint"


def guarded(action: str) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Turn IntegrityError from `action` into Conflict, without the driver's row values."""

    def wrap(fn: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(fn)
        def inner(*args: P.args, **kwargs: P.kwargs) -> R:
            try:
                return fn(*args, **kwargs)
            except IntegrityError as err:
                # `from None`: the original message (with key values) must not be chained.
                raise Conflict(f"{action} failed: {_kind(err)}").coded("contradicts_the_store") from None

        return inner

    return wrap
