"""One roster row in, record_id plus keyed encodings out.

Every Bloom filter is salted so that no filter value is shared by more than a handful of people,
because frequency and pattern-mining attacks need many records under one salt (ADR 0008):
- first name, middle name and street address: salted with the full date of birth, so a salt class
  is the few people born on one day. A record without a usable birth date gets none of these
  filters (nor a last_name filter): an empty salt would pool all such records into one large class.
- last name: salted with the date of birth and the first name's code. Under the date alone, two
  unrelated children born on one day with one surname share a filter, and such pairs are commonest
  for the commonest surname, which the hub could then name; with the first-name code as well,
  such pairs are a few in a roster (ADR 0008 has the counts).
- first name again, salted with the household (street and ZIP): comparable across a mistyped birth
  date, and what tells a child from a brother or sister at the same address.
- national identifier (where agencies share one): unsalted, its values being unique.
City and ZIP are in no filter (a low-cardinality value's bigrams form a frequent pattern); the ZIP
enters only tokens combined with other values. The date of birth itself is compared through keyed
tokens (exact, day and month swapped, two of its three parts equal within one household). No token
holds a name code without the whole date: such tokens' counts single out the commonest surname.

Rows are encoded a batch of columns at a time (`RecordEncoder.encode_columns`): normalisers run
through memo tables per distinct raw cell, and the filters and tokens of the whole batch come from
array-at-once PRF calls (see `bloom`, `tokens`). `encode` is the same for one row.

Salts are 64-bit values: the date of birth as `year << 16 | month << 8 | day` (with the first name's
Soundex `code_value` in the high 32 bits for the last name), the household as the street's
`text_value` mixed with the ZIP, or 0 (unsalted).
"""

from __future__ import annotations

import struct
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from accord.linkage.encode.bloom import BloomEncoder, BloomParams
from accord.linkage.encode.cache import Memo
from accord.linkage.encode.chance import ChanceSample, dice_histogram, salt_free
from accord.linkage.encode.keys import derive
from accord.linkage.encode.tokens import (
    TokenEncoder,
    code_value,
    digits_value,
    soundex,
    text_value,
    token_blocks,
)
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

IDENTITY_COLUMNS = ("record_id", "first_name", "middle_name", "last_name", "date_of_birth", "sex",
                    "street_address", "city", "postcode", "national_id")

# Filter name -> (hash label, hashes per bigram). Long texts get fewer hashes so their filters do
# not fill up: a street address has ~20 bigrams, a name ~7. First and last name share a label, as
# before v5; under their different salts that no longer makes swapped names compare (the hub finds
# a swap through tok_swapped_names).
BLOOM_FIELDS: dict[str, tuple[str, int]] = {
    "first_name": ("name", 20),
    "middle_name": ("middle", 20),
    "last_name": ("name", 20),
    "street_address": ("street", 12),
    "first_name_home": ("name_home", 20),
    "national_id": ("national_id", 20),
}
DATE_SALTED = ("first_name", "middle_name", "last_name", "street_address")  # salts holding the date
# Fields whose chance agreement the node measures for the hub (chance.py): the names, whose Dice
# levels the hub cannot price itself (first_name_home holds the first name's values). Not the street:
# the hub prices it within one birth date (twins share it), so its histogram would tell it nothing.
CHANCE_FIELDS = ("first_name", "middle_name", "last_name")
TOKENS = (
    "tok_dob",             # exact date of birth: an exact-match level, never a block on its own
    "tok_dob_pair",        # the same, under another kind: marks pairs whose date-salted filters compare
    "tok_dob_swapped",     # year with day and month unordered: catches 07/03 entered as 03/07
    "tok_dob_first",       # blocking: date of birth + first-name code
    "tok_swapped_names",   # tok_dob_swapped + both name codes, unordered: dates or names swapped
    "tok_dob_postcode",    # blocking: date of birth + ZIP (both names changed or mistyped)
    "tok_street_postcode",  # the household: street address + ZIP
    "tok_home_ym",         # the household with two of the date's three parts: one part mistyped,
    "tok_home_yd",         #   whatever the names say (a sister born the same month is rare)
    "tok_home_md",
    "tok_national_id",     # the shared identifier, exact
)
# The kind byte of each token's PRF block: part of the encoding, so never renumbered. Kinds 3, 4, 5,
# 7, 8 and 9 were v3's tokens of name codes with part of the date, and 12 v4's tok_names_postcode
# (both name codes and the ZIP, no date), all retired for what their counts told the hub (ADR
# 0008); they are not reused.
TOKEN_KINDS: dict[str, int] = {
    "tok_dob": 1, "tok_dob_swapped": 2, "tok_dob_first": 6, "tok_dob_pair": 10, "tok_dob_postcode": 11,
    "tok_street_postcode": 13, "tok_national_id": 14, "tok_swapped_names": 15,
    "tok_home_ym": 16, "tok_home_yd": 17, "tok_home_md": 18,
}


@dataclass(frozen=True, slots=True)
class EncodedRecord:
    """Keyed encodings of one row: nothing in it is clear text except the agency's record_id."""

    record_id: str
    blooms: dict[str, bytes | None]
    tokens: dict[str, int | None]
    missing: tuple[str, ...]  # identity columns empty or unusable in this row
    unusable: tuple[str, ...]  # columns that had a value the normaliser rejected


@dataclass(frozen=True, slots=True)
class EncodedBatch:
    """Keyed encodings of a batch of rows, column by column, ready for Arrow buffers."""

    record_ids: list[str]
    blooms: dict[str, NDArray[np.int64]]  # field -> (words, n): row i is column <field>_bf_i; 0: absent
    tokens: dict[str, NDArray[np.int64]]  # token -> (n,), 0 when absent
    present: dict[str, NDArray[np.bool_]]  # filter or token name -> (n,) mask of values present
    missing: Counter[str]  # identity column -> rows where it is empty or unusable
    unusable: Counter[str]  # identity column -> rows where it had a value the normaliser rejected

    def __len__(self) -> int:
        return len(self.record_ids)


def _surname_text(value: str) -> str | None:
    surname = normalise_surname(value)
    return surname.full if surname else None


def _date_value(value: str) -> int:
    """A date as `year << 16 | month << 8 | day`; 0 when missing or unusable."""
    parsed = normalise_date(value)
    return parsed.year << 16 | parsed.month << 8 | parsed.day if parsed else 0


def _first_word_code(text: str | None) -> int:
    return code_value(soundex(text.split()[0])) if text else 0


def _street_and_first_word(value: str) -> tuple[str | None, str]:
    street = normalise_street_address(value)
    return street, street.partition(" ")[0] if street else ""


def _counts(raw: Sequence[str], clean: Sequence[object], nothing: object) -> tuple[int, int]:
    """(missing, unusable) of one column: cells normalised to `nothing`, and of those the ones that
    were not blank."""
    missing = clean.count(nothing)
    if not missing:
        return 0, 0
    return missing, sum(1 for cell, value in zip(raw, clean, strict=True)
                        if value == nothing and cell.strip())


def fold(filters: NDArray[np.int64]) -> NDArray[np.int64]:
    """XOR-fold (words, n) filters in half: bit i of the result is bit i XOR bit i + m/2.

    Folding (Schnell, Borgs & Encheva 2016) hides which of two positions a set bit came from, so
    bit patterns no longer map one-to-one onto bigrams; it costs 0.0003 in F1 on FEBRL4 and on
    synthetic rosters and halves the hub's work per comparison (ADR 0008)."""
    half = filters.shape[0] // 2
    return filters[:half] ^ filters[half:]


@dataclass(frozen=True, slots=True)
class _Codes:
    """Per-row integer parts of tokens and salts: name codes, ZIP, street text value, household,
    identifier (0: none)."""

    first: NDArray[np.uint64]
    last: NDArray[np.uint64]
    postcode: NDArray[np.uint64]
    street: NDArray[np.uint64]
    home: NDArray[np.uint64]  # street and ZIP together: the first_name_home salt
    national_id: NDArray[np.uint64]


_MIX = np.uint64(0x9E3779B97F4A7C15)  # odd: multiplying by it is one-to-one on 64-bit values


def _texts_and_salts(dob: NDArray[np.uint64], codes: _Codes, first: list[str | None],
                     middle: list[str | None], last: list[str | None], street: list[str | None],
                     national_id: list[str | None]
                     ) -> tuple[dict[str, list[str | None]], dict[str, NDArray[np.uint64]]]:
    """Each filter's texts (None: no filter) and salts, as the module docstring lays them out."""
    texts: dict[str, list[str | None]] = {
        "first_name": first, "middle_name": middle, "last_name": last, "street_address": street,
        "national_id": national_id,
        "first_name_home": [f if h else None for f, h in zip(first, codes.home, strict=True)]}
    salts = {field: dob for field in DATE_SALTED}
    # A record without a first name is salted with its date alone: few such records share a day.
    salts["last_name"] = dob | codes.first << np.uint64(32)
    salts |= {"first_name_home": codes.home, "national_id": np.zeros(len(dob), np.uint64)}
    # No birth date, no salt: the date-salted filters are left out (see above).
    dated = (dob != 0).tolist()
    for field in DATE_SALTED:
        texts[field] = [t if ok else None for t, ok in zip(texts[field], dated, strict=True)]
    return texts, salts


class RecordEncoder:
    """Normalises and encodes rows under one key; keep one per file for its caches."""

    def __init__(self, key: bytes, bits: int = 1024) -> None:
        bloom_key, token_key = derive(key, "accord bloom v5"), derive(key, "accord token v5")
        self.bits = bits
        self._encoders = {field: BloomEncoder(bloom_key, BloomParams(bits, k))
                          for field, (_, k) in BLOOM_FIELDS.items()}
        self._token_encoder = TokenEncoder(token_key)
        self.words_out = bits // 128  # after XOR-folding (see `fold`)
        self._unpack = struct.Struct(f"<{self.words_out}q").unpack
        # Normalisers over the raw cell, memoised: rosters repeat names, dates, cities and ZIPs heavily.
        self._given: Memo[str, str | None] = Memo(normalise_given_name)
        self._surname: Memo[str, str | None] = Memo(_surname_text)
        self._dob: Memo[str, int] = Memo(_date_value)
        self._sex: Memo[str, str | None] = Memo(normalise_sex)
        self._street_rest: Memo[str, tuple[str | None, str]] = Memo(_street_and_first_word)
        self._city: Memo[str, str | None] = Memo(normalise_city)
        self._postcode: Memo[str, str | None] = Memo(normalise_postcode)
        self._national_id: Memo[str, str | None] = Memo(normalise_national_id)
        self._code: Memo[str | None, int] = Memo(_first_word_code)
        self._chance = {field: ChanceSample(seed) for seed, field in enumerate(CHANCE_FIELDS)}

    def chance_agreement(self) -> dict[str, list[int]]:
        """Per field, the pairs of a random sample of the rows encoded so far per hundredth of Dice
        (chance.py): aggregate counts for the hub, never a value."""
        out: dict[str, list[int]] = {}
        for field, sample in self._chance.items():
            label, _ = BLOOM_FIELDS[field]
            texts: list[str | None] = list(sample.texts)
            filters, _ = self._encoders[field].encode_many(label, salt_free(len(texts)), texts)
            out[field] = dice_histogram(fold(filters))
        return out

    def _street(self, value: str) -> str | None:
        """normalise_street_address(value), memoised on what follows a plain house number.

        Street addresses are nearly unique, but not once their house number is set aside. The
        normaliser works word by word (fold, split on non-alphanumerics, abbreviate each word, drop
        a word equal to the one before), so for `value` = digits + ' ' + rest its result is the
        number followed by the result for `rest`, minus that first word if it repeats the number.
        """
        number, space, rest = value.partition(" ")
        if not (space and number.isdigit() and number.isascii()):
            return normalise_street_address(value)
        tail, first_word = self._street_rest[rest]
        if tail is None:  # nothing after the number, or a placeholder ("unknown") that is not one here
            return normalise_street_address(value)
        return tail if first_word == number else f"{number} {tail}"

    def words(self, field: str, encoded: bytes) -> tuple[int, ...]:
        """A field's filter as signed 64-bit words."""
        return self._unpack(encoded)

    def encode(self, row: Mapping[str, str]) -> EncodedRecord:
        """Encode one row of canonical columns; absent columns count as empty."""
        batch = self.encode_columns({c: [row.get(c, "")] for c in IDENTITY_COLUMNS})
        return EncodedRecord(
            batch.record_ids[0],
            {f: batch.blooms[f][:, 0].astype("<i8").tobytes() if batch.present[f][0] else None
             for f in BLOOM_FIELDS},
            {t: int(batch.tokens[t][0]) if batch.present[t][0] else None for t in TOKENS},
            tuple(c for c in IDENTITY_COLUMNS[1:] if batch.missing[c]),
            tuple(c for c in IDENTITY_COLUMNS[1:] if batch.unusable[c]))

    def encode_columns(self, columns: Mapping[str, Sequence[str]]) -> EncodedBatch:
        """Encode a batch given as canonical column -> cells (record_id required; absent columns
        count as empty)."""
        record_ids = [cell.strip() for cell in columns["record_id"]]
        n = len(record_ids)
        empty = [""] * n
        raw = {c: columns.get(c, empty) for c in IDENTITY_COLUMNS[1:]}
        if any(len(cells) != n for cells in raw.values()):
            raise ValueError("all columns of a batch must have the same length")
        first = list(map(self._given.__getitem__, raw["first_name"]))
        middle = list(map(self._given.__getitem__, raw["middle_name"]))
        last = list(map(self._surname.__getitem__, raw["last_name"]))
        dob_values = list(map(self._dob.__getitem__, raw["date_of_birth"]))
        street = list(map(self._street, raw["street_address"]))
        city = list(map(self._city.__getitem__, raw["city"]))
        postcode = list(map(self._postcode.__getitem__, raw["postcode"]))
        national_id = list(map(self._national_id.__getitem__, raw["national_id"]))
        clean: dict[str, list[str | None] | list[int]] = {
            "first_name": first, "middle_name": middle, "last_name": last, "date_of_birth": dob_values,
            "sex": list(map(self._sex.__getitem__, raw["sex"])), "street_address": street, "city": city,
            "postcode": postcode, "national_id": national_id}
        missing: Counter[str] = Counter()
        unusable: Counter[str] = Counter()
        for column, values in clean.items():
            nothing = 0 if column == "date_of_birth" else None
            missing[column], unusable[column] = _counts(raw[column], values, nothing)
        missing, unusable = +missing, +unusable  # columns with nothing missing are left out

        for name, values in (("first_name", first), ("middle_name", middle), ("last_name", last)):
            self._chance[name].add(values)
        dob = np.array(dob_values, np.uint64)
        codes = self._codes(first, last, postcode, street, national_id)
        texts, salts = _texts_and_salts(dob, codes, first, middle, last, street, national_id)
        blooms: dict[str, NDArray[np.int64]] = {}
        present: dict[str, NDArray[np.bool_]] = {}
        for field, (label, _) in BLOOM_FIELDS.items():
            filters, present[field] = self._encoders[field].encode_many(label, salts[field], texts[field])
            blooms[field] = fold(filters)
        tokens = self._tokens(dob, codes, present)
        return EncodedBatch(record_ids, blooms, tokens, present, missing, unusable)

    def _codes(self, first: list[str | None], last: list[str | None],
               postcode: list[str | None], street: list[str | None], national_id: list[str | None]) -> _Codes:
        n = len(first)
        street_value = np.fromiter((text_value(s) if s else 0 for s in street), np.uint64, count=n)
        place = np.fromiter((int(p) if p else 0 for p in postcode), np.uint64, count=n)
        # The household as one 64-bit value: the street's, mixed with the ZIP by an odd multiplier
        # (distinct households collide with chance 2^-64; the key is applied by the PRF after).
        home = np.where((street_value != 0) & (place != 0), street_value ^ (place * _MIX), np.uint64(0))
        return _Codes(
            first=np.fromiter(map(self._code.__getitem__, first), np.uint64, count=n),
            last=np.fromiter(map(self._code.__getitem__, last), np.uint64, count=n),
            postcode=place, street=street_value, home=home,
            national_id=np.fromiter((digits_value(v) if v else 0 for v in national_id), np.uint64, count=n))

    def _tokens(self, dob: NDArray[np.uint64], codes: _Codes, present: dict[str, NDArray[np.bool_]]
                ) -> dict[str, NDArray[np.int64]]:
        byte = np.uint64(0xFF)
        year, month, day = dob >> np.uint64(16), (dob >> np.uint64(8)) & byte, dob & byte
        low, high = np.minimum(month, day), np.maximum(month, day)
        first, last, place = codes.first, codes.last, codes.postcode
        pair_lo, pair_hi = np.minimum(first, last), np.maximum(first, last)
        has_dob, has_place = dob != 0, place != 0
        has_home = (codes.street != 0) & has_place
        dated_home, home = has_home & has_dob, {"place": place, "value": codes.street}
        with_first = has_dob & (first != 0)
        with_both = with_first & (last != 0)
        kind = TOKEN_KINDS
        spec: dict[str, tuple[NDArray[np.bool_], NDArray[np.uint64]]] = {
            "tok_dob": (has_dob, token_blocks(kind["tok_dob"], year, month, day)),
            "tok_dob_pair": (has_dob, token_blocks(kind["tok_dob_pair"], year, month, day)),
            "tok_dob_swapped": (has_dob, token_blocks(kind["tok_dob_swapped"], year, low, high)),
            "tok_dob_first": (with_first, token_blocks(kind["tok_dob_first"], year, month, day, first)),
            "tok_swapped_names": (
                with_both, token_blocks(kind["tok_swapped_names"], year, low, high, pair_lo, pair_hi)),
            "tok_dob_postcode": (
                has_dob & has_place, token_blocks(kind["tok_dob_postcode"], year, month, day, place=place)),
            "tok_street_postcode": (
                has_home, token_blocks(kind["tok_street_postcode"], place=place, value=codes.street)),
            "tok_home_ym": (dated_home, token_blocks(kind["tok_home_ym"], year, month, 0, **home)),
            "tok_home_yd": (dated_home, token_blocks(kind["tok_home_yd"], year, 0, day, **home)),
            "tok_home_md": (dated_home, token_blocks(kind["tok_home_md"], 0, month, day, **home)),
            "tok_national_id": (
                codes.national_id != 0, token_blocks(kind["tok_national_id"], value=codes.national_id)),
        }
        n = len(dob)
        values = self._token_encoder.tokens(np.concatenate([blocks for _, blocks in spec.values()]))
        tokens: dict[str, NDArray[np.int64]] = {}
        for i, (name, (mask, _)) in enumerate(spec.items()):
            tokens[name] = np.where(mask, values[i * n:(i + 1) * n], 0)
            present[name] = mask
        return tokens
