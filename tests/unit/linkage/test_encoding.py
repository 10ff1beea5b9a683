"""Keyed Bloom filters and tokens (encoding v5): determinism, key and salt dependence, similarity,
swapped names, the street filter, the token combinations, and the hardening rules.

The salting and identifier checks are in `test_encode_salts`."""

from __future__ import annotations

import pytest

from accord.linkage.encode.bloom import BloomEncoder, BloomParams, bigrams, dice
from accord.linkage.encode.record import (
    BLOOM_FIELDS,
    DATE_SALTED,
    IDENTITY_COLUMNS,
    TOKENS,
    EncodedRecord,
    RecordEncoder,
)
from accord.linkage.encode.tokens import soundex
from tests.unit.linkage.records import bloom

KEY_A = bytes(range(32))
KEY_B = bytes(range(1, 33))
PERSON = {"record_id": "r1", "first_name": "Maribel", "middle_name": "Ines", "last_name": "Quintero-Vidal",
          "date_of_birth": "2011-07-15", "sex": "F", "street_address": "18 Larkspur Lane",
          "city": "Millbrook", "postcode": "04321", "national_id": "078-05-1120"}
ENCODER = RecordEncoder(KEY_A)
# Tokens that combine a part of the date of birth, and those that do not.
DATED_TOKENS = ("tok_dob", "tok_dob_pair", "tok_dob_swapped", "tok_dob_first", "tok_swapped_names",
                "tok_dob_postcode", "tok_home_ym", "tok_home_yd", "tok_home_md")
UNDATED_TOKENS = ("tok_street_postcode", "tok_national_id")
# The household with two of the date's three parts.
HOME_TOKENS = ("tok_home_ym", "tok_home_yd", "tok_home_md")


def encode(**changes: str) -> EncodedRecord:
    return ENCODER.encode({**PERSON, **changes})


def similarity(a: EncodedRecord, b: EncodedRecord, field: str, other: str | None = None) -> float:
    return dice(bloom(a, field), bloom(b, other or field))


def test_bigrams_are_padded() -> None:
    assert bigrams("ana") == {"_a", "an", "na", "a_"}


def test_token_lists_are_consistent() -> None:
    assert set(DATED_TOKENS) | set(UNDATED_TOKENS) == set(TOKENS) and len(TOKENS) == 11
    assert not set(DATED_TOKENS) & set(UNDATED_TOKENS) and set(HOME_TOKENS) <= set(DATED_TOKENS)
    assert "national_id" in IDENTITY_COLUMNS


def test_same_key_same_output() -> None:
    one, two = RecordEncoder(KEY_A).encode(PERSON), RecordEncoder(KEY_A).encode(PERSON)
    assert one == two
    assert set(one.blooms) == set(BLOOM_FIELDS) and set(one.tokens) == set(TOKENS)
    assert all(v is not None for v in one.blooms.values()) and all(v is not None for v in one.tokens.values())
    assert one.missing == () and one.unusable == ()


def test_different_key_different_bits() -> None:
    one, two = RecordEncoder(KEY_A).encode(PERSON), RecordEncoder(KEY_B).encode(PERSON)
    for field in BLOOM_FIELDS:
        assert similarity(one, two, field) < 0.5, field
    for name in TOKENS:
        assert one.tokens[name] != two.tokens[name], name


def test_salt_and_label_change_bits() -> None:
    encoder = BloomEncoder(KEY_A, BloomParams())
    dob = 2011 << 16 | 7 << 8 | 15
    a = encoder.encode("name", dob, "maribel")
    assert a == encoder.encode("name", dob, "maribel")
    assert dice(a, encoder.encode("name", dob + 1, "maribel")) < 0.5  # one day later
    assert dice(a, encoder.encode("name", 2012 << 16 | 7 << 8 | 15, "maribel")) < 0.5
    assert dice(a, encoder.encode("name", 0, "maribel")) < 0.5
    # The hash label is keyed in too: the same text and salt under another label sets other bits.
    assert dice(a, encoder.encode("middle", dob, "maribel")) < 0.5


def test_filters_and_their_labels() -> None:
    # The date is in these salts, the surname's with the first-name code (the household salts
    # first_name_home, nothing national_id).
    assert set(DATE_SALTED) == {"first_name", "middle_name", "last_name", "street_address"}
    assert BLOOM_FIELDS == {
        "first_name": ("name", 20), "middle_name": ("middle", 20), "last_name": ("name", 20),
        "street_address": ("street", 12), "first_name_home": ("name_home", 20),
        "national_id": ("national_id", 20)}
    # No filter of the date, nor of a low-cardinality value (city, ZIP) or an address joining them.
    assert not {"date_of_birth", "address", "city", "postcode", "sex"} & set(BLOOM_FIELDS)
    assert len({label for label, _ in BLOOM_FIELDS.values()}) == len(BLOOM_FIELDS) - 1  # only 'name' shared


def test_full_birth_date_salts_the_name_and_street_filters() -> None:
    a = encode()
    for other in ("2011-07-16", "2011-08-15", "2012-07-15"):  # one part of the date changed
        b = encode(date_of_birth=other)
        for field in DATE_SALTED:
            assert similarity(a, b, field) < 0.5, (field, other)
        assert a.blooms["national_id"] == b.blooms["national_id"]  # unsalted
        assert a.blooms["first_name_home"] == b.blooms["first_name_home"]  # the household's salt
    # The salt is the date, not how it was written.
    for written in ("15.07.2011", "07/15/2011", "20110715", "15-Jul-2011", "15 July 2011", "2011/7/15"):
        b = encode(date_of_birth=written)
        assert all(a.blooms[f] == b.blooms[f] for f in BLOOM_FIELDS), written


def test_only_the_first_name_code_salts_another_name() -> None:
    a = encode()
    other_surname = encode(last_name="Okafor")
    assert a.blooms["first_name"] == other_surname.blooms["first_name"]
    assert a.blooms["middle_name"] == other_surname.blooms["middle_name"]
    # The surname is salted with the first name's code (r245 for m614 here), not the middle name.
    assert similarity(a, encode(first_name="Rosalind"), "last_name") < 0.5
    assert a.blooms["last_name"] == encode(first_name="Marybel", middle_name="").blooms["last_name"]
    assert similarity(a, encode(last_name="Quinteros-Vidal"), "last_name") > 0.8


def test_swapped_first_and_last_names_share_tok_swapped_names() -> None:
    left = encode(first_name="Maribel", last_name="Quintero")
    right = encode(first_name="Quintero", last_name="Maribel")
    # One label but not one salt for first and last name (the surname's has the first-name code):
    # the filters do not cross-compare ...
    assert similarity(left, right, "first_name", "last_name") < 0.5
    assert similarity(left, right, "last_name", "first_name") < 0.5
    assert similarity(left, right, "first_name") < 0.5  # as written, the first names differ
    # ... but the unordered pairs of name codes do, while tok_dob_first tells the swap from a match.
    assert left.tokens["tok_swapped_names"] == right.tokens["tok_swapped_names"]
    assert left.tokens["tok_dob_first"] != right.tokens["tok_dob_first"]
    # Names and day/month swapped at once (3 July entered as 7 March): still one token.
    july, march = encode(first_name="Maribel", last_name="Quintero", date_of_birth="2011-07-03"), \
        encode(first_name="Quintero", last_name="Maribel", date_of_birth="2011-03-07")
    assert july.tokens["tok_dob"] != march.tokens["tok_dob"]
    assert july.tokens["tok_swapped_names"] == march.tokens["tok_swapped_names"]


def test_middle_name_has_its_own_label() -> None:
    record = encode(middle_name="Maribel")
    assert similarity(record, record, "middle_name", "first_name") < 0.5


@pytest.mark.parametrize(("left", "right"), [
    ("Maribel", "Maribell"), ("Jonathon", "Jonathan"), ("Catherine", "Katherine"), ("Bill", "William"),
])
def test_similar_names_are_close(left: str, right: str) -> None:
    # Catherine/Katherine have different codes (c365/k365), but the first_name filter is not salted
    # with a code (only the surname's is).
    assert similarity(encode(first_name=left), encode(first_name=right), "first_name") > 0.75


@pytest.mark.parametrize(("left", "right"), [("Maribel", "Ogechi"), ("Tobias", "Wren"), ("Priya", "Hamish")])
def test_different_names_are_far(left: str, right: str) -> None:
    assert similarity(encode(first_name=left), encode(first_name=right), "first_name") < 0.35


def test_street_filter_holds_the_normalised_street_alone() -> None:
    a = encode()
    assert a.blooms["street_address"] == encode(street_address="18 LARKSPUR LN.").blooms["street_address"]
    # City and ZIP are in no filter: changing or dropping them leaves the street filter as it is.
    for city, postcode in (("Ashcombe", "04555"), ("", ""), (" millbrook", "04321-0007")):
        assert a.blooms["street_address"] == encode(city=city, postcode=postcode).blooms["street_address"]
    # Salted with the date of birth only: another name on the same day shares it.
    sibling = encode(first_name="Tobias", last_name="Okafor")
    assert a.blooms["street_address"] == sibling.blooms["street_address"]
    assert similarity(a, encode(street_address="18 Larkspur Lane Apt 2"), "street_address") > 0.7
    assert similarity(a, encode(street_address="81 Larkspur Lane"), "street_address") > 0.7
    assert similarity(a, encode(street_address="7 Quarry Road"), "street_address") < 0.35
    # City and ZIP without a street give no street filter.
    assert encode(street_address="").blooms["street_address"] is None


def test_words_are_eight_signed_64_bit_integers_after_folding() -> None:
    value = bloom(encode(), "last_name")
    assert len(value) == 64  # 1,024 bits XOR-folded to 512
    words = ENCODER.words("last_name", value)
    assert len(words) == 8 and all(-(2**63) <= w < 2**63 for w in words)
    assert sum(w.bit_count() if w >= 0 else (w + 2**64).bit_count() for w in words) == \
        int.from_bytes(value, "little").bit_count()
    # About 20 bits for each of the ~15 padded bigrams of 'quintero vidal', folded into 512 bits
    # where a pair of set bits cancels out.
    assert 150 < int.from_bytes(value, "little").bit_count() < 280


def test_unusable_values_are_missing_and_reported() -> None:
    record = encode(date_of_birth="2011-02-30", postcode="n/a", middle_name="", sex="unknown",
                    national_id="078-05-112O")  # a letter O for a zero
    assert set(record.missing) == {"date_of_birth", "postcode", "middle_name", "sex", "national_id"}
    assert set(record.unusable) == {"date_of_birth", "postcode", "sex", "national_id"}  # empty: not unusable
    # Without a birth date: no date-salted filter, no token with a date part; without ZIP or
    # identifier, no token of those either, nor the household's filter.
    assert all(record.blooms[field] is None for field in DATE_SALTED)
    assert record.blooms["first_name_home"] is None
    assert record.blooms["national_id"] is None
    assert all(record.tokens[name] is None for name in TOKENS)
    assert ENCODER.encode({"record_id": " r9 "}) == EncodedRecord(
        "r9", dict.fromkeys(BLOOM_FIELDS), dict.fromkeys(TOKENS), IDENTITY_COLUMNS[1:], ())


def test_tokens_catch_one_mistyped_date_part() -> None:
    a = encode()
    day, month, year = encode(date_of_birth="2011-07-16"), encode(date_of_birth="2011-08-15"), \
        encode(date_of_birth="2012-07-15")
    equal = {name: (a.tokens[name] == day.tokens[name], a.tokens[name] == month.tokens[name],
                    a.tokens[name] == year.tokens[name]) for name in TOKENS}
    # (day mistyped, month mistyped, year mistyped): which tokens still agree. In one household,
    # exactly one of the three partial-date tokens does; no token joins a partial date with names.
    assert equal == {
        "tok_dob": (False, False, False), "tok_dob_pair": (False, False, False),
        "tok_dob_swapped": (False, False, False), "tok_dob_first": (False, False, False),
        "tok_swapped_names": (False, False, False), "tok_dob_postcode": (False, False, False),
        "tok_street_postcode": (True, True, True),
        "tok_home_ym": (True, False, False), "tok_home_yd": (False, True, False),
        "tok_home_md": (False, False, True),
        "tok_national_id": (True, True, True),
    }


@pytest.mark.parametrize(("dob", "agreeing"), [
    ("2011-07-28", "tok_home_ym"), ("2011-03-15", "tok_home_yd"), ("2009-07-15", "tok_home_md"),
])
def test_home_partial_date_tokens_agree_in_one_household(dob: str, agreeing: str) -> None:
    # The same household, written otherwise, and two equal date parts: the token for those parts
    # agrees whatever the names (a brother or sister born the same month shares tok_home_ym).
    a = encode()
    same_home = encode(street_address="18 LARKSPUR LN.", postcode="04321-0007", first_name="Tobias",
                       last_name="Okafor", date_of_birth=dob, city="", national_id="")
    assert {n for n in HOME_TOKENS if a.tokens[n] == same_home.tokens[n]} == {agreeing}


def test_home_partial_date_tokens_differ_across_households() -> None:
    # Another household, the same date: none agrees, and neither does the household's own token.
    a = encode()
    for changes in ({"street_address": "20 Larkspur Lane"}, {"street_address": "18 Larkspur Lane Apt 2"},
                    {"postcode": "04322"}, {"street_address": "7 Quarry Road", "postcode": "04555"}):
        other = encode(**changes)
        assert other.tokens["tok_dob"] == a.tokens["tok_dob"], changes
        assert a.tokens["tok_street_postcode"] != other.tokens["tok_street_postcode"], changes
        assert all(a.tokens[n] != other.tokens[n] for n in HOME_TOKENS), changes


def test_swapped_day_and_month() -> None:
    a, b = encode(date_of_birth="2011-07-03"), encode(date_of_birth="2011-03-07")
    assert a.tokens["tok_dob"] != b.tokens["tok_dob"]
    assert a.tokens["tok_dob_swapped"] == b.tokens["tok_dob_swapped"]
    assert a.tokens["tok_swapped_names"] == b.tokens["tok_swapped_names"]
    assert a.tokens["tok_dob_first"] != b.tokens["tok_dob_first"]
    # A swap moves two parts at once: only the year is left in place, so no household token agrees.
    assert all(a.tokens[n] != b.tokens[n] for n in HOME_TOKENS)


def test_tokens_combine_names_codes_not_spellings() -> None:
    a = encode()
    twin = encode(record_id="r2", first_name="Rosalind", sex="M", national_id="")
    assert a.tokens["tok_dob"] == twin.tokens["tok_dob"]
    assert a.tokens["tok_dob_postcode"] == twin.tokens["tok_dob_postcode"]
    assert a.tokens["tok_street_postcode"] == twin.tokens["tok_street_postcode"]
    assert all(a.tokens[n] == twin.tokens[n] for n in HOME_TOKENS)  # one household, one date
    assert a.tokens["tok_dob_first"] != twin.tokens["tok_dob_first"]  # m614 against r245
    assert a.tokens["tok_swapped_names"] != twin.tokens["tok_swapped_names"]
    # A surname with another code: the pair of codes differs, the first-name code does not.
    cousin = encode(last_name="Okafor")
    assert a.tokens["tok_dob_first"] == cousin.tokens["tok_dob_first"]
    assert a.tokens["tok_swapped_names"] != cousin.tokens["tok_swapped_names"]
    # Spellings with one Soundex code block together; the code is of the surname's first word.
    variant = encode(first_name="Marybel", last_name="Quinteros")
    assert soundex("marybel") == soundex("maribel")
    assert all(a.tokens[name] == variant.tokens[name] for name in TOKENS)
    # The token kinds never collide, even where two use the same parts.
    assert len({a.tokens[name] for name in TOKENS}) == len(TOKENS)


def test_tokens_need_their_parts() -> None:
    def absent(**changes: str) -> set[str]:
        record = encode(**changes)
        return {n for n in TOKENS if record.tokens[n] is None}

    assert absent(last_name="") == {"tok_swapped_names"}
    assert absent(first_name="Dr.") == {"tok_dob_first", "tok_swapped_names"}
    assert encode(first_name="Dr.").unusable == ("first_name",)
    # The household is street and ZIP: either missing takes it and its partial-date tokens away.
    assert absent(postcode="") == {"tok_dob_postcode", "tok_street_postcode", *HOME_TOKENS}
    assert absent(street_address="") == {"tok_street_postcode", *HOME_TOKENS}
    assert absent(national_id="") == {"tok_national_id"}
    assert absent(date_of_birth="") == set(DATED_TOKENS)
    assert absent(city="", sex="", middle_name="") == set()


def test_sex_and_city_are_in_no_token() -> None:
    assert encode(sex="F").tokens == encode(sex="M").tokens
    assert encode(city="Millbrook").tokens == encode(city="Ashcombe").tokens


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
