"""The nodes' chance agreement (encode/chance.py) and how the hub reads it (hub/chance_u.py, encoded.py)."""

from __future__ import annotations

import json
from itertools import combinations
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq  # type: ignore[import-untyped]
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.linkage.encode.chance import SAMPLE, ChanceSample, dice_histogram
from accord.linkage.encode.keys import generate_key
from accord.linkage.file_contract import CHANCE_ENTRY
from accord.linkage.hub.chance_u import pooled
from accord.linkage.hub.encoded import EncodedFileError, read_chance_agreement
from accord.linkage.hub.ties import untied
from accord.linkage.pipeline import encode_people


def _reference(filters: list[int]) -> list[int]:
    """floor(100 Dice) of every pair, the plain way."""
    counts = [0] * 101
    for a, b in combinations(filters, 2):
        total = a.bit_count() + b.bit_count()
        counts[(200 * (a & b).bit_count()) // total if total else 0] += 1
    return counts


@settings(max_examples=50, deadline=None)
@given(st.lists(st.integers(0, 2**128 - 1), min_size=0, max_size=12))
def test_dice_histogram_matches_a_plain_count(values: list[int]) -> None:
    words = np.array([[(v >> (64 * w)) & (2**64 - 1) for v in values] for w in range(2)], np.uint64)
    assert dice_histogram(words.view(np.int64)) == _reference(values)


def test_the_sample_is_bounded_and_skips_missing_values() -> None:
    sample = ChanceSample(seed=1)
    sample.add([None, "", "ana"])
    assert sample.texts == ["ana"]
    for start in range(0, 3 * SAMPLE, 1000):
        sample.add([f"v{i}" for i in range(start, start + 1000)])
    assert len(sample.texts) == SAMPLE
    # Drawn across every batch, not the first ones only (rosters come sorted).
    assert any(int(t[1:]) >= 2 * SAMPLE for t in sample.texts if t.startswith("v"))


def test_an_encoded_file_carries_counts_only(tmp_path: Path) -> None:
    people = [{"record_id": f"r{i}", "first_name": name, "last_name": "Quill", "date_of_birth": "2012-03-04"}
              for i, name in enumerate(["Ana", "Anna", "Bea", "Cy", "Dot"])]
    encode_people(people, tmp_path / "e.parquet", generate_key())
    raw = pq.read_metadata(tmp_path / "e.parquet").metadata[CHANCE_ENTRY.encode()].decode()
    assert "ana" not in raw.lower() and "quill" not in raw.lower()
    histograms = read_chance_agreement(tmp_path / "e.parquet")
    assert sum(histograms["first_name"]) == 10  # five names, ten pairs
    assert sum(histograms["last_name"][92:]) == 10  # one surname: every pair agrees
    assert sum(histograms["middle_name"]) == 0


def test_a_malformed_entry_is_refused(tmp_path: Path) -> None:
    encode_people([{"record_id": "r1"}], tmp_path / "e.parquet", generate_key())
    table = pq.read_table(tmp_path / "e.parquet")
    with pq.ParquetWriter(tmp_path / "bad.parquet", table.schema) as writer:
        writer.write_table(table)
        writer.add_key_value_metadata({CHANCE_ENTRY: json.dumps({"first_name": ["x"]})})
    with pytest.raises(EncodedFileError, match="bad.parquet: the chance-agreement entry is malformed"):
        read_chance_agreement(tmp_path / "bad.parquet")
    with pq.ParquetWriter(tmp_path / "short.parquet", table.schema) as writer:
        writer.write_table(table)
        writer.add_key_value_metadata({CHANCE_ENTRY: json.dumps({"first_name": [1, 2]})})
    with pytest.raises(EncodedFileError, match="short.parquet: the chance-agreement entry is malformed"):
        read_chance_agreement(tmp_path / "short.parquet")


def test_pooled_sums_the_fields_every_file_measured() -> None:
    assert pooled([{"a": [1, 2], "b": [5, 5]}, {"a": [3, 4]}]) == {"a": [4, 6]}
    assert pooled([]) == {}


def test_a_comparison_is_never_untied_by_its_own_salt() -> None:
    # The surname is salted with the first-name code: every pair compared on it shares that code.
    assert untied(8, {"first_name", "last_name"}, ("last_name",)) == "TRUE"
    both = untied(8, {"first_name", "last_name", "national_id"}, ("date_of_birth",))
    assert "first_name_bf_0" in both and "last_name_bf_0" in both and "tok_national_id" in both


def test_a_roster_at_the_hub_keeps_the_pooled_chance_agreement(tmp_path: Path) -> None:
    from accord.linkage.hub.roster_store import merge_into_roster

    key = generate_key()
    for name, first in (("a", ["Ana", "Bea", "Cy"]), ("b", ["Dot", "Eve"])):
        people = [{"record_id": f"{name}{i}", "first_name": f, "date_of_birth": "2012-03-04"}
                  for i, f in enumerate(first)]
        encode_people(people, tmp_path / f"{name}.parquet", key)
    roster = tmp_path / "hub" / "roster.parquet"
    merge_into_roster(roster, tmp_path / "a.parquet")
    assert sum(read_chance_agreement(roster)["first_name"]) == 3
    merge_into_roster(roster, tmp_path / "b.parquet")
    assert sum(read_chance_agreement(roster)["first_name"]) == 3 + 1


def test_swapped_names_tie_a_pair_except_where_the_first_name_is_a_salt() -> None:
    # A duplicate with given and family names the wrong way round is tied by no name filter (each is
    # salted apart), so the first name's u must not count it as a stranger: FEBRL3 priced the swap
    # level at u 0.13 that way. Where the first name is only a salt's part (the surname), it is not.
    own = untied(8, {"first_name", "last_name"}, ("first_name",))
    assert "tok_swapped_names" in own and "last_name_bf_0" in own and "first_name_bf_0" not in own
    assert "tok_swapped_names" not in untied(8, {"first_name", "last_name"}, ("last_name",))
