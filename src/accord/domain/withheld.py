"""The identity fields that never reach the hub in the clear (ADR 0014, P2).

An agency's node sends the hub their keyed encodings and a copy of its file without them
(`linkage.hub_copy`); the hub's readers refuse a file that carries them (`intake.csv_schema`). The
birth date is not among them yet: the policy still derives an eligible student and a minor from it.
"""

from __future__ import annotations

WITHHELD_FROM_HUB = ("first_name", "middle_name", "last_name", "sex", "street_address", "city", "postcode",
                     "national_id")
