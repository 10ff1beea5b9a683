"""The identity fields that never reach the hub in the clear (ADR 0014, P2).

An agency's node sends the hub their keyed encodings and a copy of its file without them
(`linkage.hub_copy`); the hub's readers refuse a file that carries them (`intake.csv_schema`). In
place of the birth date the node's copy carries the month the student turns 18, which is all the
policy needs (ADR 0016).
"""

from __future__ import annotations

WITHHELD_FROM_HUB = ("first_name", "middle_name", "last_name", "date_of_birth", "sex", "street_address",
                     "city", "postcode", "national_id")
