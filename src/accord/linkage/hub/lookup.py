"""Finding one child in an agency's encoded roster, for a case-level request.

The model is trained when a partner agency's roster is loaded (`train_lookup_model`), by linking
that roster with the education roster: u from random pairs within each, m by EM over the pairs
the two share. A roster alone cannot teach m (it holds too few duplicates for EM to learn how a
child's identity varies between records). A request then arrives as one encoded record (the
requester's agency encoded its own identity fields under the shared key) and is scored against
the roster with the saved model (Splink's `predict_between`): blocking on the same tokens, the
same comparisons, no retraining. The prior becomes one in the roster's size: the request names
one child, who is at most one of the roster's records. The caller decides what the candidates mean;
`resolve` gives the rule Accord uses, which never guesses between two children.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from splink import Linker

from accord.linkage.hub.backends import DuckDBBackend
from accord.linkage.hub.encoded import common_layout
from accord.linkage.hub.link import start_job
from accord.linkage.hub.query import query_frame
from accord.linkage.hub.roster_store import roster_size
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


def _term_frequency_columns(settings: dict[str, Any]) -> list[str]:
    """The tokens the saved model adjusts by term frequency (predict_between needs their tables)."""
    return sorted({level["tf_adjustment_column"] for comparison in settings["comparisons"]
                   for level in comparison["comparison_levels"] if "tf_adjustment_column" in level})


def find_candidates(roster: Path, model: Path, query: Path) -> dict[str, list[Candidate]]:
    """For each record of `query`, the roster records that may be that person, most likely first."""
    layout = common_layout([roster, query])
    settings = json.loads(model.read_text(encoding="utf-8"))
    settings["probability_two_random_records_match"] = 1 / max(roster_size(roster), 1)
    backend = DuckDBBackend()
    try:
        known = backend.load(roster, "roster", layout)
        asked = backend.load(query, "query", layout)
        linker = Linker([known, asked], settings, log_level=logging.ERROR)
        for column in _term_frequency_columns(settings):
            linker.table_management.compute_tf_table(column)
        scored = linker.inference.predict_between(
            known, asked, threshold_match_probability=CANDIDATE_PROBABILITY, warning_mode="never")
        frame = query_frame(linker, f"""
            SELECT record_id_r AS asked, record_id_l AS known, max(match_probability) AS p
            FROM {scored.physical_name} GROUP BY record_id_r, record_id_l ORDER BY asked, p DESC, known""")
    finally:
        backend.close()
    found: dict[str, list[Candidate]] = {}
    for asked, known, p in zip(frame["asked"], frame["known"], frame["p"], strict=True):
        found.setdefault(str(asked), []).append(Candidate(str(known), float(p)))
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
