"""Roster reading errors, and the Parquet output: layout, atomicity, and no clear text inside."""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq
import pytest

from accord.linkage.encode.record import BLOOM_FIELDS, TOKENS
from accord.linkage.pipeline import encode_roster
from accord.linkage.roster import RosterError, read_roster

KEY = bytes(range(32))
HEADER = "record_id,first_name,middle_name,last_name,date_of_birth,sex,street_address,city,postcode\n"
ROWS = [
    "s-001,Maribel,Ines,Quintero-Vidal,2011-07-15,F,18 Larkspur Lane,Millbrook,04321\n",
    "s-002,Tobias,,Wrenfield,03/09/2012,M,7 Quarry Road,Ashcombe,04322-1111\n",
    "s-003,Ogechi,Ada,Nwachukwu-Bell,2013-02-30,female,22 Heron Court,Millbrook,4321\n",
]
# Every clear-text identity value above, as written and as normalised: none may reach the output.
SECRETS = ["Maribel", "maribel", "Ines", "Quintero", "quintero vidal", "Vidal", "Tobias", "tobias",
           "Wrenfield", "wrenfield", "Ogechi", "Nwachukwu", "nwachukwu bell", "2011-07-15", "03/09/2012",
           "2012-03-09", "2013-02-30", "Larkspur", "larkspur", "Quarry", "Heron", "Millbrook", "millbrook",
           "Ashcombe", "04321", "04322"]


def write_roster(tmp_path: Path, *rows: str, header: str = HEADER) -> Path:
    path = tmp_path / "people.csv"
    path.write_text(header + "".join(rows), encoding="utf-8")
    return path


def test_output_layout_and_summary(tmp_path: Path) -> None:
    out = tmp_path / "people.parquet"
    summary = encode_roster(write_roster(tmp_path, *ROWS), out, KEY)
    assert (summary.rows_read, summary.rows_written) == (3, 3)
    assert summary.unusable["date_of_birth"] == 1 and summary.missing["middle_name"] == 1
    table = pq.read_table(out)
    expected = ["record_id", *(f"{f}_bf_{i}" for f in BLOOM_FIELDS for i in range(16)), *TOKENS]
    assert table.column_names == expected
    assert table.column("record_id").to_pylist() == ["s-001", "s-002", "s-003"]
    assert str(table.schema.field("first_name_bf_0").type) == "int64"
    assert table.column("date_of_birth_bf_3").to_pylist()[2] is None  # the impossible date is missing
    assert table.column("middle_name_bf_0").to_pylist()[1] is None


def test_no_clear_text_in_the_file(tmp_path: Path) -> None:
    out = tmp_path / "people.parquet"
    encode_roster(write_roster(tmp_path, *ROWS), out, KEY)
    raw = out.read_bytes()
    cells = {str(v) for column in pq.read_table(out).columns[1:] for v in column.to_pylist()}
    for secret in SECRETS:
        assert secret.encode() not in raw, secret
        assert secret.casefold().encode() not in raw.lower(), secret
        assert secret not in cells


@pytest.mark.parametrize(("rows", "header", "message"), [
    (ROWS, HEADER.replace("record_id", "student"), "people.csv row 1: the required column record_id"),
    ([ROWS[0], ROWS[1], ROWS[0]], HEADER, "people.csv row 4, column record_id: duplicate of row 2"),
    ([ROWS[0], ",Ana,,Lee,,,,,\n"], HEADER, "people.csv row 3, column record_id: empty"),
])
def test_structural_errors_write_nothing(tmp_path: Path, rows: list[str], header: str, message: str) -> None:
    out = tmp_path / "people.parquet"
    with pytest.raises(RosterError) as err:
        encode_roster(write_roster(tmp_path, *rows, header=header), out, KEY)
    assert str(err.value).startswith(message)
    assert "s-001" not in str(err.value)  # identifiers stay out of messages
    assert sorted(p.name for p in tmp_path.iterdir()) == ["people.csv"]


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    path.write_bytes(HEADER.encode() + "s-1,Jos\xe9,,Ruiz,,,,,\n".encode("latin-1"))
    with pytest.raises(RosterError, match=r"people.csv row 2: not valid UTF-8"):
        list(read_roster(path))


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(RosterError, match="absent.csv: cannot read"):
        list(read_roster(tmp_path / "absent.csv"))


def test_optional_columns_may_be_absent_and_blank_lines_skipped(tmp_path: Path) -> None:
    path = write_roster(tmp_path, "a1,Ana\n", "\n", "a2,Ben\n", header="record_id,first_name,shoe_size\n")
    assert [(n, r["record_id"]) for n, r in read_roster(path)] == [(2, "a1"), (4, "a2")]
