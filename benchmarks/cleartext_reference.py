"""Independent clear-text yardstick: the Splink model a plain Splink user writes from Splink's docs.

It shares nothing with Accord (no `accord` import, no custom normalisation, nicknames or phonetic
keys) and is fixed by the project's issue, every piece taken from Splink 5's own library and
tutorials (the DuckDB examples `febrl3` and `febrl4` and the API docs of `splink.comparison_library`,
`splink.block_on`, `linker.training`, `linker.inference` and `linker.clustering`):

* input: the canonical roster CSV read as text; the only preparation is the tutorial one,
  lower-case and strip, empty -> null (Splink treats null as "no information");
* comparisons: `cl.NameComparison` on first_name and on last_name (default Jaro-Winkler levels
  0.92/0.88/0.7), `cl.DateOfBirthComparison(input_is_string=True, datetime_format="%Y-%m-%d")`
  (default `invalid_dates_as_null=True`: a birth date that does not parse is null, not an error),
  `cl.JaroWinklerAtThresholds` on street_address and on city (default 0.9/0.7), `cl.ExactMatch`
  on postcode; no term-frequency adjustments (the issue names none);
* blocking for prediction: `block_on` (first_name, last_name), (date_of_birth),
  (postcode, first_name), (postcode, last_name), (street_address);
* training as in the tutorials: `estimate_probability_two_random_records_match` from the
  deterministic rule (first_name, last_name, date_of_birth) at recall 0.7;
  `estimate_u_using_random_sampling(max_pairs=1e7, seed=...)`;
  `estimate_parameters_using_expectation_maximisation` blocked on (first_name, last_name) and then
  on (date_of_birth);
* prediction: `linker.inference.predict(threshold_match_probability=0.5)`;
* one file (dedupe_only): the output is the predicted pairs at >= threshold (no clustering);
* two files (link_only): one-to-one assignment with
  `linker.clustering.cluster_using_single_best_links(duplicate_free_datasets=[both files])`;
  the output is the scored pairs whose two records end in the same cluster.

    .venv/bin/python benchmarks/cleartext_reference.py --set febrl4
    .venv/bin/python benchmarks/cleartext_reference.py --set febrl1 --set febrl2 --set febrl3 --set febrl4

The script prints precision, recall and F1 of the output pairs against the set's truth pairs, and
the wall seconds of `link_reference` (from reading the CSVs to the pandas result).
"""

from __future__ import annotations

import argparse
import logging
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

import pandas as pd
import splink.comparison_library as cl
from splink import DuckDBAPI, Linker, SettingsCreator, block_on

from dev_sets import FEBRL_SETS, DevSet, true_pairs, write_febrl

MODEL_COLUMNS = ("first_name", "last_name", "date_of_birth", "street_address", "city", "postcode")
U_MAX_PAIRS = 1e7
# Splink's source_dataset value of each file in a link: the name it is registered under.
SOURCE_NAMES = ("left_file", "right_file")


def read_roster(path: Path) -> pd.DataFrame:
    """The canonical CSV as text; lower-case and strip, empty string -> None. Nothing else."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    out = pd.DataFrame({"record_id": frame["record_id"]})
    for column in MODEL_COLUMNS:
        cleaned = frame[column].str.lower().str.strip()
        out[column] = cleaned.where(cleaned != "", None)
    return out


def settings(link_type: Literal["link_only", "dedupe_only"]) -> SettingsCreator:
    return SettingsCreator(
        link_type=link_type,
        unique_id_column_name="record_id",
        comparisons=[
            cl.NameComparison("first_name"),
            cl.NameComparison("last_name"),
            cl.DateOfBirthComparison("date_of_birth", input_is_string=True, datetime_format="%Y-%m-%d"),
            cl.JaroWinklerAtThresholds("street_address"),
            cl.JaroWinklerAtThresholds("city"),
            cl.ExactMatch("postcode"),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("first_name", "last_name"),
            block_on("date_of_birth"),
            block_on("postcode", "first_name"),
            block_on("postcode", "last_name"),
            block_on("street_address"),
        ],
    )


def link_reference(files: Sequence[Path], threshold: float = 0.5, seed: int = 1) -> pd.DataFrame:
    """One file -> dedupe; two -> link_only with one-to-one assignment.

    Returns columns left_id, right_id, match_probability; for a link, left_id is from files[0],
    for a dedupe each pair is ordered left_id < right_id.
    """
    if len(files) not in (1, 2):
        raise ValueError("link_reference takes one file (dedupe) or two (link)")
    frames = [read_roster(Path(f)) for f in files]
    db_api = DuckDBAPI()
    link = len(frames) == 2
    if link:
        tables = [
            db_api.register(f, dataset_display_name=n) for f, n in zip(frames, SOURCE_NAMES, strict=True)
        ]
        linker = Linker(tables, settings("link_only"), log_level=logging.WARNING)
    else:
        linker = Linker(db_api.register(frames[0]), settings("dedupe_only"), log_level=logging.WARNING)

    linker.training.estimate_probability_two_random_records_match(
        [block_on("first_name", "last_name", "date_of_birth")], recall=0.7
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=U_MAX_PAIRS, seed=seed)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("first_name", "last_name"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("date_of_birth"))

    predictions = linker.inference.predict(threshold_match_probability=threshold)
    scored = predictions.as_pandas_dataframe()
    scored = scored[scored["match_probability"] >= threshold]
    if not link:
        ids = scored[["record_id_l", "record_id_r"]].astype(str)
        return pd.DataFrame(
            {
                "left_id": ids.min(axis=1),
                "right_id": ids.max(axis=1),
                "match_probability": scored["match_probability"],
            }
        ).reset_index(drop=True)

    clusters = linker.clustering.cluster_using_single_best_links(
        predictions, duplicate_free_datasets=list(SOURCE_NAMES), threshold_match_probability=threshold
    ).as_pandas_dataframe()
    cluster_of = {
        (str(source), str(rid)): cid
        for source, rid, cid in zip(
            clusters["source_dataset"], clusters["record_id"], clusters["cluster_id"], strict=True
        )
    }
    left_first = scored["source_dataset_l"] == SOURCE_NAMES[0]
    left_id = scored["record_id_l"].where(left_first, scored["record_id_r"]).astype(str)
    right_id = scored["record_id_r"].where(left_first, scored["record_id_l"]).astype(str)
    same = [
        cluster_of[(SOURCE_NAMES[0], a)] == cluster_of[(SOURCE_NAMES[1], b)]
        for a, b in zip(left_id, right_id, strict=True)
    ]
    out = pd.DataFrame(
        {"left_id": left_id, "right_id": right_id, "match_probability": scored["match_probability"]}
    )
    return out[same].reset_index(drop=True)


def grade(found: set[tuple[str, str]], truth: set[tuple[str, str]]) -> tuple[float, float, float]:
    hits = len(found & truth)
    precision = hits / len(found) if found else 0.0
    recall = hits / len(truth) if truth else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def measure(dev: DevSet, threshold: float = 0.5, seed: int = 1) -> tuple[int, float, float, float, float]:
    """Link the set with the reference: (pairs found, precision, recall, F1, link seconds)."""
    start = time.perf_counter()
    result = link_reference(dev.files, threshold=threshold, seed=seed)
    seconds = time.perf_counter() - start
    found = set(zip(result["left_id"], result["right_id"], strict=True))
    return len(found), *grade(found, true_pairs(dev)), seconds


def run(dev: DevSet, threshold: float, seed: int) -> None:
    found, precision, recall, f1, seconds = measure(dev, threshold, seed)
    truth = true_pairs(dev)
    print(
        f"{dev.name:7s} {dev.mode:6s} pairs={found:5d} truth={len(truth):5d} "
        f"precision={precision:.4f} recall={recall:.4f} F1={f1:.4f} seconds={seconds:.1f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--set", dest="sets", action="append", choices=FEBRL_SETS, help="repeatable")
    parser.add_argument("--threshold", type=float, default=0.5)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="cleartext-reference-") as tmp:
        for name in args.sets or ["febrl4"]:
            run(write_febrl(name, Path(tmp) / name), args.threshold, args.seed)


if __name__ == "__main__":
    main()
