"""The batch encoder against plain references: filters and tokens recomputed one PRF block at a time,
whole batches against single rows, and the street-address shortcut against the normaliser."""

from __future__ import annotations

import hashlib
import random

import numpy as np
import pytest
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from hypothesis import given
from hypothesis import strategies as st

from accord.linkage.encode import bloom
from accord.linkage.encode.bloom import BloomEncoder, BloomParams, bigrams, dice
from accord.linkage.encode.keys import derive
from accord.linkage.encode.prf import BlockPRF
from accord.linkage.encode.record import (
    BLOOM_FIELDS,
    DATE_SALTED,
    IDENTITY_COLUMNS,
    TOKEN_KINDS,
    TOKENS,
    RecordEncoder,
)
from accord.linkage.encode.tokens import code_value, digits_value, soundex, text_value, token_blocks
from accord.linkage.normalise import normalise_street_address

KEY = bytes(range(32))


def aes(key: bytes, block: bytes) -> bytes:
    encryptor = Cipher(algorithms.AES(key), modes.ECB()).encryptor()
    return encryptor.update(block) + encryptor.finalize()


def reference_filter(key: bytes, label: str, salt: int, text: str, bits: int = 1024, k: int = 20) -> bytes:
    """The documented construction, one bigram and one block at a time."""
    label_key = derive(key, f"bloom label {label}")
    value = 0
    for gram in bigrams(text):
        slices = b""
        for counter in range(-(-k // 8)):
            word = ord(gram[0]) << 21 | ord(gram[1]) | counter << 56
            slices += aes(label_key, salt.to_bytes(8, "little") + word.to_bytes(8, "little"))
        for i in range(k):
            value |= 1 << (int.from_bytes(slices[2 * i:2 * i + 2], "little") % bits)
    return value.to_bytes(bits // 8, "little")


def test_prf_is_aes_256_on_each_block() -> None:
    blocks = np.array([[0, 0], [1, 2**64 - 1]], np.uint64)
    out = BlockPRF(KEY)(blocks)
    assert out.shape == (2, 16)
    assert out[0].tobytes() == aes(KEY, bytes(16))
    assert out[1].tobytes() == aes(KEY, (1).to_bytes(8, "little") + (2**64 - 1).to_bytes(8, "little"))
    with pytest.raises(ValueError, match="32 bytes"):
        BlockPRF(KEY[:16])


@pytest.mark.parametrize(("salt", "text", "k"), [
    (0, "a", 20), (2011 << 16 | 7 << 8 | 15, "maribel", 20), (5, "garcia lopez", 20),
    (2011 << 16 | 12 << 8 | 31, "18 larkspur ln apt 2", 12), (0, "078051120", 20), (7, "zoë", 20),
    (2**63, "__x__", 3), (1, "ab", 9),
])
def test_filters_follow_the_documented_construction(salt: int, text: str, k: int) -> None:
    encoder = BloomEncoder(KEY, BloomParams(1024, k))
    assert encoder.encode("name", salt, text) == reference_filter(KEY, "name", salt, text, k=k)


def test_many_texts_in_many_chunks_match_one_at_a_time(monkeypatch: pytest.MonkeyPatch) -> None:
    # Small chunks, so that chunk boundaries, missing texts and texts of every length meet.
    monkeypatch.setattr(bloom, "CHUNK_RECORDS", 3)
    rng = random.Random(3)
    texts: list[str | None] = [
        "".join(rng.choices("ab ñz_", k=rng.randrange(1, 9))) if rng.random() > 0.2 else None
        for _ in range(40)]
    texts[5] = ""  # empty is missing too
    salts = np.array([rng.randrange(2**64) for _ in texts], np.uint64)
    encoder = BloomEncoder(KEY, BloomParams(512, 11))
    words, present = encoder.encode_many("middle", salts, texts)
    assert words.shape == (8, 40) and words.dtype == np.int64
    assert present.tolist() == [bool(t) for t in texts]
    for i, text in enumerate(texts):
        column = words[:, i].astype("<i8").tobytes()
        if text:
            assert column == reference_filter(KEY, "middle", int(salts[i]), text, bits=512, k=11), text
        else:
            assert column == bytes(64)


BLOOM_KEY, TOKEN_KEY = derive(KEY, "accord bloom v5"), derive(KEY, "accord token v5")


def date_salt(year: int, month: int, day: int) -> int:
    return year << 16 | month << 8 | day


def surname_salt(year: int, month: int, day: int, first_code: str) -> int:
    """The last_name filter's salt: the date, with the first name's Soundex code (its four ASCII
    bytes, little-endian; '' when there is no first name) in the high 32 bits."""
    return date_salt(year, month, day) | int.from_bytes(first_code.encode("ascii"), "little") << 32


def home_salt(street: str, postcode: int) -> int:
    """The first_name_home filter's salt: the normalised street's text value XOR the five-digit ZIP
    times the odd 64-bit multiplier 0x9E3779B97F4A7C15, modulo 2**64."""
    return text_value(street) ^ (postcode * 0x9E3779B97F4A7C15) % 2**64


def folded_reference(field: str, salt: int, text: str, key: bytes = BLOOM_KEY) -> bytes:
    """A record's filter as documented: the reference filter under the field's label and k, XOR-folded."""
    label, k = BLOOM_FIELDS[field]
    full = int.from_bytes(reference_filter(key, label, salt, text, k=k), "little")
    return ((full ^ (full >> 512)) & ((1 << 512) - 1)).to_bytes(64, "little")  # bit i ^ bit i + 512


def test_record_filters_follow_the_documented_construction() -> None:
    record = RecordEncoder(KEY).encode({
        "record_id": "r1", "first_name": "Bill", "middle_name": "Ines", "last_name": "Quintero-Vidal",
        "date_of_birth": "07/03/2011", "street_address": "18 Larkspur Lane, Apt #2", "city": "Millbrook",
        "postcode": "04321", "national_id": "078-05-1120"})
    salt = date_salt(2011, 7, 3)
    # The surname's salt holds the code of the first name as normalised (Bill -> william: w450).
    expected = {"first_name": ("name", salt, "william"), "middle_name": ("middle", salt, "ines"),
                "last_name": ("name", surname_salt(2011, 7, 3, "w450"), "quintero vidal"),
                "street_address": ("street", salt, "18 larkspur ln apt 2"),
                "first_name_home": ("name_home", home_salt("18 larkspur ln apt 2", 4321), "william"),
                "national_id": ("national_id", 0, "078051120")}
    assert set(expected) == set(BLOOM_FIELDS)
    for field, (label, field_salt, text) in expected.items():
        assert BLOOM_FIELDS[field][0] == label
        assert record.blooms[field] == folded_reference(field, field_salt, text), field
    # Not the household salt of before: the text value of street and ZIP joined by a separator.
    assert record.blooms["first_name_home"] != folded_reference(
        "first_name_home", text_value("18 larkspur ln apt 2\x1f04321"), "william")
    # Nor v4's surname salt (the date alone), nor v4's key: a v4 file's filters match none of these.
    assert record.blooms["last_name"] != folded_reference("last_name", salt, "quintero vidal")
    assert record.blooms["first_name"] != folded_reference("first_name", salt, "william",
                                                           derive(KEY, "accord bloom v4"))


@pytest.mark.parametrize(("street", "postcode", "normalised", "place"), [
    ("18 Larkspur Lane", "04321", "18 larkspur ln", 4321),
    ("18 LARKSPUR LN.", "4321", "18 larkspur ln", 4321),  # the ZIP's value, not how it was written
    ("18 Larkspur Lane, Apt #2", "04321-0007", "18 larkspur ln apt 2", 4321),  # ZIP+4: five digits
    ("7 Quarry Road", "98105", "7 quarry rd", 98105),
])
def test_first_name_home_is_salted_with_the_household(street: str, postcode: str, normalised: str,
                                                      place: int) -> None:
    # Every ZIP's product passes 64 bits: the reduction modulo 2**64 is part of the salt.
    assert place * 0x9E3779B97F4A7C15 >= 2**64
    record = RecordEncoder(KEY).encode({"record_id": "r1", "first_name": "Maribel", "street_address": street,
                                        "postcode": postcode})  # no birth date: the household needs none
    assert record.blooms["first_name_home"] == folded_reference(
        "first_name_home", home_salt(normalised, place), "maribel")


@pytest.mark.parametrize(("street", "postcode"), [("18 Larkspur Lane", ""), ("", "04321"),
                                                  ("18 Larkspur Lane", "n/a")])
def test_no_household_no_first_name_home_filter(street: str, postcode: str) -> None:
    # Street or ZIP missing: the salt would be 0, and would pool every such first name into one class.
    record = RecordEncoder(KEY).encode({"record_id": "r1", "first_name": "Maribel", "street_address": street,
                                        "postcode": postcode, "date_of_birth": "2011-07-15"})
    assert record.blooms["first_name_home"] is None
    assert record.blooms["first_name"] is not None


@pytest.mark.parametrize(("first_name", "code"), [
    ("Maribel", "m614"), ("Rosalind", "r245"),
    ("Mary Ann", "m600"),  # the code of the first word only
    ("Bill", "w450"),  # of the name as normalised: Bill is william
    ("Zoë", "z000"),
])
@pytest.mark.parametrize(("dob", "ymd"), [("2011-07-15", (2011, 7, 15)), ("03/07/2011", (2011, 3, 7))])
def test_last_name_filter_is_salted_with_the_date_and_the_first_name_code(
        first_name: str, code: str, dob: str, ymd: tuple[int, int, int]) -> None:
    # v5: the first name's Soundex code sits above the date, so that two children of one surname
    # born on one day share a surname filter only if their first names share a code too.
    record = RecordEncoder(KEY).encode({"record_id": "r1", "first_name": first_name, "middle_name": "Ines",
                                        "last_name": "Quintero-Vidal", "date_of_birth": dob})
    assert record.blooms["last_name"] == folded_reference("last_name", surname_salt(*ymd, code),
                                                          "quintero vidal")
    # Not v4's salt, the date alone.
    assert record.blooms["last_name"] != folded_reference("last_name", date_salt(*ymd), "quintero vidal")


@pytest.mark.parametrize("first_name", ["", "Dr.", "123"])
@pytest.mark.parametrize(("dob", "ymd"), [("2011-07-15", (2011, 7, 15)), ("03/07/2011", (2011, 3, 7))])
def test_without_a_first_name_the_last_name_filter_is_salted_with_the_date_alone(
        first_name: str, dob: str, ymd: tuple[int, int, int]) -> None:
    # No first name, no code: its 0 leaves the date alone as the salt (few records share a day), and
    # the surname filter stays.
    record = RecordEncoder(KEY).encode({"record_id": "r1", "first_name": first_name, "middle_name": "Ines",
                                        "last_name": "Quintero-Vidal", "date_of_birth": dob})
    assert surname_salt(*ymd, "") == date_salt(*ymd)
    assert record.blooms["last_name"] == folded_reference("last_name", date_salt(*ymd), "quintero vidal")


def test_first_name_and_last_name_filters_share_a_label_not_a_salt() -> None:
    # One label, as in v4, but the surname's salt has the first-name code: a name as first name in
    # one record and as surname in another no longer gives one filter, so names entered the wrong
    # way round do not cross-compare (the hub finds them through tok_swapped_names).
    encoder = RecordEncoder(KEY)
    left = encoder.encode({"record_id": "r1", "first_name": "Maribel", "last_name": "Quintero",
                           "date_of_birth": "2011-07-15"})
    right = encoder.encode({"record_id": "r2", "first_name": "Quintero", "last_name": "Maribel",
                            "date_of_birth": "15.07.2011"})
    salt = date_salt(2011, 7, 15)
    assert left.blooms["first_name"] == folded_reference("first_name", salt, "maribel")
    assert right.blooms["last_name"] == folded_reference("last_name", surname_salt(2011, 7, 15, "q536"),
                                                         "maribel")
    assert left.blooms["first_name"] != right.blooms["last_name"]
    assert left.blooms["last_name"] != right.blooms["first_name"]
    # The label is still shared: under one salt (a surname without a first name, salted with the date
    # alone) a name gives one filter in either field.
    alone = encoder.encode({"record_id": "r3", "last_name": "Maribel", "date_of_birth": "2011-07-15"})
    assert alone.blooms["last_name"] == left.blooms["first_name"]


def reference_token(name: str, year: int = 0, month: int = 0, day: int = 0, a: int = 0, b: int = 0,
                    place: int = 0, value: int = 0) -> int:
    """The documented token block, one AES call."""
    word0 = TOKEN_KINDS[name] | year << 8 | month << 24 | day << 32 | place << 40
    word1 = a | b << 32 | value
    block = word0.to_bytes(8, "little") + word1.to_bytes(8, "little")
    return int.from_bytes(aes(TOKEN_KEY, block)[:8], "little", signed=True)


def blake8(text: str) -> int:
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "little")


def test_tokens_follow_the_documented_construction() -> None:
    record = RecordEncoder(KEY).encode({
        "record_id": "r1", "first_name": "Maribel", "last_name": "Quintero", "date_of_birth": "07/03/2011",
        "street_address": "12 North Main Street", "postcode": "04321-1234", "national_id": "078-05-1120"})
    first, last = code_value(soundex("maribel")), code_value(soundex("quintero"))
    assert (first, last) == (int.from_bytes(b"m614", "little"), int.from_bytes(b"q536", "little"))
    low, high = sorted((first, last))
    street = blake8("12 n main st")
    # Month 7 and day 3: the swapped-date tokens carry them unordered, low first.
    assert record.tokens == {
        "tok_dob": reference_token("tok_dob", 2011, 7, 3),
        "tok_dob_pair": reference_token("tok_dob_pair", 2011, 7, 3),
        "tok_dob_swapped": reference_token("tok_dob_swapped", 2011, 3, 7),
        "tok_dob_first": reference_token("tok_dob_first", 2011, 7, 3, first),
        "tok_swapped_names": reference_token("tok_swapped_names", 2011, 3, 7, low, high),
        "tok_dob_postcode": reference_token("tok_dob_postcode", 2011, 7, 3, place=4321),
        "tok_street_postcode": reference_token("tok_street_postcode", place=4321, value=street),
        "tok_home_ym": reference_token("tok_home_ym", 2011, 7, 0, place=4321, value=street),
        "tok_home_yd": reference_token("tok_home_yd", 2011, 0, 3, place=4321, value=street),
        "tok_home_md": reference_token("tok_home_md", 0, 7, 3, place=4321, value=street),
        "tok_national_id": reference_token("tok_national_id", value=78051120),
    }


def test_token_kinds_are_never_renumbered_nor_reused() -> None:
    assert sorted(TOKEN_KINDS) == sorted(TOKENS)
    assert sorted(TOKEN_KINDS.values()) == [1, 2, 6, 10, 11, 13, 14, 15, 16, 17, 18]
    # The kind numbers are part of the encoding: the tokens v3 had and v5 keeps kept theirs.
    assert {name: TOKEN_KINDS[name] for name in (
        "tok_dob", "tok_dob_swapped", "tok_dob_first", "tok_dob_pair", "tok_dob_postcode",
        "tok_street_postcode", "tok_national_id")} == {
        "tok_dob": 1, "tok_dob_swapped": 2, "tok_dob_first": 6, "tok_dob_pair": 10, "tok_dob_postcode": 11,
        "tok_street_postcode": 13, "tok_national_id": 14}
    # v3's tokens of name codes with part of the date, and v4's of both name codes with the ZIP, are
    # retired, and their kinds with them: a new token under an old kind could equal a value an old
    # file holds. New ones are numbered on.
    retired = {"tok_ym_last": 3, "tok_yd_last": 4, "tok_md_last": 5, "tok_swapped_last": 7,
               "tok_names_yob": 8, "tok_md_names": 9, "tok_names_postcode": 12}
    assert not set(retired) & set(TOKENS)
    assert not set(retired.values()) & set(TOKEN_KINDS.values())
    assert {name: TOKEN_KINDS[name] for name in ("tok_swapped_names", "tok_home_ym", "tok_home_yd",
                                                 "tok_home_md")} == {
        "tok_swapped_names": 15, "tok_home_ym": 16, "tok_home_yd": 17, "tok_home_md": 18}


def test_token_blocks_layout() -> None:
    blocks = token_blocks(13, year=2011, month=7, day=3, code_a=5, code_b=6, place=np.array([4321, 99999]))
    assert blocks.shape == (2, 2) and blocks.dtype == np.uint64
    assert int(blocks[0, 0]) == 13 | 2011 << 8 | 7 << 24 | 3 << 32 | 4321 << 40
    assert int(blocks[1, 0]) == 13 | 2011 << 8 | 7 << 24 | 3 << 32 | 99999 << 40
    assert int(blocks[0, 1]) == 5 | 6 << 32
    assert token_blocks(14, value=2**64 - 1).tolist() == [[14, 2**64 - 1]]
    with pytest.raises(ValueError, match="one byte"):
        token_blocks(0)
    with pytest.raises(ValueError, match="one byte"):
        token_blocks(256)


def test_text_and_digits_values() -> None:
    assert text_value("12 n main st") == blake8("12 n main st")
    assert text_value("12 n main st") != text_value("14 n main st")
    assert digits_value("0123") == digits_value("123") == 123
    assert digits_value("9" * 19) == 10**19 - 1  # still fits the 64-bit word
    assert digits_value("1" * 20) == text_value("1" * 20)


ROWS = [
    {"record_id": "a1", "first_name": "Maribel", "middle_name": "Ines", "last_name": "Quintero-Vidal",
     "date_of_birth": "2011-07-15", "sex": "F", "street_address": "18 Larkspur Lane", "city": "Millbrook",
     "postcode": "04321", "national_id": "078-05-1120"},
    {"record_id": "a2", "first_name": "Quintero", "middle_name": "", "last_name": "Maribel",
     "date_of_birth": "15.07.2011", "sex": "x", "street_address": "18 18 Larkspur Ln #2", "city": "",
     "postcode": "4321", "national_id": "078 05 1120"},
    {"record_id": "a3", "first_name": "", "middle_name": "", "last_name": "", "date_of_birth": "",
     "sex": "", "street_address": "", "city": "", "postcode": "", "national_id": ""},
    {"record_id": "a4", "first_name": "Ogechi", "middle_name": "Ada", "last_name": "O'Brien",
     "date_of_birth": "bad", "sex": "?", "street_address": "PO Box 7", "city": "Fort Kessel",
     "postcode": "x", "national_id": "123.45.6789"},
    {"record_id": "a5", "first_name": "Zoë", "middle_name": "José", "last_name": "de la Cruz",
     "date_of_birth": "20130228", "sex": "2", "street_address": "400 Oak Ave Apt 4", "city": "Española",
     "postcode": "04322-1111", "national_id": "12a4"},
    {"record_id": "a6", "first_name": "Tobias", "middle_name": "", "last_name": "Wren",
     "date_of_birth": "", "sex": "m", "street_address": "7 Quarry Road", "city": "Ashcombe",
     "postcode": "04555", "national_id": "00123"},
]


def test_a_batch_encodes_as_its_rows_do(monkeypatch: pytest.MonkeyPatch) -> None:
    # Chunks of two filters: chunk edges fall between rows with and without a birth date.
    monkeypatch.setattr(bloom, "CHUNK_RECORDS", 2)
    rows = [dict(row, record_id=f"{row['record_id']}-{i}") for i in range(3) for row in ROWS]
    batch = RecordEncoder(KEY).encode_columns({c: [row[c] for row in rows] for c in IDENTITY_COLUMNS})
    single = RecordEncoder(KEY)
    assert len(batch) == len(rows)
    for i, row in enumerate(rows):
        record = single.encode(row)
        assert batch.record_ids[i] == record.record_id
        for field in BLOOM_FIELDS:
            expected = record.blooms[field]
            assert bool(batch.present[field][i]) == (expected is not None)
            assert batch.blooms[field][:, i].astype("<i8").tobytes() == (expected or bytes(64))
        for name in TOKENS:
            assert bool(batch.present[name][i]) == (record.tokens[name] is not None)
            assert int(batch.tokens[name][i]) == (record.tokens[name] or 0)
    # Rows without a usable birth date (a3, a4, a6) have no date-salted filter; a4 and a6 keep
    # their identifier, and a6 its street + ZIP token (but not the household's partial-date ones).
    def rows_of(*names: str) -> list[bool]:
        return [row["record_id"][:2] in names for row in rows]

    assert set(DATE_SALTED) == {"first_name", "middle_name", "last_name", "street_address"}
    for field in ("first_name", "last_name", "street_address"):
        assert batch.present[field].tolist() == rows_of("a1", "a2", "a5"), field
    assert batch.present["middle_name"].tolist() == rows_of("a1", "a5")  # a4 has one, but no date
    # The household filter needs street and ZIP, not a date (a6); a4's ZIP is unusable.
    assert batch.present["first_name_home"].tolist() == rows_of("a1", "a2", "a5", "a6")
    assert batch.present["national_id"].tolist() == rows_of("a1", "a2", "a4", "a6")
    assert batch.present["tok_street_postcode"].tolist() == rows_of("a1", "a2", "a5", "a6")
    for name in ("tok_home_ym", "tok_home_yd", "tok_home_md"):
        assert batch.present[name].tolist() == rows_of("a1", "a2", "a5"), name
    # a2's names are a1's swapped (as a2's surname, a1's first name): one tok_swapped_names, two
    # tok_dob_first, and, the surname being salted with the first-name code, a1's first_name filter
    # is unrelated to a2's last_name filter.
    a1, a2 = rows_of("a1").index(True), rows_of("a2").index(True)
    assert batch.tokens["tok_swapped_names"][a1] == batch.tokens["tok_swapped_names"][a2]
    assert batch.tokens["tok_dob_first"][a1] != batch.tokens["tok_dob_first"][a2]
    crossed = [batch.blooms[field][:, i].astype("<i8").tobytes()
               for field, i in (("first_name", a1), ("last_name", a2))]
    assert dice(*crossed) < 0.5
    assert batch.present["tok_dob"].tolist() == rows_of("a1", "a2", "a5")
    assert dict(batch.missing) == {"first_name": 3, "middle_name": 9, "last_name": 3, "date_of_birth": 9,
                                   "sex": 6, "street_address": 3, "city": 6, "postcode": 6, "national_id": 6}
    assert dict(batch.unusable) == {"date_of_birth": 3, "sex": 3, "postcode": 3, "national_id": 3}


def test_absent_columns_are_empty_and_lengths_must_agree() -> None:
    encoder = RecordEncoder(KEY)
    batch = encoder.encode_columns({"record_id": ["x", "y"], "first_name": ["Ana", ""]})
    assert batch.missing["first_name"] == 1 and batch.missing["city"] == 2 and not batch.unusable
    with pytest.raises(ValueError, match="same length"):
        encoder.encode_columns({"record_id": ["x", "y"], "first_name": ["Ana"]})


@pytest.mark.parametrize("value", [
    "18 Larkspur Lane", "18 18 Main St", "18 18", "18 ", "18", " 18 Main", "18  Main", "18 #4", "18 # 4",
    "0012 North Main Street", "12 Apt #4", "12 apt apt 4", "12 'Main'", "12 Cañón Rd", "١٢ Main St",
    "12\tMain", "12 Main\tStreet", "12 main", "12 12", "12 12 12 Oak", "12 1 2", "", " ", "12 ' 12 x",
    "12 ,12 Oak", "½ Oak", "12 Ünter Straße", "12 ǅ",
])
def test_street_shortcut_matches_the_normaliser(value: str) -> None:
    assert RecordEncoder(KEY)._street(value) == normalise_street_address(value)


@given(st.text(alphabet=st.sampled_from("0123456789 #'.,-aNnSsTtEeéÉ²١\t"), max_size=16))
def test_street_shortcut_matches_the_normaliser_on_any_text(value: str) -> None:
    encoder = RecordEncoder(KEY)
    assert encoder._street(value) == normalise_street_address(value)
    assert encoder._street(value) == normalise_street_address(value)  # and again, from the memo
