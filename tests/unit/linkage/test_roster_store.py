"""The hub's roster file (hub/roster_store.py): what a submission must hold, and the streamed merge."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.parquet as pq  # type: ignore[import-untyped]
import pytest

from accord.linkage.encode.keys import generate_key
from accord.linkage.hub import roster_store
from accord.linkage.hub.roster_store import SubmissionMismatch, merge_into_roster, record_ids, take_submitted
from accord.linkage.pipeline import encode_people

KEY = generate_key()


def _encoded(path: Path, ids: list[str]) -> Path:
    people = [{"record_id": i, "first_name": f"Zed{n}", "date_of_birth": "2012-03-04"}
              for n, i in enumerate(ids)]
    encode_people(people, path, KEY)
    return path


def _first_names(path: Path) -> dict[str, int]:
    table = pq.read_table(path, columns=["record_id", "first_name_bf_0"]).to_pylist()
    return {row["record_id"]: row["first_name_bf_0"] for row in table}


def test_a_submission_holds_exactly_the_loaded_records(tmp_path: Path) -> None:
    sent = _encoded(tmp_path / "sent.parquet", ["a", "b", "c"])
    take_submitted(sent, ["c", "a", "b"], tmp_path / "taken.parquet", tmp_path / "none.parquet")
    assert record_ids(tmp_path / "taken.parquet") == ["a", "b", "c"]
    with pytest.raises(SubmissionMismatch, match=r"holds 1 record\(s\) .* and lacks 2 of its 4"):
        take_submitted(sent, ["a", "b", "x", "y"], tmp_path / "t2.parquet", tmp_path / "none.parquet")


def test_a_submission_holding_a_record_twice_is_refused(tmp_path: Path) -> None:
    # Copied whole, it would put the record in the roster twice.
    sent = _encoded(tmp_path / "sent.parquet", ["a", "b"])
    table = pq.read_table(sent)
    twice = pa.concat_tables([table, table.slice(0, 1)]).replace_schema_metadata(table.schema.metadata)
    pq.write_table(twice, tmp_path / "twice.parquet")
    with pytest.raises(SubmissionMismatch, match=r"holds 1 record\(s\) the file does not or holds twice"):
        take_submitted(tmp_path / "twice.parquet", ["a", "b"], tmp_path / "t.parquet",
                       tmp_path / "none.parquet")
    assert not (tmp_path / "t.parquet").exists()


def test_a_merge_replaces_the_records_it_carries_batch_by_batch(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(roster_store, "BATCH_ROWS", 2)  # the merge crosses batches of both files
    first = _encoded(tmp_path / "first.parquet", ["a", "b", "c", "d", "e"])
    people = [{"record_id": i, "first_name": "Quill", "date_of_birth": "2012-03-04"} for i in ("d", "b", "f")]
    encode_people(people, tmp_path / "second.parquet", KEY)
    roster = tmp_path / "hub" / "roster.parquet"
    assert merge_into_roster(roster, first) == 5
    assert merge_into_roster(roster, tmp_path / "second.parquet") == 6
    # The plain reference: the old roster's records by id, overwritten by the addition's.
    expected = {**_first_names(first), **_first_names(tmp_path / "second.parquet")}
    assert _first_names(roster) == expected
    assert record_ids(roster) == ["a", "c", "e", "d", "b", "f"]
