"""Where the hub keeps encoded rosters and lookup models: under the data directory, beside the
database, one folder per agreement, since encodings made for one agreement never compare with
another's (ADR 0015). They hold keyed encodings only (see docs/architecture.md)."""

from __future__ import annotations

import re
from pathlib import Path

from accord.config import data_dir
from accord.errors import AccordError

_SAFE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")


class UnsafeName(AccordError, ValueError):
    """An agency or agreement id that cannot name a folder (it would leave the hub's directory)."""


def _folder(name: str, what: str) -> str:
    if not _SAFE.fullmatch(name) or ".." in name:
        raise UnsafeName(f"{what} {name!r} cannot name a folder")
    return name


def _hub_dir() -> Path:
    return data_dir() / "hub"


def agreement_dir(agreement_id: str) -> Path:
    """Everything the hub keeps for linkage under one agreement."""
    return _hub_dir() / "agreements" / _folder(agreement_id, "agreement id")


def roster_path(agreement_id: str, agency_id: str) -> Path:
    """The agency's roster encoded for the agreement (every person it submitted for it)."""
    return agreement_dir(agreement_id) / _folder(agency_id, "agency id") / "roster.parquet"


def lookup_model_path(agreement_id: str, source_agency_id: str, requester_agency_id: str) -> Path:
    """The model for finding children of `source_agency_id`'s roster, under the agreement, for
    requests from `requester_agency_id`."""
    return (agreement_dir(agreement_id) / _folder(source_agency_id, "agency id")
            / f"lookup-{_folder(requester_agency_id, 'agency id')}.json")


def is_stored(path: Path) -> bool:
    """Whether `path` is one of the encoded files the hub keeps for its agreements."""
    return path.resolve().is_relative_to(_hub_dir().resolve())


def stored_rosters() -> list[Path]:
    """Every encoded roster the hub holds, for scans and for the operator's attacks in the tests."""
    return sorted(_hub_dir().glob("agreements/*/*/roster.parquet"))
