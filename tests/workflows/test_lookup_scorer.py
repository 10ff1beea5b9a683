"""The lookup's own scorer against Splink's prediction, on the same roster, model and requests.

`lookup_scorer` compiles the saved model into one SQL statement so that a case request does not wait
for Splink to build its SQL (ADR 0013). It must score every pair exactly as Splink's public
`predict_between` does with that model: the same pairs at or above probability 0.5, the same
probabilities. This test is what fails if a Splink release changes how it blocks, picks a level,
defaults an untrained level or adjusts for term frequencies.
"""

from __future__ import annotations

import json
import logging
import shutil
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from splink import Linker

from accord.linkage.encode.keys import generate_key
from accord.linkage.hub.backends import DuckDBBackend
from accord.linkage.hub.encoded import OtherKeyError, common_layout
from accord.linkage.hub.lookup import CANDIDATE_PROBABILITY, find_candidates, train_lookup_model
from accord.linkage.hub.roster_store import roster_size
from accord.linkage.pipeline import encode_roster
from accord.synth.rosters.rosters import write_rosters
from accord.synth.rosters.specs import DEFAULT_AGENCIES

Scores = dict[tuple[str, str], float]


@pytest.fixture(scope="module")
def county(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("scorer")
    write_rosters(1200, out / "rosters", 5, {k: DEFAULT_AGENCIES[k] for k in ("education", "health")})
    key = generate_key()
    for agency in ("education", "health"):
        encode_roster(out / "rosters" / f"{agency}.csv", out / f"{agency}.parquet", key)
    train_lookup_model(out / "education.parquet", out / "health.parquet", out / "model.json")
    return out


def splink_scores(roster: Path, model: Path, query: Path) -> Scores:
    """What Splink's own prediction gives for the saved model (the lookup's code before the scorer)."""
    layout = common_layout([roster, query])
    settings = json.loads(model.read_text(encoding="utf-8"))
    settings["probability_two_random_records_match"] = 1 / max(roster_size(roster), 1)
    backend = DuckDBBackend()
    try:
        known = backend.load(roster, "roster", layout)
        asked = backend.load(query, "query", layout)
        linker = Linker([known, asked], settings, log_level=logging.ERROR)
        for comparison in settings["comparisons"]:
            for level in comparison["comparison_levels"]:
                if "tf_adjustment_column" in level:
                    linker.table_management.compute_tf_table(level["tf_adjustment_column"])
        scored = linker.inference.predict_between(
            known, asked, threshold_match_probability=CANDIDATE_PROBABILITY, warning_mode="never")
        rows = backend.execute(
            f"SELECT record_id_r, record_id_l, match_probability FROM {scored.physical_name}")
    finally:
        backend.close()
    found: Scores = {}
    for asked_id, known_id, p in rows:
        found[(str(asked_id), str(known_id))] = max(float(p), found.get((str(asked_id), str(known_id)), 0.0))
    return found


def scorer_scores(roster: Path, model: Path, query: Path) -> Scores:
    return {(asked, c.record_id): c.match_probability
            for asked, candidates in find_candidates(roster, model, query).items() for c in candidates}


def test_the_scorer_gives_splinks_pairs_and_probabilities(county: Path) -> None:
    roster, model, query = county / "education.parquet", county / "model.json", county / "health.parquet"
    expected = splink_scores(roster, model, query)
    got = scorer_scores(roster, model, query)
    assert len(expected) > 500  # most of the health roster's children are enrolled
    assert set(got) == set(expected)
    worst = max(abs(got[pair] - expected[pair]) for pair in expected)
    assert worst < 1e-9, worst


def test_records_missing_fields_score_as_splink_scores_them(county: Path) -> None:
    """Requests without a first name, a birth date or an address take other blocks and null levels."""
    table = pq.read_table(county / "health.parquet").slice(0, 300)
    columns = {name: table.column(name).to_pylist() for name in table.column_names}
    for i in range(len(table)):
        drop = ("first_name", "date_of_birth", "street_address")[i % 3]
        for name in columns:
            if name.startswith(drop) or (drop == "date_of_birth" and name.startswith("tok_dob")):
                columns[name][i] = None
    sparse = county / "sparse.parquet"
    pq.write_table(pa.table(columns, schema=table.schema), sparse)
    roster, model = county / "education.parquet", county / "model.json"
    expected = splink_scores(roster, model, sparse)
    got = scorer_scores(roster, model, sparse)
    assert expected and set(got) == set(expected)
    assert max(abs(got[pair] - expected[pair]) for pair in expected) < 1e-9


def test_a_replaced_roster_is_read_again(county: Path, tmp_path: Path) -> None:
    roster, model, query = tmp_path / "roster.parquet", county / "model.json", county / "health.parquet"
    shutil.copy(county / "education.parquet", roster)
    before = scorer_scores(roster, model, query)
    kept = pq.read_table(roster).slice(0, 100)
    pq.write_table(kept, tmp_path / "smaller.parquet")
    (tmp_path / "smaller.parquet").replace(roster)  # as an intake renames the merged roster over the old
    after = scorer_scores(roster, model, query)
    kept_ids = set(kept.column("record_id").to_pylist())
    assert before and {known for _, known in before} - kept_ids  # the full roster named others
    assert after and {known for _, known in after} <= kept_ids
    assert set(after) == set(splink_scores(roster, model, query))


def test_a_request_encoded_under_another_key_is_refused(county: Path, tmp_path: Path) -> None:
    encode_roster(county / "rosters" / "health.csv", tmp_path / "other.parquet", generate_key())
    with pytest.raises(OtherKeyError):
        find_candidates(county / "education.parquet", county / "model.json", tmp_path / "other.parquet")
