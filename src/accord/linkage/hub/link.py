"""Linking encoded rosters with Splink: train, predict, then assign one-to-one or cluster.

Training is unsupervised (ADR 0009) and follows `training_plan` on what the files carry
(`training.train`). The hub sees only keyed encodings and the agencies' record ids; it writes pairs
(or clusters) of record ids, the training steps it ran or skipped (step names only), and its
figures for a report (figures.py: counts, probabilities, m and u; no record id).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from splink import Linker
from splink.internals.splink_dataframe import SplinkDataFrame

from accord.errors import AccordError
from accord.linkage.hub.assigned import (
    LINK_PROBABILITY,
    Assignment,
    assignment_of,
    rivals_sql,
    with_link_probability,
)
from accord.linkage.hub.backends import Backend, open_backend
from accord.linkage.hub.carried import Carried, carried
from accord.linkage.hub.chance_u import pooled
from accord.linkage.hub.encoded import common_layout, read_chance_agreement
from accord.linkage.hub.figures import RunFigures, measure
from accord.linkage.hub.model import settings
from accord.linkage.hub.query import count_rows, query_frame
from accord.linkage.hub.training import TrainingSummary, train

DEFAULT_THRESHOLD = 0.5  # the Bayes decision: a link is more likely than not
Progress = Callable[[str], None]


def _silent(stage: str) -> None:
    """The default progress report: none."""


@dataclass(frozen=True, slots=True)
class LinkOptions:
    """How to link: backend, match threshold, and a DuckDB workspace file for large runs."""

    backend: str = "duckdb"
    threshold: float = DEFAULT_THRESHOLD
    workspace: Path | None = None
    seed: int = 1


def _quiet_splink() -> None:
    # Splink logs its progress with SQL and table names; nothing in it is identifying, but the hub's
    # own progress callback is what a user reads.
    logging.getLogger("splink").setLevel(logging.WARNING)


class LinkageRefused(AccordError, ValueError):
    """The files cannot be linked as they are (no identity field in common, nothing to compare);
    the message names fields and files, never a value."""


@dataclass
class Job:
    """One Splink run: the linker, its registered inputs, the backend, the model dictionary, the
    number of 64-bit words per filter and what the files carry."""

    linker: Linker
    inputs: list[SplinkDataFrame]
    backend: Backend
    model: dict[str, Any]
    words: int
    carried: Carried
    chance: dict[str, list[int]]  # the nodes' chance-agreement histograms, pooled (chance_u.py)


@dataclass(frozen=True, slots=True)
class LinkRun:
    """A run's result (a pandas frame of pairs or clusters), how it trained (step names only) and
    its figures (counts, probabilities, m and u; no record id)."""

    result: Any
    training: TrainingSummary
    figures: RunFigures


def start_job(backend: Backend, paths: list[Path], names: list[str], link_type: str,
              log_level: int = logging.WARNING, levels: bool = False) -> Job:
    """Load the encoded files into `backend` and build an untrained linker over them; with
    `levels`, its predictions keep each pair's comparison levels (gamma_*), for a reviewer."""
    layout = common_layout(paths)
    frames = [backend.load(p, n, layout) for p, n in zip(paths, names, strict=True)]
    inputs = frames if len(frames) > 1 else frames[0]
    have = carried(backend.db_api, frames, layout)
    model = settings(layout, link_type, have)
    model["retain_intermediate_calculation_columns"] = levels
    if not model["blocking_rules_to_generate_predictions"] or not model["comparisons"]:
        files = ", ".join(p.name for p in paths)
        raise LinkageRefused(f"{files}: no identity field is carried by every file in enough records to "
                             "link on (a birth date, a name with a birth date, an address or an identifier)"
                             ).coded("nothing_to_link_on")
    # Splink's settings check only logs, and parsing every comparison's SQL for it costs most of a
    # small file's start; tests/integration/test_link_levels.py runs it on the model instead.
    linker = Linker(inputs, model, log_level=log_level, validate_settings=False)
    chance = pooled([read_chance_agreement(p) for p in paths])
    return Job(linker, frames, backend, model, layout.words, have, chance)


@dataclass(frozen=True, slots=True)
class _Scored:
    """The pairs scored at or above `threshold`, how the model trained, how many candidate pairs the
    blocking rules gave, and the trained model's assignment figures when the run asked for them."""

    predictions: SplinkDataFrame
    training: TrainingSummary
    compared: int
    threshold: float
    assignment: Assignment | None = None


def _predict(job: Job, threshold: float, seed: int, report: Progress, assigned: bool = False) -> _Scored:
    """Train, then score the blocked pairs at or above `threshold`; with `assigned`, at or above the
    floor the trained model's assignment figures set instead (every rival that counts, assigned.py)."""
    trained = train(job, seed, report)
    assignment = assignment_of(job) if assigned else None
    if assignment is not None:
        threshold = assignment.floor_probability
    report("scoring candidate pairs")
    # Blocking is predict's first step. Run on its own (Splink's public step for it), its pairs can
    # be counted for the report: predict finds them in Splink's cache and scores them without
    # blocking again. Predict drops the pairs it blocked itself; these are dropped here.
    inference = job.linker.inference
    blocked = inference.compute_blocked_pairs_for_predict()
    compared = count_rows(job.linker, blocked.physical_name)
    predictions = inference.predict(threshold_match_probability=threshold)
    blocked.drop_table_from_database_and_remove_from_cache()
    return _Scored(predictions, trained, compared, threshold, assignment)


def _one_to_one_sql(predictions: str, clusters: str, evidence: list[str], ordered: bool = True) -> str:
    """Scored pairs whose two records ended in one cluster, oriented left to right (with the
    `evidence` columns of the comparison: levels and weights, symmetric, never a value); unordered
    as part of a larger query that orders its own result."""
    left_first = "p.source_dataset_l = 'left'"
    extra = "".join(f", p.{name}" for name in evidence)
    return f"""
        SELECT CASE WHEN {left_first} THEN p.record_id_l ELSE p.record_id_r END AS left_id,
               CASE WHEN {left_first} THEN p.record_id_r ELSE p.record_id_l END AS right_id,
               p.match_probability{extra}
        FROM {predictions} p
        JOIN {clusters} cl ON cl.record_id = p.record_id_l AND cl.source_dataset = p.source_dataset_l
        JOIN {clusters} cr ON cr.record_id = p.record_id_r AND cr.source_dataset = p.source_dataset_r
        WHERE cl.cluster_id = cr.cluster_id""" + ("\n        ORDER BY left_id, right_id" if ordered else "")


def _evidence_columns(predictions: SplinkDataFrame) -> list[str]:
    """The pair's match weight, and per comparison its level (gamma_*) and weight (mw_*, as Splink 5
    names them): what a reviewer may see. Not the tokens' frequencies (tf_*)."""
    names = [c.unquote().name for c in predictions.columns]
    return [n for n in names if n.startswith(("gamma_", "mw_")) or n == "match_weight"]


def link_pairs(left: Path, right: Path, options: LinkOptions, report: Progress = _silent,
               evidence: bool = False, assigned: bool = False) -> LinkRun:
    """One-to-one links between two files: a pandas frame of left_id, right_id, match_probability
    (and with `evidence`, the pair's comparison levels and match weight). With `assigned`, each
    link also carries its `link_probability` as a link of a one-to-one matching (assigned.py), and
    the threshold applies to that."""
    _quiet_splink()
    backend = open_backend(options.backend, options.workspace)
    try:
        job = start_job(backend, [left, right], ["left", "right"], "link_only", levels=evidence)
        linker, scored = job.linker, _predict(job, options.threshold, options.seed, report, assigned)
        report("assigning one-to-one (single best links)")
        kept = scored.threshold
        clusters = linker.clustering.cluster_using_single_best_links(
            scored.predictions, duplicate_free_datasets=["left", "right"], threshold_match_probability=kept)
        extra = _evidence_columns(scored.predictions) if evidence else []
        if scored.assignment is not None:
            pairs = _assigned_pairs(job, scored.assignment, scored.predictions.physical_name,
                                    clusters.physical_name, extra, options.threshold)
        else:
            pairs = query_frame(linker, _one_to_one_sql(scored.predictions.physical_name,
                                                        clusters.physical_name, extra))
        figures = measure(job, "link", [left.name, right.name], scored.compared, scored.predictions,
                          "links", pairs["match_probability"], kept)
        return LinkRun(pairs, scored.training, figures)
    finally:
        backend.close()


def _assigned_pairs(job: Job, assignment: Assignment, predictions: str, clusters: str, evidence: list[str],
                    threshold: float) -> Any:
    """The one-to-one pairs whose link probability (assigned.py) is at or above `threshold`."""
    weighed = [*evidence, *(["match_weight"] if "match_weight" not in evidence else [])]
    one_to_one = _one_to_one_sql(predictions, clusters, weighed, ordered=False)
    pairs = with_link_probability(query_frame(job.linker, rivals_sql(predictions, one_to_one,
                                                                     assignment.pair_prior)), assignment)
    if "match_weight" not in evidence:
        pairs = pairs.drop(columns=["match_weight"])
    return pairs[pairs[LINK_PROBABILITY] >= threshold].reset_index(drop=True)


def dedupe_pairs(source: Path, options: LinkOptions, report: Progress = _silent) -> LinkRun:
    """Pairs of records within one file that are the same person, with their match probability."""
    _quiet_splink()
    backend = open_backend(options.backend, options.workspace)
    try:
        job = start_job(backend, [source], ["roster"], "dedupe_only")
        linker, scored = job.linker, _predict(job, options.threshold, options.seed, report)
        pairs = query_frame(linker, f"""
            SELECT record_id_l AS left_id, record_id_r AS right_id, match_probability
            FROM {scored.predictions.physical_name} ORDER BY left_id, right_id""")
        figures = measure(job, "dedupe", [source.name], scored.compared, scored.predictions,
                          "duplicate pairs", pairs["match_probability"], options.threshold)
        return LinkRun(pairs, scored.training, figures)
    finally:
        backend.close()


def cluster_records(sources: list[Path], options: LinkOptions, report: Progress = _silent) -> LinkRun:
    """Clusters across three or more agencies' files: cluster_id, source, record_id.

    Each file is taken to hold one record per person, so a cluster has at most one record of each.
    """
    _quiet_splink()
    names = [f"s{i}" for i in range(len(sources))]
    backend = open_backend(options.backend, options.workspace)
    try:
        job = start_job(backend, sources, names, "link_only")
        linker, scored = job.linker, _predict(job, options.threshold, options.seed, report)
        report("clustering (single best links)")
        clusters = linker.clustering.cluster_using_single_best_links(
            scored.predictions, duplicate_free_datasets=names, threshold_match_probability=options.threshold)
        frame = query_frame(linker, f"""
            SELECT cluster_id, source_dataset AS source, record_id
            FROM {clusters.physical_name} ORDER BY cluster_id, source, record_id""")
        frame["source"] = frame["source"].map(dict(zip(names, (p.name for p in sources), strict=True)))
        # Clusters carry no probability: the bands count the scored pairs the clustering started from.
        pairs = query_frame(linker, f"SELECT match_probability FROM {scored.predictions.physical_name}")
        figures = measure(job, "cluster", [p.name for p in sources], scored.compared, scored.predictions,
                          "scored pairs", pairs["match_probability"], options.threshold)
        return LinkRun(frame, scored.training, figures)
    finally:
        backend.close()
