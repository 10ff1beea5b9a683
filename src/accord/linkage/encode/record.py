"""One roster row in, record_id plus keyed encodings out.

Bloom-filtered fields are salted with the year of birth ("salting with a stable attribute",
Christen et al.): the same name born in two different years encodes to unrelated bits, which
breaks the frequency alignment a frequency attack needs. The date of birth itself is not salted.
Results are cached per (field, salt, raw cell) because rosters repeat first names, surnames,
cities and postcodes heavily; the normaliser and encoder are pure, so a cache hit is exact.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from accord.linkage.encode.bloom import BloomEncoder, BloomParams
from accord.linkage.encode.cache import Memo
from accord.linkage.encode.keys import derive
from accord.linkage.encode.tokens import soundex, token
from accord.linkage.normalise import (
    normalise_city,
    normalise_date,
    normalise_given_name,
    normalise_postcode,
    normalise_sex,
    normalise_street_address,
    normalise_surname,
)

IDENTITY_COLUMNS = ("record_id", "first_name", "middle_name", "last_name", "date_of_birth", "sex",
                    "street_address", "city", "postcode")


def _surname_text(value: str) -> str | None:
    surname = normalise_surname(value)
    return surname.full if surname else None


def _date_text(value: str) -> str | None:
    parsed = normalise_date(value)
    return parsed.isoformat() if parsed else None


# Bloom-filtered fields, their normaliser, and their hash count (k). Long fields get fewer hashes
# so their filters do not fill up: an address has ~25 bigrams, a first name ~7.
BLOOM_FIELDS: dict[str, tuple[Callable[[str], str | None], int]] = {
    "first_name": (normalise_given_name, 20),
    "middle_name": (normalise_given_name, 20),
    "last_name": (_surname_text, 20),
    "date_of_birth": (_date_text, 20),
    "street_address": (normalise_street_address, 10),
    "city": (normalise_city, 15),
    "postcode": (normalise_postcode, 20),
}
TOKENS = ("tok_dob", "tok_dob_sex", "tok_surname_yob", "tok_names")
SALTED = tuple(f for f in BLOOM_FIELDS if f != "date_of_birth")


@dataclass(frozen=True, slots=True)
class EncodedRecord:
    """Keyed encodings of one row: nothing in it is clear text except the agency's record_id."""

    record_id: str
    blooms: dict[str, bytes | None]
    tokens: dict[str, int | None]
    unusable: tuple[str, ...]  # columns that had a value the normaliser rejected


def _first_word_code(text: str | None) -> str | None:
    return soundex(text.split()[0]) if text else None


class RecordEncoder:
    """Normalises and encodes rows under one key; keep one per file for its caches."""

    def __init__(self, key: bytes, bits: int = 1024) -> None:
        bloom_key, token_key = derive(key, "accord bloom v1"), derive(key, "accord token v1")
        self.bits = bits
        self._encoders = {field: BloomEncoder(bloom_key, BloomParams(bits, k))
                          for field, (_, k) in BLOOM_FIELDS.items()}
        # field -> salt -> raw cell -> filter (None when the cell normalises to nothing).
        self._filters: dict[str, dict[str, Memo[str, bytes | None]]] = {f: {} for f in BLOOM_FIELDS}
        self._by_year: dict[str, tuple[tuple[str, Memo[str, bytes | None]], ...]] = {}
        self._dob: Memo[str, str | None] = Memo(_date_text)
        self._sex: Memo[str, str | None] = Memo(normalise_sex)
        # Phonetic codes of the first word of the first name and of the surname, from the raw cell.
        self._first_code: Memo[str, str | None] = Memo(lambda r: _first_word_code(normalise_given_name(r)))
        self._last_code: Memo[str, str | None] = Memo(lambda r: _first_word_code(_surname_text(r)))
        self._tokens: Memo[tuple[str, ...], int] = Memo(lambda parts: token(token_key, *parts))

    def _table(self, field: str, salt: str) -> Memo[str, bytes | None]:
        table = self._filters[field].get(salt)
        if table is None:
            normalise, encoder = BLOOM_FIELDS[field][0], self._encoders[field]

            def build(raw: str) -> bytes | None:
                text = normalise(raw)
                return encoder.encode(field, salt, text) if text else None

            table = self._filters[field][salt] = Memo(build)
        return table

    def _salted_tables(self, year: str) -> tuple[tuple[str, Memo[str, bytes | None]], ...]:
        tables = self._by_year.get(year)
        if tables is None:
            tables = self._by_year[year] = tuple((f, self._table(f, year)) for f in SALTED)
        return tables

    def words(self, field: str, encoded: bytes) -> tuple[int, ...]:
        """A field's filter as signed 64-bit words."""
        return self._encoders[field].words(encoded)

    def encode(self, row: Mapping[str, str]) -> EncodedRecord:
        """Encode one row of canonical columns; absent columns count as empty."""
        get = row.get
        raw_dob = get("date_of_birth", "")
        dob = self._dob[raw_dob]
        year = dob[:4] if dob else ""  # the salt; records without a birth date share the empty salt
        blooms: dict[str, bytes | None] = {"date_of_birth": self._table("date_of_birth", "")[raw_dob]}
        for field, table in self._salted_tables(year):
            blooms[field] = table[get(field, "")]
        raw_sex = get("sex", "")
        sex = self._sex[raw_sex]
        unusable = [f for f, bf in blooms.items() if bf is None and get(f, "").strip()]
        if sex is None and raw_sex.strip():
            unusable.append("sex")
        tokens = self._make_tokens(row, dob, sex)
        return EncodedRecord(row["record_id"].strip(), blooms, tokens, tuple(unusable))

    def _make_tokens(self, row: Mapping[str, str], dob: str | None, sex: str | None) -> dict[str, int | None]:
        tokens = self._tokens
        last = self._last_code[row.get("last_name", "")]
        first = self._first_code[row.get("first_name", "")]
        # The surname code is of its first word: 'garcia lopez' and 'garcia' still share a block.
        return {
            "tok_dob": tokens["dob", dob] if dob else None,
            "tok_dob_sex": tokens["dob_sex", dob, sex] if dob and sex else None,
            "tok_surname_yob": tokens["surname_yob", last, dob[:4]] if last and dob else None,
            "tok_names": tokens["names", first, last] if first and last else None,
        }
