"""The pages, one module per person's job, each with a `router` and its `MENU` (the links the
header shows to the roles it serves). `PAGES` lists them; a new module is added here, nowhere else."""

from __future__ import annotations

from importlib import import_module

from accord.domain.agencies import Role

PAGES = ("session",)


def menu(role: Role) -> list[tuple[str, str]]:
    """(path, label) of every page the header offers `role`, in the order of PAGES."""
    items: list[tuple[str, str]] = []
    for name in PAGES:
        for roles, path, label in getattr(import_module(f"accord.web.pages.{name}"), "MENU", ()):
            if role in roles:
                items.append((path, label))
    return items
