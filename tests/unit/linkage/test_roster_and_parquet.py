"""Roster reading errors, and the Parquet output: layout, atomicity, and no clear text inside."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from accord.linkage import pipeline
from accord.linkage.encode.keys import agreement_key, key_id
from accord.linkage.encode.record import BLOOM_FIELDS, DATE_SALTED, TOKENS, RecordEncoder
from accord.linkage.hub.encoded import SUPPORTED_VERSIONS, EncodedFileError, common_layout, read_layout
from accord.linkage.pipeline import encode_roster
from accord.linkage.roster import RosterError, read_roster, read_roster_batches

KEY = bytes(range(32))
HEADER = ("record_id,first_name,middle_name,last_name,date_of_birth,sex,street_address,city,postcode,"
          "national_id\n")
ROWS = [
    "s-001,Maribel,Ines,Quintero-Vidal,2011-07-15,F,18 Larkspur Lane,Millbrook,04321,078-05-1120\n",
    "s-002,Tobias,,Wrenfield,03/09/2012,M,7 Quarry Road,Ashcombe,04322-1111,\n",
    "s-003,Ogechi,Ada,Nwachukwu-Bell,2013-02-30,female,22 Heron Court,Millbrook,4321,219 09 9999\n",
]
# Every clear-text identity value above, as written and as normalised: none may reach the output.
SECRETS = ["Maribel", "maribel", "Ines", "Quintero", "quintero vidal", "Vidal", "Tobias", "tobias",
           "Wrenfield", "wrenfield", "Ogechi", "Nwachukwu", "nwachukwu bell", "2011-07-15", "03/09/2012",
           "2012-03-09", "2013-02-30", "Larkspur", "larkspur", "Quarry", "Heron", "Millbrook", "millbrook",
           "Ashcombe", "04321", "04322", "078-05-1120", "078051120", "219 09 9999", "219099999"]


def write_roster(tmp_path: Path, *rows: str, header: str = HEADER) -> Path:
    path = tmp_path / "people.csv"
    path.write_text(header + "".join(rows), encoding="utf-8")
    return path


def test_output_layout_and_summary(tmp_path: Path) -> None:
    out = tmp_path / "people.parquet"
    summary = encode_roster(write_roster(tmp_path, *ROWS), out, KEY)
    assert (summary.rows_read, summary.rows_written) == (3, 3)
    assert dict(summary.missing) == {"middle_name": 1, "date_of_birth": 1, "national_id": 1}
    assert dict(summary.unusable) == {"date_of_birth": 1}  # the impossible 2013-02-30
    table = pq.read_table(out)
    expected = ["record_id", *(f"{f}_bf_{i}" for f in BLOOM_FIELDS for i in range(8)), *TOKENS]
    assert expected[1] == "first_name_bf_0" and expected[-len(TOKENS)] == "tok_dob"
    assert expected[-1] == "tok_national_id"
    assert table.column_names == expected
    # No column of the date, the city or the ZIP, nor v2's joined address filter.
    assert not [c for c in expected if c.startswith(("address_", "date_of_birth_", "city_", "postcode_"))]
    assert table.column("record_id").to_pylist() == ["s-001", "s-002", "s-003"]
    assert all(str(t) == "int64" for t in table.schema.types[1:])
    assert table.column("middle_name_bf_0").to_pylist()[1] is None  # no middle name
    # Without a usable birth date (s-003): no name or street filter, but the identifier's.
    for field in DATE_SALTED:
        assert table.column(f"{field}_bf_7").to_pylist()[2] is None, field
    assert table.column("street_address_bf_7").null_count == 1
    assert [v is None for v in table.column("national_id_bf_0").to_pylist()] == [False, True, False]
    # Tokens with a part of the date are absent; street + ZIP and the identifier are not.
    third = {name: table.column(name).to_pylist()[2] for name in TOKENS}
    assert {name for name, value in third.items() if value is not None} == {
        "tok_street_postcode", "tok_national_id"}
    assert table.column("tok_dob").to_pylist()[:2] != [None, None]
    assert table.column("tok_national_id").to_pylist()[1] is None


def test_parquet_holds_exactly_the_encodings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pipeline, "BATCH_ROWS", 2)  # several batches, one row group each
    out = tmp_path / "people.parquet"
    rows = [*ROWS, "s-004,,,,,,,,,\n", "s-005,Ana,,Lee,2010-01-01,,,,,0123\n",
            "s-006,Ana,,Lee,,,1 Elm St,,04321,\n"]
    encode_roster(write_roster(tmp_path, *rows), out, KEY)
    file = pq.ParquetFile(out)
    assert file.metadata.num_row_groups == 3
    table = file.read().to_pylist()
    encoder = RecordEncoder(KEY)
    for line, stored in zip(read_roster(tmp_path / "people.csv"), table, strict=True):
        record = encoder.encode(line[1])
        assert stored["record_id"] == record.record_id
        for field in BLOOM_FIELDS:
            words = [stored[f"{field}_bf_{i}"] for i in range(8)]
            value = record.blooms[field]
            assert words == (list(encoder.words(field, value)) if value else [None] * 8), field
        assert {name: stored[name] for name in TOKENS} == record.tokens


def test_encoding_metadata(tmp_path: Path) -> None:
    out = tmp_path / "people.parquet"
    encode_roster(write_roster(tmp_path, *ROWS), out, KEY)
    meta = json.loads(pq.read_schema(out).metadata[b"accord.encoding"])
    assert meta["version"] == pipeline.ENCODING_VERSION == "accord-bloom-v5" and meta["bits"] == "1024"
    assert meta["key_id"] == key_id(KEY) and meta["q"] == "2"
    ks = dict(item.split("=") for item in meta["k"].split(","))
    assert list(ks) == list(BLOOM_FIELDS) and ks == {f: str(k) for f, (_, k) in BLOOM_FIELDS.items()}
    # v3's filters keep their hashes; the first name salted with the household has a name's.
    hashes = {"first_name": "20", "middle_name": "20", "last_name": "20", "street_address": "12",
              "first_name_home": "20", "national_id": "20"}
    assert ks == hashes
    assert "full date of birth and first-name code" in meta["salt"] and "national id: none" in meta["salt"]
    assert "year" not in meta["salt"]  # v2 salted with the year of birth


def test_a_file_for_an_agreement_is_encoded_under_its_key_and_says_so(tmp_path: Path) -> None:
    roster = write_roster(tmp_path, *ROWS)
    mine, theirs, plain = (tmp_path / f"{n}.parquet" for n in ("mine", "theirs", "plain"))
    encode_roster(roster, mine, KEY, agreement="dsa-health")
    encode_roster(roster, theirs, KEY, agreement="dsa-court")
    encode_roster(roster, plain, KEY)
    layout = read_layout(mine)
    assert layout.agreement == "dsa-health" and layout.key_id == key_id(agreement_key(KEY, "dsa-health"))
    assert read_layout(plain).agreement == "" and read_layout(plain).key_id == key_id(KEY)
    assert pq.read_table(mine).column("tok_dob") != pq.read_table(theirs).column("tok_dob")
    refusal = ("theirs.parquet: encoded for agreement dsa-court, mine.parquet for agreement dsa-health; "
               "encodings made for two agreements never compare")
    with pytest.raises(EncodedFileError, match=refusal):
        common_layout([mine, theirs])
    with pytest.raises(EncodedFileError, match="plain.parquet: encoded for no agreement"):
        common_layout([mine, plain])
    assert common_layout([mine, mine]) == layout


def test_the_hub_reads_v5_files_and_refuses_v4_ones(tmp_path: Path) -> None:
    # v4 filters and tokens were made under other keys and salts: comparing them with v5 ones would
    # give wrong matches, so a v4 file must be refused, not linked.
    out = tmp_path / "people.parquet"
    encode_roster(write_roster(tmp_path, *ROWS), out, KEY)
    layout = read_layout(out)
    assert layout.version == "accord-bloom-v5" and layout.tokens == TOKENS
    assert SUPPORTED_VERSIONS == {"accord-bloom-v5"}
    table = pq.read_table(out)
    meta = json.loads(table.schema.metadata[b"accord.encoding"]) | {"version": "accord-bloom-v4"}
    old = tmp_path / "old.parquet"
    pq.write_table(table.replace_schema_metadata({b"accord.encoding": json.dumps(meta).encode()}), old)
    with pytest.raises(EncodedFileError, match="old.parquet: encoding version 'accord-bloom-v4'"):
        read_layout(old)


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
    path = write_roster(tmp_path, "a1,Ana\n", "\n", " , ,\n", "a2,Ben\n",
                        header="record_id,first_name,shoe_size\n")
    assert [(n, r["record_id"]) for n, r in read_roster(path)] == [(2, "a1"), (5, "a2")]
    assert next(read_roster(path))[1] == {"record_id": "a1", "first_name": "Ana"}


def test_batches_are_columns_with_row_numbers(tmp_path: Path) -> None:
    path = write_roster(tmp_path, " a1 ,Ana,7\n", "a2\n", "\n", "a3,Cy,9,extra\n",
                        header="record_id,first_name,shoe_size\n")
    batches = list(read_roster_batches(path, batch_rows=2))
    assert [len(b) for b in batches] == [2, 1]
    assert batches[0].columns == {"record_id": ["a1", "a2"], "first_name": ["Ana", ""]}  # short row padded
    assert batches[0].row_numbers == [2, 3] and batches[1].row_numbers == [5]
    assert batches[1].columns == {"record_id": ["a3"], "first_name": ["Cy"]}


def test_header_is_case_and_space_insensitive(tmp_path: Path) -> None:
    path = write_roster(tmp_path, "Ana,a1\n", header=" First_Name ,RECORD_ID\n")
    assert [r for _, r in read_roster(path)] == [{"record_id": "a1", "first_name": "Ana"}]
