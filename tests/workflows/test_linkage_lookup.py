"""Finding one child for a case request: a partner agency's encoded record against the roster.

The model is trained by linking the partner's roster with the education roster; each of the
partner's records is then looked up alone. The rule under test: a child is named only when one
roster record is a confident match; wrong children are never named, and a request that fits two
children (twins, asked for without a first name) is refused as ambiguous.
"""

from __future__ import annotations

import csv
from collections import Counter, defaultdict
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from accord.linkage.encode.keys import generate_key
from accord.linkage.hub.lookup import Resolution, find_candidates, resolve, train_lookup_model
from accord.linkage.pipeline import encode_roster
from accord.synth.rosters.rosters import write_rosters
from accord.synth.rosters.specs import DEFAULT_AGENCIES


@pytest.fixture(scope="module")
def county(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("lookup")
    write_rosters(1500, out / "rosters", 21, {k: DEFAULT_AGENCIES[k] for k in ("education", "health")})
    key = generate_key()
    for agency in ("education", "health"):
        encode_roster(out / "rosters" / f"{agency}.csv", out / f"{agency}.parquet", key)
    (out / "key").write_bytes(key)
    train_lookup_model(out / "education.parquet", out / "health.parquet", out / "model.json")
    return out


def truth(rosters: Path) -> tuple[dict[str, str], set[str]]:
    """(record id -> person id, the people on the education roster)."""
    with (rosters / "truth.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return ({r["record_id"]: r["person_id"] for r in rows},
            {r["person_id"] for r in rows if r["agency"] == "education"})


def test_lookups_never_name_the_wrong_child(county: Path) -> None:
    person, enrolled = truth(county / "rosters")
    candidates = find_candidates(county / "education.parquet", county / "model.json",
                                 county / "health.parquet")
    asked = pq.read_table(county / "health.parquet", columns=["record_id"]).column(0).to_pylist()
    outcome: Counter[str] = Counter()
    for record in asked:
        resolution, found = resolve(candidates.get(record, []))
        if found is not None:
            outcome["right" if person[found.record_id] == person[record] else "wrong"] += 1
        elif person[record] not in enrolled:
            outcome["refused, not enrolled"] += 1
        else:
            outcome[f"refused, enrolled ({resolution})"] += 1
    assert outcome["wrong"] == 0, outcome
    in_roster = sum(1 for record in asked if person[record] in enrolled)
    assert outcome["right"] >= 0.8 * in_roster, outcome


def test_twins_asked_for_without_a_first_name_are_ambiguous(county: Path) -> None:
    with (county / "rosters" / "education.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    households = defaultdict(list)
    for row in rows:
        if row["first_name"] and row["date_of_birth"] and row["street_address"]:
            households[(row["last_name"], row["date_of_birth"], row["street_address"])].append(row)
    twins = next(group for group in households.values()
                 if len(group) == 2 and group[0]["first_name"] != group[1]["first_name"])
    query = county / "twin-query.csv"
    with query.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(twins[0]))
        writer.writeheader()
        writer.writerow({**twins[0], "record_id": "ASK-1", "first_name": "", "middle_name": ""})
    encode_roster(query, county / "twin-query.parquet", (county / "key").read_bytes())
    candidates = find_candidates(county / "education.parquet", county / "model.json",
                                 county / "twin-query.parquet")["ASK-1"]
    assert {c.record_id for c in candidates} == {twins[0]["record_id"], twins[1]["record_id"]}
    assert resolve(candidates) == (Resolution.AMBIGUOUS, None)
