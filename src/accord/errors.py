"""The one base of every error a user can cause: the faces catch `AccordError` once and print its
message, which names files, rows, fields and internal ids, never a person's value."""

from __future__ import annotations


class AccordError(Exception):
    """Something the user can fix (a file, an option, a state); the message is one line for them."""
