"""The hub's leak scan (tests/leak_scan.py) finds a stored short name and ignores chance bytes."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.parquet as pq  # type: ignore[import-untyped]

from tests.leak_scan import names_in_files


def test_a_short_name_stored_in_parquet_duckdb_or_json_is_found(tmp_path: Path) -> None:
    pq.write_table(pa.table({"token": [os.urandom(32)], "note": ["Paci"]}), tmp_path / "r.parquet")
    with duckdb.connect(str(tmp_path / "s.duckdb")) as con:
        con.execute("CREATE TABLE t AS SELECT 'Abby' AS first, 'Whitfield' AS last")
    (tmp_path / "m.json").write_text('{"kept": ["DEAN"]}', encoding="utf-8")
    found = names_in_files(["Paci", "Abby", "Whitfield", "Dean", "Cole"], tmp_path.rglob("*"))
    assert found == ["Abby", "Dean", "Paci", "Whitfield"]


def test_a_short_name_among_random_bytes_is_chance_not_a_leak(tmp_path: Path) -> None:
    noise = os.urandom(4096) + b"\x00Paci\x01" + os.urandom(4096)
    pq.write_table(pa.table({"token": [noise]}), tmp_path / "r.parquet")
    (tmp_path / "key.bin").write_bytes(os.urandom(64) + b"Whitfield")
    assert names_in_files(["Paci", "Whitfield"], tmp_path.rglob("*")) == ["Whitfield"]
