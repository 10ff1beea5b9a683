"""Record content sealed at rest: how a fact is sealed, digested and opened.

Content is sealed with AES-256-GCM (accord.store.crypto); the associated data binds each value
to its agency, record, element and date, so a sealed value copied onto another row does not
open. Each row also carries two keyed digests (ContentCipher.digest): of its natural key (record,
element and what names the fact, domain.content.natural_key: an attendance event's date and
school, a mark's course and term) and of its value, by which a later file's fact corrects it or
is found unchanged (content_corrections, ADR 0017). Writing is content_write's.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterator, Mapping
from datetime import date, datetime
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from accord.domain.content import ContentItem, Value, natural_key
from accord.store.crypto import ContentCipher, ContentKeyError
from accord.store.models import RecordContentRow


def _json_default(value: object) -> str:
    if isinstance(value, date | datetime):
        return value.isoformat()
    raise TypeError(f"content values must be JSON values or dates, not {type(value).__name__}")


# One encoder, built once: json.dumps with options would build a new one for every item.
_ENCODER = json.JSONEncoder(sort_keys=True, separators=(",", ":"), default=_json_default)
_AAD_VERSION = "accord-content-v1"


def serialise_values(values: Mapping[str, Any]) -> bytes:
    """The canonical JSON of an item's values (sorted keys, no spaces, dates as ISO text)."""
    return _ENCODER.encode(values).encode("utf-8")


def content_aad(agency_id: str, record_id: str, element: str, occurred_on: date | None) -> bytes:
    """The associated data that binds a sealed value to its row.

    Every field is length-prefixed (and a missing date is "-", which no prefixed field can
    be), so two different rows never produce the same bytes."""
    day = "-" if occurred_on is None else occurred_on.isoformat()
    return (f"{_AAD_VERSION}|{len(agency_id)}:{agency_id}|{len(record_id)}:{record_id}"
            f"|{len(element)}:{element}|{day}").encode()


def _aad_prefix(agency_id: str) -> str:
    """The start of every AAD of `agency_id` (content_aad, computed once per chunk)."""
    return f"{_AAD_VERSION}|{len(agency_id)}:{agency_id}|"


# Value types whose equality, with the type, fixes their JSON: not float (0.0 == -0.0), nor
# containers (1 == True inside a tuple).
_MEMO_TYPES = frozenset({str, int, bool, type(None)})
MEMO_LIMIT = 65_536  # distinct values kept per load before the memo starts over


class Serialiser:
    """serialise_values, remembering the JSON of flat items seen before: bulk content repeats
    the same few values (an attendance event and its school) millions of times, and encoding
    with sorted keys costs several times a dictionary lookup. Only items whose values are all
    of _MEMO_TYPES are remembered, keyed by (name, value, type), so a hit is always exactly the
    JSON serialise_values gives."""

    __slots__ = ("_memo",)

    def __init__(self) -> None:
        self._memo: dict[tuple[tuple[str, object, type], ...], bytes] = {}

    def __call__(self, values: Mapping[str, Any]) -> bytes:
        try:
            key = tuple([(k, v, v.__class__) for k, v in values.items()])
            found = self._memo.get(key)
        except TypeError:  # an unhashable value (a list or a dict)
            return serialise_values(values)
        if found is not None:
            return found
        out = serialise_values(values)
        if all(t in _MEMO_TYPES for _, _, t in key):
            if len(self._memo) >= MEMO_LIMIT:
                self._memo.clear()
            self._memo[key] = out
        return out


CONTENT_COLUMNS = ("agency_id", "record_id", "element", "occurred_on", "key_id", "sealed",
                    "batch_id", "natural_key", "value_digest")
Row = tuple[str, str, str, "date | str | None", str, bytes, int, bytes, bytes]
_VALUE_DIGEST = 8  # bytes: a change of value goes unseen with odds of 2**-64


def _part(text: str) -> str:
    return f"{len(text)}:{text}|"


class Digests:
    """Each item's natural-key digest and value digest. Every part is length-prefixed, so two
    different keys never give the same bytes; a key's own parts (a date and a school, repeated
    across a whole file) are encoded once."""

    __slots__ = ("_key", "_keys", "_value")

    def __init__(self, cipher: ContentCipher) -> None:
        self._key, self._value = cipher.digester(), cipher.digester(_VALUE_DIGEST)
        self._keys: dict[tuple[str, ...], str] = {}

    def __call__(self, chunk: list[ContentItem], days: Mapping[date | None, str],
                 plain: list[bytes]) -> tuple[list[bytes], list[bytes]]:
        keys, values, known = [], [], self._keys
        key_digest, value_digest = self._key, self._value
        for item, text in zip(chunk, plain, strict=True):
            named = natural_key(item)
            parts = known.get(named)
            if parts is None:
                if len(known) >= MEMO_LIMIT:
                    known.clear()
                parts = known[named] = "".join(map(_part, named))
            record, element = item.record_id, item.element
            natural = f"{len(record)}:{record}|{len(element)}:{element}|{parts}".encode()
            keys.append(key_digest(natural))
            values.append(value_digest(natural + days[item.occurred_on].encode() + b"|" + text))
        return keys, values


def day_texts(items: list[ContentItem]) -> dict[date | None, str]:
    """Each distinct date of `items` as the AAD and the digests write it ("-" for none), once."""
    days: dict[date | None, str] = {}
    for item in items:
        if item.occurred_on not in days:
            days[item.occurred_on] = "-" if item.occurred_on is None else item.occurred_on.isoformat()
    return days


def sealed_rows(agency_id: str, chunk: list[ContentItem], cipher: ContentCipher, batch_id: int,
                 iso_dates: bool, serialise: Serialiser, digests: Digests) -> list[Row]:
    """The rows for one chunk, in CONTENT_COLUMNS order. The AAD is content_aad's, built
    from its parts: the agency's prefix once, each distinct date's text once."""
    prefix = _aad_prefix(agency_id)
    days = day_texts(chunk)
    plain = [serialise(item.values) for item in chunk]
    keys, values = digests(chunk, days, plain)
    sealed = cipher.seal_many(
        (text, f"{prefix}{len(item.record_id)}:{item.record_id}|{len(item.element)}:{item.element}"
               f"|{days[item.occurred_on]}".encode())
        for item, text in zip(chunk, plain, strict=True))
    kid = cipher.key_id
    return [(agency_id, item.record_id, item.element,
             (None if item.occurred_on is None else days[item.occurred_on]) if iso_dates
             else item.occurred_on, kid, blob, batch_id, key, value)
            for item, blob, key, value in zip(chunk, sealed, keys, values, strict=True)]


def require_content_key(session: Session, cipher: ContentCipher) -> None:
    """The store's content is sealed under one key: refuse to add any under another, which would
    leave part of a child's record unreadable with the key that opens the rest. One row is enough
    to know the store's key, since every load before this one was checked the same way."""
    held = session.execute(select(RecordContentRow.key_id).limit(1)).scalar_one_or_none()
    if held is not None and held != cipher.key_id:
        raise ContentKeyError(f"the store's content is sealed under key {held}, and this run's content key "
                              f"is {cipher.key_id}: point ACCORD_CONTENT_KEY_FILE at the store's key")


_RECORD_ITEMS = (  # built once: every case request that releases anything reads it
    select(RecordContentRow.id, RecordContentRow.element, RecordContentRow.occurred_on,
           RecordContentRow.key_id, RecordContentRow.sealed)
    .where(RecordContentRow.agency_id == bindparam("agency"),
           RecordContentRow.record_id == bindparam("record"),
           RecordContentRow.element.in_(bindparam("elements", expanding=True)))
    .order_by(RecordContentRow.element, RecordContentRow.occurred_on.nulls_first(), RecordContentRow.id))


def content_for(session: Session, agency_id: str, record_id: str, elements: Collection[str],
                cipher: ContentCipher) -> list[ContentItem]:
    """The record's items for `elements`, opened, ordered by element then date (undated
    first), then load order. Dates inside values come back as ISO text.

    ContentKeyError when a row was sealed under another key, or does not open (altered, or
    moved from another record); the message names the row by its internal id only."""
    if not elements:
        return []
    rows = session.connection().execute(_RECORD_ITEMS, {
        "agency": agency_id, "record": record_id, "elements": sorted(set(elements))}).all()
    out = []
    for row_id, element, occurred_on, kid, sealed in rows:
        if kid != cipher.key_id:
            raise ContentKeyError(f"content row {row_id} was sealed under key {kid}; the "
                                  f"loaded content key is {cipher.key_id}")
        try:
            plain = cipher.open(bytes(sealed),
                                content_aad(agency_id, record_id, element, occurred_on))
        except ContentKeyError as err:
            raise ContentKeyError(f"content row {row_id}: {err}") from None
        values: dict[str, Value] = json.loads(plain)
        out.append(ContentItem(record_id, element, occurred_on, values))
    return out




def content_of(session: Session, agency_id: str, elements: Collection[str], cipher: ContentCipher,
               batch: int = 5_000) -> Iterator[ContentItem]:
    """Every item of `elements` the agency holds, opened, streamed in batches (a study's build
    reads a district's content once, not record by record). Errors as `content_for`."""
    if not elements:
        return
    query = (select(RecordContentRow.id, RecordContentRow.record_id, RecordContentRow.element,
                    RecordContentRow.occurred_on, RecordContentRow.key_id, RecordContentRow.sealed)
             .where(RecordContentRow.agency_id == agency_id,
                    RecordContentRow.element.in_(sorted(set(elements))))
             .order_by(RecordContentRow.id).execution_options(yield_per=batch))
    for row_id, record_id, element, occurred_on, kid, sealed in session.execute(query):
        if kid != cipher.key_id:
            raise ContentKeyError(f"content row {row_id} was sealed under key {kid}; the "
                                  f"loaded content key is {cipher.key_id}")
        try:
            plain = cipher.open(bytes(sealed), content_aad(agency_id, record_id, element, occurred_on))
        except ContentKeyError as err:
            raise ContentKeyError(f"content row {row_id}: {err}") from None
        yield ContentItem(record_id, element, occurred_on, json.loads(plain))
