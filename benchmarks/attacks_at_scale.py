"""The name-filter frequency attack of `tests/attacks` on rosters larger than the tests draw.

The attack tests use 20,000 synthetic children. Salt classes grow with the roster (a birth date
holds about 4 children at 20,000 and about 200 at a million), so this script runs the strongest
filter attack there is, the Bayesian frequency attack within each recovered salt class
(`attacks.grouped_frequency_attack`), on a roster of --children, and prints for each name filter
how many filters it labels, how many of them rightly, the records those cover, how many guessing
the same labels would get right, and the chance of doing as well by guessing
(`attacks.beyond_chance`). Counts only, never a name.

    .venv/bin/python -m benchmarks.attacks_at_scale --children 1000000   # from the repository root
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Hashable

from tests.attacks import attacks as A
from tests.attacks.test_attacks import (
    SECRET_KEY,
    _filters,
    _surname,
    given_name_knowledge,
    middle_name_knowledge,
    surname_knowledge,
    surname_salt_classes,
    synthetic_roster,
)

from accord.linkage.encode.record import RecordEncoder
from accord.linkage.normalise import normalise_given_name

NAME_FIELDS = ("first_name", "middle_name", "last_name")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--children", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    start = time.perf_counter()
    columns = synthetic_roster(args.seed, args.children)
    batch = RecordEncoder(SECRET_KEY).encode_columns(columns)
    print(f"{args.children:,} children drawn and encoded in {time.perf_counter() - start:.0f} s")
    known: dict[str, dict[Hashable, float]] = {
        "first_name": given_name_knowledge(), "middle_name": middle_name_knowledge(),
        "last_name": surname_knowledge()}
    truth: dict[str, list[Hashable | None]] = {
        "first_name": [normalise_given_name(v) for v in columns["first_name"]],
        "middle_name": [normalise_given_name(v) for v in columns["middle_name"]],
        "last_name": [_surname(v) for v in columns["last_name"]]}
    tokens = {token: [int(v) if ok else None
                      for v, ok in zip(batch.tokens[token], batch.present[token], strict=True)]
              for token in ("tok_dob_pair", "tok_dob_first")}
    by_date = A.salt_classes(tokens, ("tok_dob_pair",))
    for field in NAME_FIELDS:
        classes = surname_salt_classes(tokens) if field == "last_name" else by_date
        filters = _filters(batch.blooms[field], batch.present[field])
        labels = A.grouped_frequency_attack(filters, known[field], classes)
        score = A.score(labels, filters, truth[field])
        whole = sum(known[field].values())
        right, guessed, chance = A.beyond_chance(labels, filters, truth[field],
                                                 {v: p / whole for v, p in known[field].items()})
        print(f"  {field:<12} salt classes of up to {len(classes[0]):>4} records: {score.labelled:>5} "
              f"filters labelled, {right:>5} right ({score.values} values, {score.records:,} records); "
              f"guessing gets {guessed:.1f}, chance {chance:.1e}")


if __name__ == "__main__":
    main()
