"""Encoded roster files as the hub receives them: checked to be comparable before any matching.

Two files can be linked only if the same agencies' key and the same encoding produced them; the
Parquet footer written by `accord node encode` says which (a key *fingerprint*, never the key).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.parquet as pq  # type: ignore[import-untyped]

from accord.errors import AccordError
from accord.linkage.file_contract import CHANCE_ENTRY, ENCODING_ENTRY

SUPPORTED_VERSIONS = frozenset({"accord-bloom-v5"})
_WORD = re.compile(r"(?P<field>.+)_bf_(?P<index>\d+)")


class EncodedFileError(AccordError, ValueError):
    """An encoded file cannot be linked; the message names the file and the problem."""


class OtherKeyError(EncodedFileError):
    """Two encoded files were made under different keys: nothing in them can be compared."""


@dataclass(frozen=True, slots=True)
class EncodedLayout:
    """What an encoded file holds: Bloom fields with their word count, and token columns."""

    key_id: str
    agreement: str  # the agreement whose key encoded the file; "" for the secret itself
    version: str
    words: int
    bloom_fields: tuple[str, ...]
    tokens: tuple[str, ...]


def read_layout(path: Path) -> EncodedLayout:
    """The layout of one encoded file, from its Parquet schema and footer."""
    with open_encoded(path) as (_, layout):
        return layout


@contextmanager
def open_encoded(path: Path) -> Iterator[tuple[pq.ParquetFile, EncodedLayout]]:
    """The file opened, with its layout: one read of its footer for both (a case request reads the
    child's description once)."""
    try:
        file = pq.ParquetFile(path)
    except (OSError, ValueError) as err:
        raise EncodedFileError(f"{path.name}: not a readable Parquet file ({type(err).__name__})"
                               ).coded("not_parquet") from None
    with file:
        yield file, _layout_of(file.schema_arrow, path)


def _layout_of(schema: pa.Schema, path: Path) -> EncodedLayout:
    raw = (schema.metadata or {}).get(ENCODING_ENTRY.encode())
    if raw is None:
        raise EncodedFileError(f"{path.name}: not written by `accord node encode` (no encoding metadata)"
                               ).coded("not_encoded")
    meta = json.loads(raw)
    if meta.get("version") not in SUPPORTED_VERSIONS:
        raise EncodedFileError(f"{path.name}: encoding version {meta.get('version')!r} is not supported"
                               ).coded("encoding_version_unsupported")
    if "record_id" not in schema.names:
        raise EncodedFileError(f"{path.name}: the column record_id is missing").coded("no_record_id_column")
    words: dict[str, int] = {}
    for name in schema.names:
        if match := _WORD.fullmatch(name):
            words[match["field"]] = words.get(match["field"], 0) + 1
    counts = set(words.values())
    if len(counts) != 1:
        raise EncodedFileError(f"{path.name}: Bloom fields have unequal word counts").coded(
            "encoded_unevenly")
    tokens = tuple(n for n in schema.names if n.startswith("tok_"))
    return EncodedLayout(meta["key_id"], str(meta.get("agreement", "")), meta["version"], counts.pop(),
                         tuple(words), tokens)


def read_chance_agreement(path: Path) -> dict[str, list[int]]:
    """The node's chance-agreement histograms (per field, pairs per hundredth of Dice; see
    linkage/encode/chance.py), from the footer entry `accord.chance_agreement`; none in files encoded
    before it was written."""
    raw = (pq.read_metadata(path).metadata or {}).get(CHANCE_ENTRY.encode())
    if raw is None:
        return {}
    histograms = json.loads(raw)

    def counts(value: object) -> bool:
        # floor(100 Dice) runs from 0 to 100: 101 counts
        return (isinstance(value, list) and len(value) == 101
                and all(isinstance(c, int) and c >= 0 for c in value))
    if not isinstance(histograms, dict) or not all(map(counts, histograms.values())):
        raise EncodedFileError(f"{path.name}: the chance-agreement entry is malformed").coded(
            "chance_agreement_malformed")
    return {str(k): list(v) for k, v in histograms.items()}


def common_layout(paths: list[Path]) -> EncodedLayout:
    """The one layout shared by all `paths`; an error if any two were encoded differently."""
    layouts = [read_layout(p) for p in paths]
    first = layouts[0]
    for path, layout in zip(paths[1:], layouts[1:], strict=True):
        if layout.agreement != first.agreement:
            raise EncodedFileError(f"{path.name}: encoded {_for(layout)}, {paths[0].name} {_for(first)}; "
                                   "encodings made for two agreements never compare").coded(
                "encoded_for_two_agreements")
        if layout.key_id != first.key_id:
            raise OtherKeyError(f"{path.name}: encoded under a different key than {paths[0].name}").coded(
                "encoded_under_two_keys")
        if layout != first:
            raise EncodedFileError(f"{path.name}: encoded with different settings than {paths[0].name}"
                                   ).coded("encoded_with_two_settings")
    return first


def _for(layout: EncodedLayout) -> str:
    return f"for agreement {layout.agreement}" if layout.agreement else "for no agreement"
