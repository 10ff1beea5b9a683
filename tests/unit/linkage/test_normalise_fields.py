"""Dates, sex, postcodes, street addresses, cities and national identifiers, field by field."""

from __future__ import annotations

from datetime import date

import pytest

from accord.linkage.normalise import (
    normalise_city,
    normalise_date,
    normalise_given_name,
    normalise_national_id,
    normalise_postcode,
    normalise_sex,
    normalise_street_address,
    normalise_surname,
)

TODAY = date(2026, 6, 1)


@pytest.mark.parametrize(("raw", "expected"), [
    ("2012-03-04", date(2012, 3, 4)),
    ("2012/03/04", date(2012, 3, 4)),
    ("2012-3-4", date(2012, 3, 4)),
    ("03/04/2012", date(2012, 3, 4)),  # slashes, year last: US month first
    ("3/4/2012", date(2012, 3, 4)),
    ("04.03.2012", date(2012, 3, 4)),  # dots: day first
    (" 2012-03-04 ", date(2012, 3, 4)),
    ("2012-02-29", date(2012, 2, 29)),
    ("2013-02-29", None),  # not a leap year
    ("2012-13-01", None),
    ("13/13/2012", None),
    ("31.02.2012", None),
    ("2027-01-01", None),  # the future
    ("1899-12-31", None),
    ("2012-03", None),
    ("12-03-04", None),
    ("yesterday", None),
    ("", None),
    # Compact YYYYMMDD.
    ("19151111", date(1915, 11, 11)),
    ("20120304", date(2012, 3, 4)),
    (" 20120304 ", date(2012, 3, 4)),
    ("20121340", None),  # month 13
    ("20120230", None),
    ("18991231", None),
    ("20270101", None),
    ("2012034", None),  # seven digits
    ("201203045", None),
    # Day, English month name or its first three letters, year.
    ("07-Mar-2012", date(2012, 3, 7)),
    ("7-mar-2012", date(2012, 3, 7)),
    ("07-MAR-2012", date(2012, 3, 7)),
    ("7 March 2012", date(2012, 3, 7)),
    ("7 march, 2012", date(2012, 3, 7)),
    ("7 Sep. 2012", date(2012, 9, 7)),
    ("7 September 2012", date(2012, 9, 7)),
    ("31-Dec-1999", date(1999, 12, 31)),
    ("29-Feb-2012", date(2012, 2, 29)),
    ("03-Foo-2012", None),
    ("31-Feb-2012", None),
    ("7 March 12", None),  # a two-digit year
    ("March 7 2012", None),  # month first is not accepted
    ("07-Mar-2027", None),
])
def test_date(raw: str, expected: date | None) -> None:
    assert normalise_date(raw, today=TODAY) == expected


@pytest.mark.parametrize(("raw", "expected"), [
    ("F", "f"), ("female", "f"), (" Girl ", "f"), ("2", "f"), ("Mujer", "f"),
    ("m", "m"), ("MALE", "m"), ("1", "m"), ("Masculino", "m"),
    ("X", "x"), ("Non-binary", "x"), ("non binary", "x"),
    ("U", None), ("unknown", None), ("0", None), ("9", None), ("", None),
])
def test_sex(raw: str, expected: str | None) -> None:
    assert normalise_sex(raw) == expected


@pytest.mark.parametrize("raw", ["1 Junk 2012", "1-Decoy-2012", "7 Marchxyz 2012", "3 Mayday 2012"])
def test_date_word_that_only_starts_like_a_month_is_missing(raw: str) -> None:
    assert normalise_date(raw, today=TODAY) is None


@pytest.mark.parametrize(("raw", "expected"), [
    ("02134", "02134"),
    ("02134-1234", "02134"),
    ("02134 1234", "02134"),
    ("021341234", "02134"),
    ("2134", "02134"),  # leading zero lost in a spreadsheet
    (" 90210 ", "90210"),
    ("00000", None),
    ("123", None),
    ("1234567", None),
    ("SW1A 1AA", None),
    ("", None),
])
def test_postcode(raw: str, expected: str | None) -> None:
    assert normalise_postcode(raw) == expected


@pytest.mark.parametrize(("raw", "expected"), [
    ("12 North Main Street", "12 n main st"),
    ("12 N. Main St.", "12 n main st"),
    ("12 n main st", "12 n main st"),
    ("400 Oak Avenue, Apt #4", "400 oak ave apt 4"),
    ("400 OAK AVE APT 4", "400 oak ave apt 4"),
    ("7 Elm Road", "7 elm rd"),
    ("7 Cedar Drive Suite 100", "7 cedar dr ste 100"),
    ("55 Sunset Boulevard", "55 sunset blvd"),
    ("3 Calle Peñasco", "3 calle penasco"),
    ("  ,, ", None),
    ("", None),
])
def test_street_address(raw: str, expected: str | None) -> None:
    assert normalise_street_address(raw) == expected


@pytest.mark.parametrize(("raw", "expected"), [
    ("Saint Paul", "st paul"),
    ("St. Paul", "st paul"),
    ("Fort Worth", "ft worth"),
    ("Española", "espanola"),
    ("NEW  YORK", "new york"),
    ("", None),
])
def test_city(raw: str, expected: str | None) -> None:
    assert normalise_city(raw) == expected


@pytest.mark.parametrize(("raw", "expected"), [
    ("078-05-1120", "078051120"),
    ("078 05 1120", "078051120"),
    ("078.05.1120", "078051120"),
    ("078/05/1120", "078051120"),
    (" 078-05-1120 ", "078051120"),
    ("078 - 05 - 1120", "078051120"),
    ("0123", "0123"),  # four digits, leading zero kept in the text
    ("1234", "1234"),
    ("1" * 30, "1" * 30),
    ("123", None),  # too short to identify anyone
    ("1-2-3", None),
    ("1" * 31, None),
    ("078-05-112O", None),  # a letter O for a zero
    ("A1234567", None),
    ("SSN 078051120", None),
    ("078_05_1120", None),
    ("０７８０５１１２０", None),  # full-width digits are not ASCII
    ("１２３４", None),
    ("-- ..", None),
    ("", None),
])
def test_national_id(raw: str, expected: str | None) -> None:
    assert normalise_national_id(raw) == expected


@pytest.mark.parametrize("value", ["Unknown", "UNK", "FNU", "n/a", "Not Known", "none"])
def test_name_placeholders_are_missing(value: str) -> None:
    assert normalise_given_name(value) is None
    assert normalise_surname(value) is None


@pytest.mark.parametrize("value", ["unknown", "N/A", "Homeless", "General Delivery", "NFA"])
def test_place_placeholders_are_missing(value: str) -> None:
    assert normalise_street_address(value) is None
    assert normalise_city(value) is None


def test_placeholder_zips_and_dates_are_missing() -> None:
    assert normalise_postcode("99999") is None and normalise_postcode("00000") is None
    assert normalise_date("1900-01-01") is None
    assert normalise_date("1900-01-02") is not None
    assert normalise_given_name("Nancy") is not None and normalise_street_address("1 Unknown Rd") is not None
