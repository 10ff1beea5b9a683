"""The pages, one module per person's job, each with a `router` and its `MENU` (the links the
header shows to the roles it serves). Every module of this package is a page module: a new one is
served by being here, and the header lists its links after the home page's, in module-name order."""

from __future__ import annotations

import pkgutil
from importlib import import_module

from accord.domain.agencies import Role

FIRST = "session"  # the home page, signing in and out
PAGES = (FIRST, *sorted(m.name for m in pkgutil.iter_modules(__path__) if m.name != FIRST))


def menu(role: Role) -> list[tuple[str, str]]:
    """(path, label) of every page the header offers `role`, in the order of PAGES."""
    items: list[tuple[str, str]] = []
    for name in PAGES:
        for roles, path, label in getattr(import_module(f"accord.web.pages.{name}"), "MENU", ()):
            if role in roles:
                items.append((path, label))
    return items
