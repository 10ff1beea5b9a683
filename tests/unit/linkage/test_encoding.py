"""Keyed Bloom filters and tokens: determinism, key and salt dependence, similarity, hardening rules."""

from __future__ import annotations

import pytest

from accord.linkage.encode.bloom import BloomEncoder, BloomParams, bigrams, dice
from accord.linkage.encode.record import TOKENS, RecordEncoder
from accord.linkage.encode.tokens import soundex

KEY_A = bytes(range(32))
KEY_B = bytes(range(1, 33))
PERSON = {"record_id": "r1", "first_name": "Maribel", "middle_name": "Ines", "last_name": "Quintero-Vidal",
          "date_of_birth": "2011-07-15", "sex": "F", "street_address": "18 Larkspur Lane",
          "city": "Millbrook", "postcode": "04321"}


def test_bigrams_are_padded() -> None:
    assert bigrams("ana") == {"_a", "an", "na", "a_"}


def test_same_key_same_output() -> None:
    one, two = RecordEncoder(KEY_A).encode(PERSON), RecordEncoder(KEY_A).encode(PERSON)
    assert one == two


def test_different_key_different_bits() -> None:
    one, two = RecordEncoder(KEY_A).encode(PERSON), RecordEncoder(KEY_B).encode(PERSON)
    for field, bloom in one.blooms.items():
        assert bloom is not None and bloom != two.blooms[field]
        assert dice(bloom, two.blooms[field] or b"") < 0.5, field
    for name in TOKENS:
        assert one.tokens[name] != two.tokens[name]


def test_salt_changes_bits() -> None:
    encoder = BloomEncoder(KEY_A, BloomParams())
    a = encoder.encode("first_name", "2011", "maribel")
    assert a == encoder.encode("first_name", "2011", "maribel")
    assert dice(a, encoder.encode("first_name", "2012", "maribel")) < 0.5
    # The field name is hashed in too: the same text in another field sets other bits.
    assert dice(a, encoder.encode("middle_name", "2011", "maribel")) < 0.5


def test_birth_year_salts_name_fields_but_not_the_date() -> None:
    encoder = RecordEncoder(KEY_A)
    a = encoder.encode(PERSON)
    b = encoder.encode({**PERSON, "date_of_birth": "2012-07-15"})
    assert dice(a.blooms["first_name"] or b"", b.blooms["first_name"] or b"") < 0.5
    assert dice(a.blooms["date_of_birth"] or b"", b.blooms["date_of_birth"] or b"") > 0.7


@pytest.mark.parametrize(("left", "right"), [
    ("Maribel", "Maribell"), ("Jonathon", "Jonathan"), ("Catherine", "Katherine"), ("Bill", "William"),
])
def test_similar_names_are_close(left: str, right: str) -> None:
    encoder = RecordEncoder(KEY_A)
    a = encoder.encode({**PERSON, "first_name": left}).blooms["first_name"]
    b = encoder.encode({**PERSON, "first_name": right}).blooms["first_name"]
    assert a is not None and b is not None and dice(a, b) > 0.75


@pytest.mark.parametrize(("left", "right"), [("Maribel", "Ogechi"), ("Tobias", "Wren"), ("Priya", "Hamish")])
def test_different_names_are_far(left: str, right: str) -> None:
    encoder = RecordEncoder(KEY_A)
    a = encoder.encode({**PERSON, "first_name": left}).blooms["first_name"]
    b = encoder.encode({**PERSON, "first_name": right}).blooms["first_name"]
    assert a is not None and b is not None and dice(a, b) < 0.35


def test_words_are_sixteen_signed_64_bit_integers() -> None:
    encoder = RecordEncoder(KEY_A)
    bloom = encoder.encode(PERSON).blooms["last_name"]
    assert bloom is not None and len(bloom) == 128
    words = encoder.words("last_name", bloom)
    assert len(words) == 16 and all(-(2**63) <= w < 2**63 for w in words)
    assert sum(w.bit_count() if w >= 0 else (w + 2**64).bit_count() for w in words) == \
        int.from_bytes(bloom, "little").bit_count()


def test_unusable_values_are_missing_and_reported() -> None:
    record = RecordEncoder(KEY_A).encode({**PERSON, "date_of_birth": "2011-02-30", "postcode": "n/a",
                                          "middle_name": ""})
    assert record.blooms["date_of_birth"] is None and record.blooms["postcode"] is None
    assert record.blooms["middle_name"] is None
    assert set(record.unusable) == {"date_of_birth", "postcode"}  # empty is missing, not unusable
    # Without a birth date there is no dob token; no token is ever made of sex alone.
    assert record.tokens["tok_dob"] is None and record.tokens["tok_dob_sex"] is None


def test_tokens_only_for_combinations() -> None:
    encoder = RecordEncoder(KEY_A)
    a = encoder.encode(PERSON)
    twin = encoder.encode({**PERSON, "record_id": "r2", "first_name": "Rosalind", "sex": "M"})
    assert a.tokens["tok_dob"] == twin.tokens["tok_dob"]
    assert a.tokens["tok_surname_yob"] == twin.tokens["tok_surname_yob"]
    assert a.tokens["tok_dob_sex"] != twin.tokens["tok_dob_sex"]
    assert a.tokens["tok_names"] != twin.tokens["tok_names"]
    # The surname token keys on the first surname, so a dropped second surname still blocks together.
    short = encoder.encode({**PERSON, "last_name": "Quintero"})
    assert a.tokens["tok_surname_yob"] == short.tokens["tok_surname_yob"]


@pytest.mark.parametrize(("word", "code"), [
    ("robert", "r163"), ("rupert", "r163"), ("ashcraft", "a261"), ("tymczak", "t522"), ("pfister", "p236"),
    ("lee", "l000"), ("", ""),
])
def test_soundex(word: str, code: str) -> None:
    assert soundex(word) == code


def test_bloom_parameters_are_checked() -> None:
    with pytest.raises(ValueError, match="power of two"):
        BloomEncoder(KEY_A, BloomParams(bits=1000))
    with pytest.raises(ValueError, match="too many"):
        BloomEncoder(KEY_A, BloomParams(bits=1024, k=60))


@pytest.mark.parametrize("text", ["ana", "x", "garcia lopez", "12 n main st", "400 oak ave apt 4 apt", "a b"])
def test_word_segments_give_exactly_the_bigram_filter(text: str) -> None:
    encoder = BloomEncoder(KEY_A, BloomParams())
    masks = encoder.masks("street_address", "2011")
    expected = 0
    for gram in bigrams(text):
        expected |= masks[gram]
    assert encoder.encode("street_address", "2011", text) == expected.to_bytes(128, "little")
