"""Helpers shared by the encoder's unit tests."""

from __future__ import annotations

from accord.linkage.encode.record import EncodedRecord


def bloom(record: EncodedRecord, field: str) -> bytes:
    """The record's filter for `field`, which the test expects to be there."""
    value = record.blooms[field]
    assert value is not None, field
    return value
