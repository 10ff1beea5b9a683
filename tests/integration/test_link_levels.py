"""The hub's comparison levels and blocks on real encodings, pair by pair, in DuckDB.

One synthetic child is encoded as the school records her, and again as a partner agency might:
moved within her ZIP or out of it, names the wrong way round, a first name with another code. Each
pair is scored by the model's own SQL (the level CASE Splink runs, and the blocking rules), so a
level that no longer fires, or fires for the wrong pair, shows here before it shows in F1.
"""

from __future__ import annotations

import csv
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from accord.linkage.encode.keys import generate_key
from accord.linkage.hub.backends import open_backend
from accord.linkage.hub.encoded import common_layout
from accord.linkage.hub.link import Job, start_job
from accord.linkage.hub.model import blocking_rules, settings
from accord.linkage.hub.query import both_sides, comparison_inputs, level_case, query_frame
from accord.linkage.pipeline import encode_roster

COLUMNS = ("record_id", "first_name", "middle_name", "last_name", "date_of_birth", "sex", "street_address",
           "city", "postcode", "national_id")
SCHOOL = {"record_id": "s1", "first_name": "Maribel", "middle_name": "Ana", "last_name": "Quintero",
          "date_of_birth": "2014-03-07", "sex": "F", "street_address": "12 Oak St", "city": "Salem",
          "postcode": "97301", "national_id": ""}
# Partner record id -> what differs from the school's record.
PARTNER = {
    "same": {},
    "moved_in_zip": {"street_address": "400 Pine Ave"},
    "moved_away": {"street_address": "400 Pine Ave", "postcode": "97405"},
    "swapped": {"first_name": "Quintero", "last_name": "Maribel"},
    "same_code": {"first_name": "Marybel"},
    "other_code_zip_typo": {"first_name": "Isabel", "postcode": "97310"},
    "other_code_moved": {"first_name": "Isabel", "street_address": "400 Pine Ave", "postcode": "97405"},
    "other_code_moved_no_middle": {"first_name": "Isabel", "middle_name": "",
                                   "street_address": "400 Pine Ave", "postcode": "97405"},
}


def _write(path: Path, rows: list[dict[str, str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, COLUMNS)
        writer.writeheader()
        writer.writerows(rows)


WORK: list[Path] = []  # the module's folder of encoded files, once the job is built


@pytest.fixture(scope="module")
def job(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Job]:
    work = tmp_path_factory.mktemp("levels")
    WORK[:] = [work]
    key = generate_key()
    _write(work / "school.csv", [SCHOOL])
    _write(work / "partner.csv", [SCHOOL | {"record_id": rid} | change for rid, change in PARTNER.items()])
    for name in ("school", "partner"):
        encode_roster(work / f"{name}.csv", work / f"{name}.parquet", key)
    backend = open_backend("duckdb")
    try:
        yield start_job(backend, [work / "school.parquet", work / "partner.parquet"], ["left", "right"],
                        "link_only")
    finally:
        backend.close()


@pytest.mark.parametrize("link_type", ["link_only", "dedupe_only"])
def test_splink_finds_every_column_the_model_names(job: Job, caplog: pytest.LogCaptureFixture,
                                                     link_type: str) -> None:
    # start_job skips Splink's settings check (it logs and never raises); here it runs on the
    # model of files carrying every column, so a level or block naming a column the files lack
    # fails a test instead of a run's log.
    from splink import Linker

    layout = common_layout([WORK[0] / "school.parquet"])
    model = settings(layout, link_type)
    inputs = job.inputs if link_type == "link_only" else job.inputs[0]
    with caplog.at_level(logging.WARNING, logger="splink"):
        Linker(inputs, model, validate_settings=True)
    assert not [r for r in caplog.records if r.name.startswith("splink")], "Splink's check logged"


def _tables(job: Job) -> tuple[str, str]:
    return job.inputs[0].physical_name, job.inputs[1].physical_name


def levels(job: Job, comparison_name: str) -> dict[str, str]:
    """Partner record id -> the level label its pair with the school's record lands in."""
    comparison = next(c for c in job.linker._settings_obj.comparisons
                      if c.output_column_name == comparison_name)
    label = {int(cl.comparison_vector_value): cl.label_for_charts for cl in comparison.comparison_levels}
    school, partner = _tables(job)
    frame = query_frame(job.linker, f"""
        SELECT record_id_r AS rid, {level_case(comparison)} AS g FROM (
            SELECT {both_sides(["record_id", *comparison_inputs([comparison])])}
            FROM {school} l CROSS JOIN {partner} r) pairs""")
    return {str(rid): label[int(g)] for rid, g in zip(frame["rid"], frame["g"], strict=True)}


def blocked_by(job: Job) -> dict[str, list[int]]:
    """Partner record id -> the indexes of the blocking rules its pair meets."""
    school, partner = _tables(job)
    rules = blocking_rules(job.words)
    flags = ", ".join(f"coalesce({rule}, false) AS b{i}" for i, rule in enumerate(rules))
    frame = query_frame(job.linker,
                        f"SELECT r.record_id AS rid, {flags} FROM {school} l CROSS JOIN {partner} r")
    return {str(row["rid"]): [i for i in range(len(rules)) if row[f"b{i}"]] for _, row in frame.iterrows()}


def test_a_move_within_the_zip_is_its_own_address_level(job: Job) -> None:
    address = levels(job, "street_address")
    assert address["same"] == "dice>=0.9"
    assert address["moved_in_zip"] == "another street, same ZIP"
    assert address["moved_away"] == "different"


def test_swapped_names_are_found_by_their_codes(job: Job) -> None:
    first = levels(job, "first_name")
    assert first["swapped"] == "first and last swapped"
    assert first["same"] == "dice>=0.92" and first["same_code"] != "first and last swapped"


def test_the_surname_compares_only_under_one_first_name_code(job: Job) -> None:
    last = levels(job, "last_name")
    assert last["same"] == last["same_code"] == "dice>=0.92"
    assert last["other_code_moved"] == last["swapped"] == "missing or not comparable"


def test_a_first_name_with_another_code_is_blocked_by_date_and_street_or_middle_name(job: Job) -> None:
    """No token holds the date with the new first-name code or the new ZIP; the date-joined block on
    the date-salted street or middle-name filter is what brings the pair to be scored. Moved and
    without a middle name as well, the pair has no block left: only an identifier could bring it."""
    blocks = blocked_by(job)
    at_birth = len(blocking_rules(job.words)) - 1
    assert blocks["other_code_zip_typo"] == blocks["other_code_moved"] == [at_birth]
    assert blocks["other_code_moved_no_middle"] == []
    assert all(blocks[rid] for rid in PARTNER if not rid.startswith("other_code"))
