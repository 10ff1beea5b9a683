"""Field-by-field normalisation of the canonical identity columns.

Every function takes the raw text of one cell and returns its normal form, or None when the
value is empty or unusable (an impossible date, a postcode that is not a ZIP). None means missing:
the encoder leaves that field out rather than failing the row.
"""

from accord.linkage.normalise.address import normalise_city, normalise_street_address
from accord.linkage.normalise.dates import normalise_date
from accord.linkage.normalise.identifier import normalise_national_id
from accord.linkage.normalise.names import (
    Surname,
    normalise_given_name,
    normalise_name_text,
    normalise_surname,
)
from accord.linkage.normalise.postcode import normalise_postcode
from accord.linkage.normalise.sex import normalise_sex

__all__ = [
    "Surname",
    "normalise_city",
    "normalise_date",
    "normalise_given_name",
    "normalise_name_text",
    "normalise_national_id",
    "normalise_postcode",
    "normalise_sex",
    "normalise_street_address",
    "normalise_surname",
]
