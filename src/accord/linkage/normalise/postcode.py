"""US postcodes: ZIP or ZIP+4 reduced to the five-digit ZIP.

'02134-1234', '021341234' and '02134' all become '02134'. A four-digit value is taken as a ZIP
whose leading zero a spreadsheet dropped ('2134' -> '02134'), a frequent artefact in New England
rosters. Anything else, and the never-issued '00000' and '99999' that registries write for "unknown",
is missing.
"""

from __future__ import annotations

import re

from accord.linkage.normalise.placeholders import UNKNOWN_ZIPS

_ZIP = re.compile(r"(\d{4,5})(?:[- ]?(\d{4}))?")


def normalise_postcode(value: str) -> str | None:
    """The five-digit ZIP in `value`, or None."""
    match = _ZIP.fullmatch(value.strip())
    if match is None:
        return None
    zip5 = match.group(1).zfill(5)
    return None if zip5 in UNKNOWN_ZIPS else zip5
