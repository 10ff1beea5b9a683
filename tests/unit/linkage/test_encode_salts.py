"""How the filters are salted: first and middle name and street with the full date of birth alone,
the last name with the date and the first name's code (all absent without a date), the first name
again with the household, the unsalted national identifier; the tokens that need no date (street +
ZIP, identifier), and that no token holds a name code without the whole date."""

from __future__ import annotations

from itertools import combinations

import pytest

from accord.linkage.encode.bloom import dice
from accord.linkage.encode.record import (
    BLOOM_FIELDS,
    DATE_SALTED,
    IDENTITY_COLUMNS,
    TOKENS,
    EncodedRecord,
    RecordEncoder,
)
from accord.linkage.encode.tokens import digits_value, soundex
from tests.unit.linkage.records import bloom

KEY = bytes(range(32))
PERSON = {"record_id": "r1", "first_name": "Maribel", "middle_name": "Ines", "last_name": "Quintero",
          "date_of_birth": "2011-07-15", "sex": "F", "street_address": "12 North Main Street",
          "city": "Millbrook", "postcode": "04321", "national_id": "078-05-1120"}
ENCODER = RecordEncoder(KEY)


def encode(**changes: str) -> EncodedRecord:
    return ENCODER.encode({**PERSON, **changes})


def token(record: EncodedRecord, name: str) -> int:
    value = record.tokens[name]
    assert value is not None, name
    return value


# Same name and salt: one filter, whoever else the two records differ on.


def test_same_name_and_birth_date_give_the_same_name_filters() -> None:
    a = encode()
    other = encode(record_id="r2", last_name="Okafor", sex="M", street_address="7 Quarry Road",
                   city="Ashcombe", postcode="04555", national_id="", date_of_birth="07/15/2011")
    assert bloom(a, "first_name") == bloom(other, "first_name")
    assert bloom(a, "middle_name") == bloom(other, "middle_name")
    # The surname's salt is the date and the first-name code: a first name spelt otherwise with the
    # same code, and no middle name, leave it as it is.
    assert soundex("marybel") == soundex("maribel")
    assert bloom(a, "last_name") == bloom(encode(first_name="Marybel", middle_name=""), "last_name")


# The last name's salt: the date of birth and the first name's code.


@pytest.mark.parametrize(("left", "right"), [
    ("Maribel", "Marybel"),  # m614 both: another spelling, one code
    ("Maribel", "MARIBEL"),
    ("Bill", "William"),  # a nickname: the code is of the canonical name
    ("Liz", "Betty"),  # two nicknames of one name
    ("Mary Ann", "Mary"),  # the code is of the first word alone
])
def test_same_date_surname_and_first_name_code_give_one_last_name_filter(left: str, right: str) -> None:
    a, b = encode(first_name=left), encode(first_name=right, middle_name="", street_address="7 Quarry Road",
                                           postcode="04555", national_id="")
    assert bloom(a, "last_name") == bloom(b, "last_name")


@pytest.mark.parametrize(("left", "right"), [
    ("Maribel", "Quintero"),  # m614, q536
    ("Ann", "Beth"),  # a500, e421 (Beth is elizabeth)
    ("Maribel", "Mabel"),  # m140: a letter dropped that changes the code
    ("Catherine", "Katherine"),  # c365, k365: one sound, another first letter
])
def test_another_first_name_code_gives_an_unrelated_last_name_filter(left: str, right: str) -> None:
    # Two children of one surname born on one day share a surname filter only when their first
    # names share a code as well: that is what keeps the commonest surname's pairs few.
    a, b = encode(first_name=left), encode(first_name=right)
    assert token(a, "tok_dob") == token(b, "tok_dob")
    assert dice(bloom(a, "last_name"), bloom(b, "last_name")) < 0.5
    # The first name salts only the surname: the street and middle name filters are one.
    for field in ("middle_name", "street_address"):
        assert bloom(a, field) == bloom(b, field), field


@pytest.mark.parametrize(("changes", "same_salt"), [
    ({"first_name": "Marybel"}, True),  # m614 still
    ({"middle_name": ""}, True),  # the middle name is in no salt
    ({"street_address": "7 Quarry Road", "postcode": "04555"}, True),  # nor the household
    ({"date_of_birth": "07/15/2011"}, True),  # the date, not how it was written
    ({"first_name": "Rosalind"}, False),  # r245 for m614
    ({"first_name": "Mabel"}, False),  # m140
    ({"date_of_birth": "2011-07-16"}, False),
    ({"date_of_birth": "2011-03-07"}, False),  # day and month swapped
    ({"date_of_birth": "2010-07-15"}, False),
])
def test_last_name_filter_compares_exactly_when_tok_dob_first_is_equal(changes: dict[str, str],
                                                                       same_salt: bool) -> None:
    # The hub reads an equal tok_dob_first (date + first-name code) as "the surname filters share a
    # salt": the two must agree, or it would compare unrelated bits or skip comparable ones.
    a, b = encode(), encode(**changes)
    assert (token(a, "tok_dob_first") == token(b, "tok_dob_first")) is same_salt
    if same_salt:
        assert bloom(a, "last_name") == bloom(b, "last_name")
    else:
        assert dice(bloom(a, "last_name"), bloom(b, "last_name")) < 0.5


def test_first_names_with_another_code_no_longer_compare_on_the_surname() -> None:
    # Josie and Josephine: one child, two first-name codes (j200, j215), so tok_dob_first differs,
    # the first_name filters are only close, and the surname filters, salted with the code, are
    # unrelated. What still joins the two records is the date with the ZIP, and the household.
    assert soundex("josie") != soundex("josephine")
    josie = encode(first_name="Josie", middle_name="")
    josephine = encode(first_name="Josephine", middle_name="")
    assert token(josie, "tok_dob_first") != token(josephine, "tok_dob_first")
    assert dice(bloom(josie, "last_name"), bloom(josephine, "last_name")) < 0.5
    assert 0.3 < dice(bloom(josie, "first_name"), bloom(josephine, "first_name")) < 1.0
    for name in ("tok_dob_postcode", "tok_street_postcode"):
        assert token(josie, name) == token(josephine, name), name


@pytest.mark.parametrize("first_name", ["", "   ", "Dr.", "123", "李"])
def test_no_usable_first_name_leaves_a_surname_filter_salted_with_the_date(first_name: str) -> None:
    # Without a first name the surname's salt is the date alone (its code is 0): the filter stays,
    # one for every record of that surname and day without a first name, and differs from the
    # filter under a first name's code. Only the two first-name filters go.
    record = encode(first_name=first_name)
    assert record.blooms["first_name"] is None and record.blooms["first_name_home"] is None
    assert record.missing == ("first_name",)
    full = encode()
    for field in BLOOM_FIELDS.keys() - {"first_name", "first_name_home", "last_name"}:
        assert bloom(record, field) == bloom(full, field), field
    nameless = encode(first_name="", middle_name="", postcode="")
    assert bloom(record, "last_name") == bloom(nameless, "last_name")
    assert dice(bloom(record, "last_name"), bloom(full, "last_name")) < 0.5
    # Of the tokens, only the two with the first-name code are gone.
    assert {n for n in TOKENS if record.tokens[n] is None} == {"tok_dob_first", "tok_swapped_names"}


def test_no_first_name_in_a_batch_leaves_only_that_rows_first_name_filters_out() -> None:
    rows = [dict(PERSON, record_id="a"), dict(PERSON, record_id="b", first_name=""),
            dict(PERSON, record_id="c", first_name="Dr."), dict(PERSON, record_id="d", date_of_birth=""),
            dict(PERSON, record_id="e", first_name="Rosalind")]
    batch = ENCODER.encode_columns({c: [row[c] for row in rows] for c in IDENTITY_COLUMNS})
    assert batch.present["first_name"].tolist() == [True, False, False, False, True]
    assert not batch.blooms["first_name"][:, 1:4].any()
    # The household's first name needs no date (d), but a first name.
    assert batch.present["first_name_home"].tolist() == [True, False, False, True, True]
    for field in ("middle_name", "last_name", "street_address"):  # need a date, not a first name
        assert batch.present[field].tolist() == [True, True, True, False, True], field
    for i, row in enumerate(rows):  # and row by row, as a single record encodes
        record = ENCODER.encode(row)
        for field in BLOOM_FIELDS:
            assert bool(batch.present[field][i]) == (record.blooms[field] is not None), (field, i)
    assert batch.missing["first_name"] == 2 and batch.unusable["first_name"] == 1


@pytest.mark.parametrize(("left", "right"), [
    ("2011-07-15", "2011-07-16"),  # one day
    ("2011-07-31", "2011-08-01"),  # one day, across a month
    ("2011-12-31", "2012-01-01"),  # one day, across a year
    ("2011-07-15", "2011-08-15"),
    ("2011-07-15", "2010-07-15"),
    ("2011-07-03", "2011-03-07"),  # day and month swapped
])
def test_another_birth_date_makes_every_date_salted_filter_unrelated(left: str, right: str) -> None:
    a, b = encode(date_of_birth=left), encode(date_of_birth=right)
    for field in DATE_SALTED:
        assert dice(bloom(a, field), bloom(b, field)) < 0.5, field
    assert bloom(a, "national_id") == bloom(b, "national_id")


@pytest.mark.parametrize("dob", ["", "   ", "2011-02-30", "unknown", "2099-01-01"])
def test_no_usable_birth_date_no_date_salted_filter(dob: str) -> None:
    record = encode(date_of_birth=dob)
    assert {field: record.blooms[field] for field in DATE_SALTED} == dict.fromkeys(DATE_SALTED)
    assert bloom(record, "first_name_home") == bloom(encode(), "first_name_home")  # the household's
    assert bloom(record, "national_id") == bloom(encode(), "national_id")  # unsalted, still there
    assert record.missing == ("date_of_birth",)
    assert record.unusable == (("date_of_birth",) if dob.strip() else ())


def test_no_birth_date_in_a_batch_leaves_only_that_row_out() -> None:
    rows = [dict(PERSON, record_id="a"), dict(PERSON, record_id="b", date_of_birth=""),
            dict(PERSON, record_id="c", date_of_birth="2011-07-16")]
    batch = ENCODER.encode_columns({c: [row[c] for row in rows] for c in PERSON})
    for field in DATE_SALTED:
        assert batch.present[field].tolist() == [True, False, True], field
        assert not batch.blooms[field][:, 1].any(), field
    assert batch.present["national_id"].tolist() == [True, True, True]
    assert batch.missing["date_of_birth"] == 1 and not batch.unusable


@pytest.mark.parametrize("middle_name", ["", "   ", "Dr.", "123", "李"])
def test_no_usable_middle_name_leaves_every_other_filter_and_token(middle_name: str) -> None:
    # The middle name salts nothing and is in no token: only its own filter goes.
    record = encode(middle_name=middle_name)
    assert record.blooms["middle_name"] is None
    assert record.missing == ("middle_name",)
    full = encode()
    for field in BLOOM_FIELDS.keys() - {"middle_name"}:
        assert bloom(record, field) == bloom(full, field), field
    assert record.tokens == full.tokens


def test_swapped_names_are_found_by_token_under_one_birth_date_only() -> None:
    # First and last name share the label 'name', but the surname's salt holds the first-name code:
    # a record with the two the wrong way round no longer cross-compares filter for filter. The
    # swap shows in tok_swapped_names (both codes, unordered) equal with tok_dob_first unequal.
    left = encode(first_name="Maribel", last_name="Quintero")
    right = encode(first_name="Quintero", last_name="Maribel")
    assert dice(bloom(left, "first_name"), bloom(right, "last_name")) < 0.5
    assert dice(bloom(left, "last_name"), bloom(right, "first_name")) < 0.5
    assert token(left, "tok_swapped_names") == token(right, "tok_swapped_names")
    assert token(left, "tok_dob_first") != token(right, "tok_dob_first")
    # Under another birth date the token does not agree either.
    later = encode(first_name="Quintero", last_name="Maribel", date_of_birth="2011-07-16")
    assert token(left, "tok_swapped_names") != token(later, "tok_swapped_names")


def test_street_filter_ignores_city_and_zip() -> None:
    a = encode()
    for city, postcode in (("Ashcombe", "04555"), ("", ""), ("MILLBROOK", "04321-1234")):
        assert bloom(a, "street_address") == bloom(encode(city=city, postcode=postcode), "street_address")
    assert bloom(a, "street_address") == bloom(encode(street_address="12 N. Main St."), "street_address")
    assert encode(street_address="", city="Millbrook", postcode="04321").blooms["street_address"] is None


# The national identifier: separators dropped, digits only, unsalted.


@pytest.mark.parametrize("written", ["078 05 1120", "078.05.1120", "078051120", " 078-05-1120 ",
                                     "078/05/1120"])
def test_national_id_separators_do_not_matter(written: str) -> None:
    a, b = encode(), encode(national_id=written)
    assert bloom(a, "national_id") == bloom(b, "national_id")
    assert token(a, "tok_national_id") == token(b, "tok_national_id")
    assert b.missing == () and b.unusable == ()


@pytest.mark.parametrize("written", ["078-05-112O", "A078051120", "SSN 078-05-1120", "123", "1-2", "12 3",
                                     "0" * 31, "０７８０５１１２０"])
def test_national_id_with_letters_or_too_short_is_missing(written: str) -> None:
    record = encode(national_id=written)
    assert record.blooms["national_id"] is None and record.tokens["tok_national_id"] is None
    assert record.missing == ("national_id",) and record.unusable == ("national_id",)
    assert record.blooms["first_name"] == encode().blooms["first_name"]  # the rest of the row stands


def test_national_id_is_unsalted_and_compares_by_spelling() -> None:
    a = encode()
    for changes in ({"date_of_birth": "2012-01-01"}, {"date_of_birth": ""}, {"first_name": "Tobias"},
                    {"street_address": "", "postcode": ""}):
        assert bloom(a, "national_id") == bloom(encode(**changes), "national_id"), changes
    near = encode(national_id="078-05-1121")  # one digit mistyped: a close filter, another token
    assert 0.7 < dice(bloom(a, "national_id"), bloom(near, "national_id")) < 1.0
    assert token(a, "tok_national_id") != token(near, "tok_national_id")
    assert dice(bloom(a, "national_id"), bloom(encode(national_id="219-09-9999"), "national_id")) < 0.5


def test_tok_national_id_ignores_leading_zeros() -> None:
    # Spreadsheets drop leading zeros: the token is of the identifier's value, not its digits.
    assert digits_value("0123") == digits_value("123") == 123
    assert token(encode(national_id="0123"), "tok_national_id") == token(encode(national_id="00123"),
                                                                         "tok_national_id")
    assert token(encode(national_id="01234"), "tok_national_id") == token(encode(national_id="1234"),
                                                                          "tok_national_id")
    assert token(encode(), "tok_national_id") == token(encode(national_id="78051120"), "tok_national_id")
    assert token(encode(national_id="12340"), "tok_national_id") != token(encode(national_id="1234"),
                                                                         "tok_national_id")
    # '123' alone is too short to be an identifier at all.
    assert encode(national_id="123").tokens["tok_national_id"] is None
    # Longer than 19 digits: still one token per value, and not that of a prefix.
    long = "12345678901234567890123"
    assert token(encode(national_id=long), "tok_national_id") == \
        token(encode(national_id=f"{long[:10]}-{long[10:]}"), "tok_national_id")
    assert token(encode(national_id=long), "tok_national_id") != \
        token(encode(national_id=long[:19]), "tok_national_id")


# Tokens that need no date.


@pytest.mark.parametrize("dob", ["2011-07-16", "1980-01-01", "", "2011-02-30"])
def test_street_and_identifier_tokens_need_no_birth_date(dob: str) -> None:
    a, b = encode(), encode(date_of_birth=dob)
    for name in ("tok_street_postcode", "tok_national_id"):
        assert token(a, name) == token(b, name), name


@pytest.mark.parametrize("dob", ["", "2011-02-30"])
def test_without_a_birth_date_only_the_undated_tokens_remain(dob: str) -> None:
    # A wrong or missing date leaves no token of the names: v4's names + ZIP token is gone.
    record = encode(date_of_birth=dob)
    assert {n for n in TOKENS if record.tokens[n] is not None} == {"tok_street_postcode", "tok_national_id"}


@pytest.mark.parametrize("dob", ["2011-07-16", "2011-08-15", "2012-07-15"])
def test_no_token_holds_a_name_code_without_the_whole_date(dob: str) -> None:
    # The hub counts each token's values, and the largest counts of a token of name codes without
    # the whole date single out the commonest surname. So every token that tells two name pairs
    # apart must also tell apart two dates that differ in one part.
    a = encode()
    naming = {n for n in TOKENS if token(a, n) != token(encode(first_name="Tobias", last_name="Okafor"), n)}
    assert naming == {"tok_dob_first", "tok_swapped_names"}
    other_date = encode(date_of_birth=dob)
    for name in naming:
        assert token(a, name) != token(other_date, name), name


@pytest.mark.parametrize("dob", ["", "2011-02-30"])
def test_without_a_birth_date_no_token_tells_name_pairs_apart(dob: str) -> None:
    # v4's names + ZIP token did, for records of one ZIP without a date; v5 has no such token.
    a = encode(date_of_birth=dob)
    assert a.tokens == encode(date_of_birth=dob, first_name="Tobias", last_name="Okafor").tokens
    assert a.tokens == encode(date_of_birth=dob, first_name="Quintero", last_name="Maribel").tokens


@pytest.mark.parametrize(("street", "postcode"), [
    ("12 N Main St", "04321"), ("12 north main street", "04321-0001"), ("12 N. MAIN ST.", "043210001"),
    ("12 North Main Street", "4321"),
])
def test_tok_street_postcode_survives_formatting(street: str, postcode: str) -> None:
    a = encode()
    b = encode(street_address=street, postcode=postcode, first_name="Tobias", last_name="Okafor",
               date_of_birth="", national_id="", city="")
    assert token(a, "tok_street_postcode") == token(b, "tok_street_postcode")


def test_tok_street_postcode_tells_households_apart() -> None:
    a = token(encode(), "tok_street_postcode")
    assert a != token(encode(street_address="14 North Main Street"), "tok_street_postcode")
    assert a != token(encode(street_address="12 South Main Street"), "tok_street_postcode")
    assert a != token(encode(postcode="04322"), "tok_street_postcode")
    assert a != token(encode(street_address="12 North Main Street Apt 4"), "tok_street_postcode")


def test_tok_dob_pair_equal_exactly_when_tok_dob_is() -> None:
    dobs = ["2011-07-15", "15.07.2011", "2011-07-16", "2011-03-07", "2011-07-03", "2012-07-15", "20110715"]
    records = [encode(date_of_birth=d) for d in dobs]
    for a, b in combinations(records, 2):
        same_dob = token(a, "tok_dob") == token(b, "tok_dob")
        assert same_dob == (token(a, "tok_dob_pair") == token(b, "tok_dob_pair"))
    assert token(records[0], "tok_dob_pair") == token(records[1], "tok_dob_pair")  # some pairs are equal
    tok_dob = {token(r, "tok_dob") for r in records}
    assert not tok_dob & {token(r, "tok_dob_pair") for r in records}
    # Names, places and identifiers are not part of it.
    bare = encode(first_name="Tobias", last_name="", postcode="", street_address="", national_id="")
    assert token(records[0], "tok_dob_pair") == token(bare, "tok_dob_pair")


def test_every_token_present_is_distinct_across_kinds() -> None:
    record = encode()
    values = [token(record, name) for name in TOKENS]
    assert len(set(values)) == len(TOKENS)


@pytest.mark.parametrize("placeholder", ["000-00-0000", "0000"])
def test_an_all_zero_identifier_is_either_missing_or_fully_encoded(placeholder: str) -> None:
    record = encode(national_id=placeholder)
    assert (record.blooms["national_id"] is None) == (record.tokens["tok_national_id"] is None)
