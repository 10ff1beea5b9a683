"""Linking encoded rosters with Splink: train, predict, then assign one-to-one or cluster.

Training is unsupervised (ADR 0009) and follows `training_plan`: u-probabilities from random pairs
within each file, for salted filters from pairs sharing the salt, for the birth date by exact
counts; m-probabilities by EM on token blocks, for the birth date from pairs that are one child by
household and first name; the prior from pairs that agree on two tokens at once. The hub sees only
keyed encodings and the agencies' record ids; it writes pairs (or clusters) of record ids.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from splink import Linker
from splink.internals.splink_dataframe import SplinkDataFrame

from accord.linkage.hub.anchored_m import estimate_anchored_m
from accord.linkage.hub.backends import Backend, open_backend
from accord.linkage.hub.encoded import common_layout
from accord.linkage.hub.exact_u import estimate_date_u, estimate_identifier_u
from accord.linkage.hub.model import settings
from accord.linkage.hub.query import query_frame
from accord.linkage.hub.salted_u import estimate_salted_u
from accord.linkage.hub.training_plan import (
    ANCHORED_M,
    EXACT_U,
    IDENTIFIER,
    U_SAMPLING_TOKENS,
    date_anchor,
    em_passes,
)
from accord.linkage.hub.within_file_u import estimate_u_within_files

DEFAULT_THRESHOLD = 0.5  # the Bayes decision: a link is more likely than not
U_PAIRS = 1e6
EM_PAIRS = 5e5  # per EM pass: Splink samples the blocked pairs down to about this many
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


@dataclass
class Job:
    """One Splink run: the linker, its registered inputs, the backend, the model dictionary and the
    number of 64-bit words per filter."""

    linker: Linker
    inputs: list[SplinkDataFrame]
    backend: Backend
    model: dict[str, Any]
    words: int


def train(job: Job, seed: int, report: Progress) -> None:
    """Estimate the prior, u and m of the job's model from its own data (no labels)."""
    linker, inputs = job.linker, job.inputs
    training = linker.training
    report("estimating the share of matching pairs")
    both = "l.tok_dob_first = r.tok_dob_first AND l.tok_swapped_names = r.tok_swapped_names"
    training.estimate_probability_two_random_records_match([both], recall=0.8)
    report("estimating u-probabilities from random pairs")
    # One file (deduplication) is sampled the same way: random pairs within it.
    estimate_u_within_files(linker, job.backend.db_api, inputs, job.model, U_PAIRS, seed,
                            skip={*U_SAMPLING_TOKENS, EXACT_U})
    report("estimating u-probabilities of salted comparisons within their salt")
    estimate_salted_u(linker, inputs, U_SAMPLING_TOKENS)
    report("counting u-probabilities of the birth date and the identifier within each file")
    estimate_date_u(linker, inputs, EXACT_U)
    estimate_identifier_u(linker, inputs, *IDENTIFIER)
    for label, rule in em_passes(linking=len(inputs) > 1):
        report(f"EM on pairs blocked by {label}")
        # Splink's EM session edits the model in place (drops the comparisons the block biases,
        # swaps the prior) and puts it back only when the pass succeeds; keep a copy to restore.
        model = linker._settings_obj.core_model_settings.copy()  # type: ignore[no-untyped-call]
        try:
            training.estimate_parameters_using_expectation_maximisation(
                rule, estimate_without_term_frequencies=True, max_pairs=EM_PAIRS)
        except ValueError:
            # On a small file a pass can find no pairs, or drive a level's m to zero, which Splink
            # refuses; the other passes still train those levels, so this one is skipped.
            linker._settings_obj.core_model_settings = model
            report(f"EM on pairs blocked by {label}: too few pairs, skipped")
    report("m-probabilities of the birth date from one household and one first name")
    estimate_anchored_m(linker, inputs, ANCHORED_M, date_anchor(job.words))


def start_job(backend: Backend, paths: list[Path], names: list[str], link_type: str,
              log_level: int = logging.WARNING) -> Job:
    """Load the encoded files into `backend` and build an untrained linker over them."""
    layout = common_layout(paths)
    frames = [backend.load(p, n, layout) for p, n in zip(paths, names, strict=True)]
    model = settings(layout, link_type)
    linker = Linker(frames if len(frames) > 1 else frames[0], model, log_level=log_level)
    return Job(linker, frames, backend, model, layout.words)


def _predict(job: Job, threshold: float, seed: int, report: Progress) -> SplinkDataFrame:
    train(job, seed, report)
    report("scoring candidate pairs")
    return job.linker.inference.predict(threshold_match_probability=threshold)


def _one_to_one_sql(predictions: str, clusters: str) -> str:
    """Scored pairs whose two records ended in one cluster, oriented left to right."""
    left_first = "p.source_dataset_l = 'left'"
    return f"""
        SELECT CASE WHEN {left_first} THEN p.record_id_l ELSE p.record_id_r END AS left_id,
               CASE WHEN {left_first} THEN p.record_id_r ELSE p.record_id_l END AS right_id,
               p.match_probability
        FROM {predictions} p
        JOIN {clusters} cl ON cl.record_id = p.record_id_l AND cl.source_dataset = p.source_dataset_l
        JOIN {clusters} cr ON cr.record_id = p.record_id_r AND cr.source_dataset = p.source_dataset_r
        WHERE cl.cluster_id = cr.cluster_id
        ORDER BY left_id, right_id"""


def link_pairs(left: Path, right: Path, options: LinkOptions, report: Progress = _silent) -> Any:
    """One-to-one links between two files: a pandas frame of left_id, right_id, match_probability."""
    _quiet_splink()
    backend = open_backend(options.backend, options.workspace)
    try:
        job = start_job(backend, [left, right], ["left", "right"], "link_only")
        linker, predictions = job.linker, _predict(job, options.threshold, options.seed, report)
        report("assigning one-to-one (single best links)")
        clusters = linker.clustering.cluster_using_single_best_links(
            predictions, duplicate_free_datasets=["left", "right"],
            threshold_match_probability=options.threshold)
        return query_frame(linker, _one_to_one_sql(predictions.physical_name, clusters.physical_name))
    finally:
        backend.close()


def dedupe_pairs(source: Path, options: LinkOptions, report: Progress = _silent) -> Any:
    """Pairs of records within one file that are the same person, with their match probability."""
    _quiet_splink()
    backend = open_backend(options.backend, options.workspace)
    try:
        job = start_job(backend, [source], ["roster"], "dedupe_only")
        linker, predictions = job.linker, _predict(job, options.threshold, options.seed, report)
        return query_frame(linker, f"""
            SELECT record_id_l AS left_id, record_id_r AS right_id, match_probability
            FROM {predictions.physical_name} ORDER BY left_id, right_id""")
    finally:
        backend.close()


def cluster_records(sources: list[Path], options: LinkOptions, report: Progress = _silent) -> Any:
    """Clusters across three or more agencies' files: cluster_id, source, record_id.

    Each file is taken to hold one record per person, so a cluster has at most one record of each.
    """
    _quiet_splink()
    names = [f"s{i}" for i in range(len(sources))]
    backend = open_backend(options.backend, options.workspace)
    try:
        job = start_job(backend, sources, names, "link_only")
        linker, predictions = job.linker, _predict(job, options.threshold, options.seed, report)
        report("clustering (single best links)")
        clusters = linker.clustering.cluster_using_single_best_links(
            predictions, duplicate_free_datasets=names, threshold_match_probability=options.threshold)
        frame = query_frame(linker, f"""
            SELECT cluster_id, source_dataset AS source, record_id
            FROM {clusters.physical_name} ORDER BY cluster_id, source, record_id""")
        frame["source"] = frame["source"].map(dict(zip(names, (p.name for p in sources), strict=True)))
        return frame
    finally:
        backend.close()
