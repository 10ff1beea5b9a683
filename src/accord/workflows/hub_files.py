"""Where the hub keeps each agency's encoded roster and lookup models: under the data directory,
beside the database. They hold keyed encodings only (see docs/architecture.md)."""

from __future__ import annotations

import re
from pathlib import Path

from accord.config import data_dir

_SAFE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")


def _agency_dir(agency_id: str) -> Path:
    if not _SAFE.fullmatch(agency_id) or ".." in agency_id:
        raise ValueError(f"agency id {agency_id!r} cannot name a folder")
    return data_dir() / "hub" / agency_id


def roster_path(agency_id: str) -> Path:
    """The agency's encoded roster (all its loaded people)."""
    return _agency_dir(agency_id) / "roster.parquet"


def lookup_model_path(source_agency_id: str, requester_agency_id: str) -> Path:
    """The model for finding children of `source_agency_id`'s roster for requests from another agency."""
    return _agency_dir(source_agency_id) / f"lookup-{_agency_dir(requester_agency_id).name}.json"
