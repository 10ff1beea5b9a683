"""The clear-text baseline for benchmarks/linkage.py: Splink on the same records, unencoded.

Same normalisation as the encoder, the same blocking combinations (in clear text, the household
block included), the same training plan (prior from two agreeing keys, u from random pairs, EM on
the date-of-birth, name-and-ZIP and household blocks) and the same one-to-one assignment, with
Splink's standard string comparisons (Jaro-Winkler, date-of-birth levels, exact ZIP) in place of
Dice on Bloom filters. The difference in F1 and time between the two runs is then the price of
privacy alone.

Each fact is compared once, as the hub's model does: first and last name each with a level for
the two entered the wrong way round (the hub's "first and last swapped"), no comparison of the
sorted full name on top of them, and the ZIP without the city it determines. Counting a name or a
place twice makes Splink overconfident: an earlier version with both extra comparisons linked
people who share a common name and a ZIP but not a birth date, at a cost of about 0.01 in F1.
"""

from __future__ import annotations

import csv
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import DuckDBAPI, Linker, block_on

from accord.linkage.encode.tokens import soundex
from accord.linkage.normalise import (
    normalise_date,
    normalise_given_name,
    normalise_postcode,
    normalise_street_address,
    normalise_surname,
)


def _code(text: str | None) -> str | None:
    return soundex(text.split()[0]) if text else None


def clear_frame(path: Path) -> pd.DataFrame:
    """A roster CSV normalised as the encoder normalises it, with clear blocking keys."""
    rows = []
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            first, last = normalise_given_name(row["first_name"]), normalise_surname(row["last_name"])
            last_text = last.full if last else None
            born = normalise_date(row["date_of_birth"])
            dob = born.isoformat() if born else None
            postcode = normalise_postcode(row["postcode"])
            street = normalise_street_address(row["street_address"])
            fc, lc = _code(first), _code(last_text)
            pair = "|".join(sorted((fc, lc))) if fc and lc else None
            year, month, day = (dob[:4], dob[5:7], dob[8:]) if dob else (None, None, None)
            swapped = f"{year}|{min(month, day)}|{max(month, day)}" if dob else None  # type: ignore[type-var]
            rows.append({
                "record_id": row["record_id"], "first_name": first, "last_name": last_text,
                "middle_name": normalise_given_name(row["middle_name"]), "date_of_birth": dob,
                "street": street, "postcode": postcode,
                "dob_first": f"{dob}|{fc}" if dob and fc else None,
                "swapped_last": f"{swapped}|{lc}" if swapped and lc else None,
                "names_yob": f"{pair}|{year}" if pair and dob else None,
                "md_names": f"{month}|{day}|{pair}" if pair and dob else None,
                "dob_postcode": f"{dob}|{postcode}" if dob and postcode else None,
                "names_postcode": f"{pair}|{postcode}" if pair and postcode else None,
                "street_postcode": f"{street}|{postcode}" if street and postcode else None,
            })
    return pd.DataFrame(rows)


BLOCKS = ("dob_first", "swapped_last", "names_yob", "md_names", "dob_postcode", "names_postcode",
          "street_postcode")


def first_name_comparison() -> Any:
    """Splink's NameComparison levels for the first name, plus first and last name swapped."""
    return cl.CustomComparison(output_column_name="first_name", comparison_levels=[
        cll.NullLevel("first_name"), cll.ExactMatchLevel("first_name"),
        cll.JaroWinklerLevel("first_name", 0.92), cll.JaroWinklerLevel("first_name", 0.88),
        cll.ColumnsReversedLevel("first_name", "last_name", symmetrical=True),
        cll.JaroWinklerLevel("first_name", 0.7), cll.ElseLevel()])


def _silent(stage: str) -> None:
    """The default progress report: none."""


def link_cleartext(left: pd.DataFrame, right: pd.DataFrame, threshold: float,
                   report: Callable[[str], None] = _silent) -> Any:
    """One-to-one links between two clear frames: left_id, right_id, match_probability.

    `report` is called with the name of each stage as it starts, as the hub's link_pairs does.
    """
    report("registering the frames")
    db_api = DuckDBAPI()
    frames = [db_api.register(left, dataset_display_name="left_roster"),
              db_api.register(right, dataset_display_name="right_roster")]
    settings = {
        "link_type": "link_only", "unique_id_column_name": "record_id",
        "comparisons": [
            first_name_comparison(), cl.NameComparison("last_name"),
            cl.JaroWinklerAtThresholds("middle_name", [0.9]),
            cl.DateOfBirthComparison("date_of_birth", input_is_string=True),
            cl.JaroWinklerAtThresholds("street", [0.9, 0.7]), cl.ExactMatch("postcode"),
        ],
        "blocking_rules_to_generate_predictions": [block_on(b) for b in BLOCKS],
        "retain_matching_columns": False,
    }
    linker = Linker(frames, settings, log_level=logging.WARNING)
    training = linker.training
    report("estimating the share of matching pairs")
    training.estimate_probability_two_random_records_match(
        ["l.dob_first = r.dob_first AND l.last_name = r.last_name"], recall=0.8)
    report("estimating u-probabilities from random pairs")
    training.estimate_u_using_random_sampling(max_pairs=2e6, seed=1)
    report("EM on pairs blocked by dob_first")
    training.estimate_parameters_using_expectation_maximisation(block_on("dob_first", "date_of_birth"),
                                                                estimate_without_term_frequencies=True)
    report("EM on pairs blocked by names_postcode")
    training.estimate_parameters_using_expectation_maximisation(block_on("names_postcode", "postcode"),
                                                                estimate_without_term_frequencies=True)
    report("EM on pairs blocked by street_postcode")
    training.estimate_parameters_using_expectation_maximisation(
        block_on("street_postcode", "street", "postcode"), estimate_without_term_frequencies=True)
    report("scoring candidate pairs")
    predictions = linker.inference.predict(threshold_match_probability=threshold)
    report("assigning one-to-one (single best links)")
    clusters = linker.clustering.cluster_using_single_best_links(
        predictions, duplicate_free_datasets=["left_roster", "right_roster"],
        threshold_match_probability=threshold)
    return linker.misc.query_sql(_one_to_one_sql(predictions.physical_name, clusters.physical_name),
                                 output_type="pandas")


def _one_to_one_sql(predictions: str, clusters: str) -> str:
    """Scored pairs whose two records ended in one cluster, oriented left to right."""
    left_first = "p.source_dataset_l = 'left_roster'"
    return f"""
        SELECT CASE WHEN {left_first} THEN p.record_id_l ELSE p.record_id_r END AS left_id,
               CASE WHEN {left_first} THEN p.record_id_r ELSE p.record_id_l END AS right_id,
               p.match_probability
        FROM {predictions} p
        JOIN {clusters} c1 ON c1.record_id = p.record_id_l AND c1.source_dataset = p.source_dataset_l
        JOIN {clusters} c2 ON c2.record_id = p.record_id_r AND c2.source_dataset = p.source_dataset_r
        WHERE c1.cluster_id = c2.cluster_id"""
