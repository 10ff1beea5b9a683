"""Keyed Bloom filters and tokens (encoding v2): determinism, key and salt dependence, similarity,
swapped names, the address filter, the token combinations, and the hardening rules."""

from __future__ import annotations

import pytest

from accord.linkage.encode.bloom import BloomEncoder, BloomParams, bigrams, dice
from accord.linkage.encode.record import BLOOM_FIELDS, IDENTITY_COLUMNS, TOKENS, EncodedRecord, RecordEncoder
from accord.linkage.encode.tokens import soundex

KEY_A = bytes(range(32))
KEY_B = bytes(range(1, 33))
PERSON = {"record_id": "r1", "first_name": "Maribel", "middle_name": "Ines", "last_name": "Quintero-Vidal",
          "date_of_birth": "2011-07-15", "sex": "F", "street_address": "18 Larkspur Lane",
          "city": "Millbrook", "postcode": "04321"}
ENCODER = RecordEncoder(KEY_A)


def encode(**changes: str) -> EncodedRecord:
    return ENCODER.encode({**PERSON, **changes})


def bloom(record: EncodedRecord, field: str) -> bytes:
    value = record.blooms[field]
    assert value is not None, field
    return value


def similarity(a: EncodedRecord, b: EncodedRecord, field: str, other: str | None = None) -> float:
    return dice(bloom(a, field), bloom(b, other or field))


def test_bigrams_are_padded() -> None:
    assert bigrams("ana") == {"_a", "an", "na", "a_"}


def test_same_key_same_output() -> None:
    one, two = RecordEncoder(KEY_A).encode(PERSON), RecordEncoder(KEY_A).encode(PERSON)
    assert one == two
    assert set(one.blooms) == set(BLOOM_FIELDS) and set(one.tokens) == set(TOKENS)
    assert all(v is not None for v in one.blooms.values()) and all(v is not None for v in one.tokens.values())


def test_different_key_different_bits() -> None:
    one, two = RecordEncoder(KEY_A).encode(PERSON), RecordEncoder(KEY_B).encode(PERSON)
    for field in BLOOM_FIELDS:
        assert similarity(one, two, field) < 0.5, field
    for name in TOKENS:
        assert one.tokens[name] != two.tokens[name], name


def test_salt_and_label_change_bits() -> None:
    encoder = BloomEncoder(KEY_A, BloomParams())
    a = encoder.encode("name", 2011 << 32, "maribel")
    assert a == encoder.encode("name", 2011 << 32, "maribel")
    assert dice(a, encoder.encode("name", 2012 << 32, "maribel")) < 0.5
    assert dice(a, encoder.encode("name", 2011 << 32 | 1, "maribel")) < 0.5
    # The hash label is keyed in too: the same text and salt under another label sets other bits.
    assert dice(a, encoder.encode("middle", 2011 << 32, "maribel")) < 0.5


def test_birth_year_salts_every_filter() -> None:
    a, b = encode(), encode(date_of_birth="2012-07-15")
    for field in BLOOM_FIELDS:
        assert similarity(a, b, field) < 0.5, field
    # Another day in the same year is the same salt: the filters do not depend on the day.
    c = encode(date_of_birth="2011-03-02")
    assert all(a.blooms[f] == c.blooms[f] for f in BLOOM_FIELDS)


def test_names_are_salted_with_the_other_names_code() -> None:
    a = encode()
    assert soundex("quinteros") == soundex("quintero")
    same_code = encode(last_name="Quinteros-Vidal")
    assert a.blooms["first_name"] == same_code.blooms["first_name"]
    assert a.blooms["middle_name"] == same_code.blooms["middle_name"]
    assert similarity(a, same_code, "last_name") > 0.8  # the surname itself changed a little
    other_code = encode(last_name="Okafor")
    assert similarity(a, other_code, "first_name") < 0.5  # same first name, unrelated bits
    assert similarity(a, other_code, "middle_name") < 0.5
    # The surname's salt is the first name's code: Marybel is m614 like Maribel, Rosalind is not.
    assert a.blooms["last_name"] == encode(first_name="Marybel").blooms["last_name"]
    assert similarity(a, encode(first_name="Rosalind"), "last_name") < 0.5


def test_swapped_first_and_last_names_compare_equal() -> None:
    left = encode(first_name="Maribel", last_name="Quintero")
    right = encode(first_name="Quintero", last_name="Maribel")
    assert similarity(left, right, "first_name", "last_name") == 1.0
    assert similarity(left, right, "last_name", "first_name") == 1.0
    assert similarity(left, right, "first_name") < 0.5  # as written, the first names differ
    assert left.tokens["tok_names_yob"] == right.tokens["tok_names_yob"]  # the name pair is unordered
    assert left.tokens["tok_md_names"] == right.tokens["tok_md_names"]


def test_middle_name_has_its_own_label() -> None:
    record = encode(middle_name="Maribel")
    assert similarity(record, record, "middle_name", "first_name") < 0.5


@pytest.mark.parametrize(("left", "right"), [
    ("Maribel", "Maribell"), ("Jonathon", "Jonathan"), ("Catherine", "Katherine"), ("Bill", "William"),
])
def test_similar_names_are_close(left: str, right: str) -> None:
    # Catherine/Katherine have different codes (c365/k365) but salt the surname, not themselves.
    assert similarity(encode(first_name=left), encode(first_name=right), "first_name") > 0.75


@pytest.mark.parametrize(("left", "right"), [("Maribel", "Ogechi"), ("Tobias", "Wren"), ("Priya", "Hamish")])
def test_different_names_are_far(left: str, right: str) -> None:
    assert similarity(encode(first_name=left), encode(first_name=right), "first_name") < 0.35


def test_address_filter_joins_normalised_street_city_and_zip() -> None:
    a = encode()
    assert a.blooms["address"] == encode(street_address="18 LARKSPUR LN.", city=" millbrook",
                                         postcode="04321-0007").blooms["address"]
    # Salted with the year of birth only: siblings with other names share the household's filter.
    assert a.blooms["address"] == encode(first_name="Tobias", last_name="Okafor").blooms["address"]
    assert similarity(a, encode(street_address="18 Larkspur Lane Apt 2"), "address") > 0.8
    assert similarity(a, encode(street_address="81 Larkspur Lane"), "address") > 0.7
    assert similarity(a, encode(street_address="7 Quarry Road", city="Ashcombe", postcode="04555"),
                      "address") < 0.35
    # Any one part is enough for a filter; none gives no filter.
    assert encode(street_address="", postcode="").blooms["address"] is not None
    assert encode(street_address="", city="", postcode="").blooms["address"] is None


def test_no_date_of_birth_filter() -> None:
    assert "date_of_birth" not in BLOOM_FIELDS
    assert set(BLOOM_FIELDS) == {"first_name", "middle_name", "last_name", "address"}
    assert BLOOM_FIELDS["first_name"][0] == BLOOM_FIELDS["last_name"][0] != BLOOM_FIELDS["middle_name"][0]


def test_words_are_sixteen_signed_64_bit_integers() -> None:
    value = bloom(encode(), "last_name")
    assert len(value) == 128
    words = ENCODER.words("last_name", value)
    assert len(words) == 16 and all(-(2**63) <= w < 2**63 for w in words)
    assert sum(w.bit_count() if w >= 0 else (w + 2**64).bit_count() for w in words) == \
        int.from_bytes(value, "little").bit_count()
    # About 20 bits for each of the ~15 padded bigrams of 'quintero vidal', few collisions.
    assert 200 < int.from_bytes(value, "little").bit_count() < 320


def test_unusable_values_are_missing_and_reported() -> None:
    record = encode(date_of_birth="2011-02-30", postcode="n/a", middle_name="", sex="unknown")
    assert set(record.missing) == {"date_of_birth", "postcode", "middle_name", "sex"}
    assert set(record.unusable) == {"date_of_birth", "postcode", "sex"}  # empty is missing, not unusable
    assert record.blooms["middle_name"] is None
    # Without a birth date there is no token at all (every one combines a date part)...
    assert all(record.tokens[name] is None for name in TOKENS)
    # ...the names are still encoded, under the year-less salt, and so is the rest of the address.
    assert record.blooms["first_name"] is not None and record.blooms["address"] is not None
    assert similarity(record, encode(), "first_name") < 0.5
    assert ENCODER.encode({"record_id": " r9 "}) == EncodedRecord(
        "r9", dict.fromkeys(BLOOM_FIELDS), dict.fromkeys(TOKENS), IDENTITY_COLUMNS[1:], ())


def test_tokens_catch_one_mistyped_date_part() -> None:
    a = encode()
    day, month, year = encode(date_of_birth="2011-07-16"), encode(date_of_birth="2011-08-15"), \
        encode(date_of_birth="2012-07-15")
    equal = {name: (a.tokens[name] == day.tokens[name], a.tokens[name] == month.tokens[name],
                    a.tokens[name] == year.tokens[name]) for name in TOKENS}
    assert equal == {  # (day mistyped, month mistyped, year mistyped): which tokens still agree
        "tok_dob": (False, False, False), "tok_dob_swapped": (False, False, False),
        "tok_ym_last": (True, False, False), "tok_yd_last": (False, True, False),
        "tok_md_last": (False, False, True), "tok_dob_first": (False, False, False),
        "tok_swapped_last": (False, False, False), "tok_names_yob": (True, True, False),
        "tok_md_names": (False, False, True),
    }


def test_swapped_day_and_month() -> None:
    a, b = encode(date_of_birth="2011-07-03"), encode(date_of_birth="2011-03-07")
    assert a.tokens["tok_dob"] != b.tokens["tok_dob"]
    assert a.tokens["tok_dob_swapped"] == b.tokens["tok_dob_swapped"]
    assert a.tokens["tok_swapped_last"] == b.tokens["tok_swapped_last"]
    assert a.tokens["tok_dob_first"] != b.tokens["tok_dob_first"]


def test_tokens_combine_names_codes_not_spellings() -> None:
    a = encode()
    twin = encode(record_id="r2", first_name="Rosalind", sex="M", street_address="1 Other Road")
    assert a.tokens["tok_dob"] == twin.tokens["tok_dob"]
    assert a.tokens["tok_ym_last"] == twin.tokens["tok_ym_last"]
    assert a.tokens["tok_dob_first"] != twin.tokens["tok_dob_first"]
    assert a.tokens["tok_names_yob"] != twin.tokens["tok_names_yob"]
    # Spellings with one Soundex code block together; the code is of the surname's first word.
    variant = encode(first_name="Marybel", last_name="Quinteros")
    assert all(a.tokens[name] == variant.tokens[name] for name in TOKENS)
    # The token kinds never collide, even where two use the same parts.
    assert len({a.tokens[name] for name in TOKENS}) == len(TOKENS)


def test_tokens_need_their_parts() -> None:
    no_last, no_first = encode(last_name=""), encode(first_name="Dr.")
    assert {n for n in TOKENS if no_last.tokens[n] is None} == {
        "tok_ym_last", "tok_yd_last", "tok_md_last", "tok_swapped_last", "tok_names_yob", "tok_md_names"}
    assert {n for n in TOKENS if no_first.tokens[n] is None} == {
        "tok_dob_first", "tok_names_yob", "tok_md_names"}
    assert no_first.unusable == ("first_name",)


def test_sex_is_in_no_token() -> None:
    assert encode(sex="F").tokens == encode(sex="M").tokens


@pytest.mark.parametrize(("word", "code"), [
    ("robert", "r163"), ("rupert", "r163"), ("ashcraft", "a261"), ("tymczak", "t522"), ("pfister", "p236"),
    ("lee", "l000"), ("", ""),
])
def test_soundex(word: str, code: str) -> None:
    assert soundex(word) == code


def test_bloom_parameters_are_checked() -> None:
    with pytest.raises(ValueError, match="power of two"):
        BloomEncoder(KEY_A, BloomParams(bits=1000))
    with pytest.raises(ValueError, match="power of two"):
        BloomEncoder(KEY_A, BloomParams(bits=1 << 17))
    with pytest.raises(ValueError, match="too many"):
        BloomEncoder(KEY_A, BloomParams(bits=1024, k=60))
