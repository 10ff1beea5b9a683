"""The one base of every error a user can cause: the faces catch `AccordError` once and print its
message, which names files, rows, fields and internal ids, never a person's value."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Self

BAD_INPUT = 2  # the exit code of most errors: something the user typed or supplied is wrong
BUSY = 75  # EX_TEMPFAIL: another process holds the store; the same command later will do


class AccordError(Exception):
    """Something the user can fix (a file, an option, a state); the message is one line for them,
    and `exit_code` is the command line's exit status for it."""

    exit_code: int = BAD_INPUT
    # A stable name of this refusal, by which a page words it in the reader's language: given where it
    # is raised (`coded`), or by a class whose every refusal reads the same to a page (a key that cannot
    # be read, stored rules the service cannot use: what only the administrator or an officer can mend).
    code: str = ""
    values: Mapping[str, str] = MappingProxyType({})

    def coded(self, code: str, **values: str) -> Self:
        """This refusal named `code`, its message unchanged; `values` are what a worded refusal may
        show (ids and dates someone typed; never a person's name, birth date or address)."""
        self.code, self.values = code, MappingProxyType(values)
        return self


class Conflicting(AccordError):
    """A write that would contradict what is stored (a duplicate, a reference to something not
    registered, a second acknowledgement): the service answers 409 Conflict, not 400 (the store's
    Conflict derives from it, so that the faces, which never import the store, can tell it apart)."""


class StoreBusy(AccordError):
    """Another process held the store past the wait: nothing of this run was written."""

    exit_code = BUSY
