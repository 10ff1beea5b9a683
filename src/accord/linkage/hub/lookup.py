"""Finding one child in an agency's encoded roster, for a case-level request.

The model is trained when a partner agency's roster is loaded (`train_lookup_model`), by linking
that roster with the education roster: u from random pairs within each, m by EM over the pairs
the two share. A roster alone cannot teach m (it holds too few duplicates for EM to learn how a
child's identity varies between records). A request then arrives as one encoded record (the
requester's agency encoded its own identity fields under the shared key) and is scored against
the roster with the saved model: blocking on the same tokens, the same comparisons, no retraining
(`lookup_scorer` scores as Splink's `predict_between` does, with its SQL compiled once per roster
and model and kept while the service runs). The prior becomes one in the roster's size: the request names
one child, who is at most one of the roster's records. The caller decides what the candidates mean;
`resolve` gives the rule Accord uses, which never guesses between two children.
"""

from __future__ import annotations

import json
import logging
import math
import threading
from collections import OrderedDict
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from accord.linkage.hub.backends import DuckDBBackend
from accord.linkage.hub.link import start_job
from accord.linkage.hub.lookup_scorer import LookupScorer
from accord.linkage.hub.training import train

CANDIDATE_PROBABILITY = 0.5  # a pair at least this likely is a candidate for the child
CONFIDENT_PROBABILITY = 0.99  # a lone candidate must reach this to be taken as the child


@dataclass(frozen=True, slots=True)
class Candidate:
    """A roster record that may be the requested child, with its match probability."""

    record_id: str
    match_probability: float


class Resolution(StrEnum):
    FOUND = "found"
    NOT_FOUND = "not_found"
    AMBIGUOUS = "ambiguous"
    UNCERTAIN = "uncertain"


def train_lookup_model(roster: Path, partner: Path, model_out: Path, seed: int = 1) -> None:
    """Train the model for lookups in `roster` by requests from `partner`'s agency; save its JSON."""
    backend = DuckDBBackend()
    try:
        # Splink warns of every level a small roster leaves untrained; the defaults it keeps are
        # fine for a lookup, and an intake's output is for the records officer: errors only.
        job = start_job(backend, [roster, partner], ["roster", "partner"], "link_only", logging.ERROR)
        train(job, seed, lambda _stage: None)
        model = job.linker.misc.save_model_to_json()
    finally:
        backend.close()
    tmp = model_out.with_suffix(model_out.suffix + ".tmp")
    tmp.write_text(json.dumps(model), encoding="utf-8")
    tmp.replace(model_out)


# Scorers of the rosters asked about lately, by the files' identity: an intake that replaces a roster
# or retrains its model writes a new file (renamed over the old), which is a new key.
_SCORERS: OrderedDict[tuple[tuple[object, ...], ...], LookupScorer] = OrderedDict()
_KEPT = 4  # a statewide roster of 1M children holds about 0.7 GB in memory
_LOCK = threading.Lock()


def _identity(path: Path) -> tuple[object, ...]:
    stat = path.stat()
    return str(path.resolve()), stat.st_ino, stat.st_mtime_ns, stat.st_size


def _scorer(roster: Path, model: Path) -> LookupScorer:
    key = (_identity(roster), _identity(model))
    with _LOCK:
        if key in _SCORERS:
            _SCORERS.move_to_end(key)
            return _SCORERS[key]
    built = LookupScorer(roster, model)  # outside the lock: a load takes a moment
    with _LOCK:
        _SCORERS[key] = built
        while len(_SCORERS) > _KEPT:
            _SCORERS.popitem(last=False)
    return built


def _probability(weight: float) -> float:
    return 1.0 / (1.0 + math.pow(2.0, -weight))


def find_candidates(roster: Path, model: Path, query: Path) -> dict[str, list[Candidate]]:
    """For each record of `query`, the roster records that may be that person, most likely first."""
    found: dict[str, list[Candidate]] = {}
    for asked, known, weight in _scorer(roster, model).candidates(query):
        found.setdefault(asked, []).append(Candidate(known, _probability(weight)))
    return found


def resolve(candidates: list[Candidate]) -> tuple[Resolution, Candidate | None]:
    """One confident candidate is the child; none, two or more, or one unsure, is a refusal."""
    if not candidates:
        return Resolution.NOT_FOUND, None
    if len(candidates) > 1:
        return Resolution.AMBIGUOUS, None
    if candidates[0].match_probability < CONFIDENT_PROBABILITY:
        return Resolution.UNCERTAIN, None
    return Resolution.FOUND, candidates[0]
