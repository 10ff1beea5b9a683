"""Where the hub keeps encoded rosters and lookup models: in its folder under the data directory
(Settings.hub_dir), beside the database, one folder per agreement, since encodings made for one
agreement never compare with another's (ADR 0015). They hold keyed encodings only (see
docs/architecture.md)."""

from __future__ import annotations

import fcntl
import os
import re
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from accord.errors import AccordError

PENDING = "pending"
_SAFE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")


class UnsafeName(AccordError, ValueError):
    """An agency or agreement id that cannot name a folder (it would leave the hub's directory)."""


def _folder(name: str, what: str) -> str:
    if not _SAFE.fullmatch(name) or ".." in name:
        raise UnsafeName(f"{what} {name!r} cannot name a folder")
    return name


@dataclass(frozen=True, slots=True)
class HubFiles:
    """The hub's folder of encoded files (Settings.hub_dir), passed to every workflow that
    reads or writes one."""

    root: Path

    def agreement_dir(self, agreement_id: str) -> Path:
        """Everything the hub keeps for linkage under one agreement."""
        return self.root / "agreements" / _folder(agreement_id, "agreement id")

    def roster_path(self, agreement_id: str, agency_id: str) -> Path:
        """The agency's roster encoded for the agreement (every person it submitted for it)."""
        return self.agreement_dir(agreement_id) / _folder(agency_id, "agency id") / "roster.parquet"

    def lookup_model_path(self, agreement_id: str, source_agency_id: str, requester_agency_id: str) -> Path:
        """The model for finding children of `source_agency_id`'s roster, under the agreement, for
        requests from `requester_agency_id`."""
        return (self.agreement_dir(agreement_id) / _folder(source_agency_id, "agency id")
                / f"lookup-{_folder(requester_agency_id, 'agency id')}.json")

    def submission_paths(self, agreement_id: str, agency_id: str) -> tuple[Path, Path]:
        """(encodings, copy) an agency submitted for the next run of the agreement's cross-check;
        both are deleted once that run is recorded."""
        folder = (self.root / "crosschecks" / _folder(agreement_id, "agreement id")
                  / _folder(agency_id, "agency id"))
        return folder / "encodings.parquet", folder / "copy.csv"

    def study_dir(self, study_id: str) -> Path:
        """A study's own folder: its DuckDB table and its pseudonym key, destroyed with it."""
        return self.root / "studies" / _folder(study_id, "study id")

    def study_submission_paths(self, study_id: str, agency_id: str) -> tuple[Path, Path]:
        """(encodings, copy) an agency submitted for the study's next build; deleted by it."""
        folder = self.study_dir(study_id) / "submissions" / _folder(agency_id, "agency id")
        return folder / "encodings.parquet", folder / "copy.csv"

    def is_stored(self, path: Path) -> bool:
        """Whether `path` is one of the encoded files the hub keeps for its agreements."""
        return path.resolve().is_relative_to(self.root.resolve())

    def stored_rosters(self) -> list[Path]:
        """Every encoded roster the hub holds, for scans and for the operator's attacks in the tests."""
        return sorted(self.root.glob("agreements/*/*/roster.parquet"))

    def submitted_encodings(self) -> list[Path]:
        """Every cross-check submission's encodings waiting for their run."""
        return sorted(self.root.glob("crosschecks/*/*/encodings.parquet"))

    # A load's encodings between its commit and its roster merge (hub_recovery).

    def new_pending(self, agreement_id: str, agency_id: str) -> Path:
        """A fresh path for a load's encodings, written before its commit and merged after it. The
        name carries the writer's process id (is it still running?) and a random token (unique)."""
        folder = self.roster_path(agreement_id, agency_id).parent / PENDING
        folder.mkdir(parents=True, exist_ok=True)
        return folder / f"{os.getpid()}-{secrets.token_hex(8)}.parquet"

    def pending_files(self) -> list[Path]:
        """Every load's encodings not merged yet: `agreements/<agreement>/<agency>/pending/*`."""
        return sorted(self.root.glob(f"agreements/*/*/{PENDING}/*.parquet"))

    @contextmanager
    def agreement_lock(self, agreement_id: str, *, wait: bool = True) -> Iterator[bool]:
        """Hold the agreement's rosters for one process at a time (merges, training, deletion):
        yields True when held; False, without waiting, when `wait` is off and another holds them.
        An OS lock on a file, released by the OS if the holder is killed."""
        folder = self.agreement_dir(agreement_id)
        folder.mkdir(parents=True, exist_ok=True)
        with (folder / ".lock").open("a") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX if wait else fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                yield False
                return
            try:
                yield True
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)


def pending_parties(path: Path) -> tuple[str, str]:
    """(agreement, agency) of a pending file."""
    return path.parent.parent.parent.name, path.parent.parent.name


def writer_running(path: Path) -> bool:
    """Whether the process that wrote a pending file may still be running (then its own run
    merges or deletes it)."""
    try:
        pid = int(path.name.split("-", 1)[0])
    except ValueError:
        return False
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's live process
        return True
    return True
