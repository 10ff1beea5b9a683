"""Agency-side encoding throughput: records/s on one core, against a plain-HMAC baseline.

Synthetic rows are drawn in-process from the heavy-tailed (Zipf-like) name, street and city tables
of `accord.synth.rosters.names`, so first names, surnames, cities and postcodes repeat as they do
in real rosters (a few very common, a long tail of rare ones) while street addresses are mostly
unique; the salts (the date of birth, with the first-name code for the surname; the household)
are spread as they would be in a real county. Three measures, all in this process, each on a fresh
encoder (cold caches):

1. encode: normalise + keyed Bloom filters + tokens for every row (RecordEncoder.encode_columns,
   batches of ENCODE_ROWS as in `accord node encode`), on rows already parsed from the CSV into columns.
2. end to end: `accord node encode`'s work, CSV file in, Parquet file out (encode_roster), with
   Arrow limited to one thread.
3. baseline: one HMAC-SHA256 of the concatenated raw fields per row, the least any keyed
   encoder must do.

    .venv/bin/python benchmarks/encode.py              # 200,000 rows
    .venv/bin/python benchmarks/encode.py --rows 50000
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import hmac
import platform
import random
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import pyarrow as pa

from accord.linkage.encode.record import IDENTITY_COLUMNS, RecordEncoder
from accord.linkage.pipeline import ENCODE_ROWS, encode_roster
from accord.synth.rosters.names import (
    CITY_TABLE,
    FIRST_NAMES_FEMALE,
    FIRST_NAMES_MALE,
    HISPANIC_SURNAMES,
    MIDDLE_NAMES,
    STREET_NAMES,
    STREET_TYPES,
    SURNAMES,
    ZIP_CODES,
    Table,
    weighted,
)

TARGET = 50_000  # records/s on one core


class Draw:
    """Weighted draws from one frequency table."""

    def __init__(self, rng: random.Random, table: Table) -> None:
        self._rng = rng
        self._values, self._cumulative = weighted(table)

    def __call__(self) -> str:
        return self._rng.choices(self._values, cum_weights=self._cumulative)[0]


def synthetic_rows(n: int, seed: int = 7) -> list[dict[str, str]]:
    """n rows of invented people in the canonical columns, with the usual format variety."""
    rng = random.Random(seed)
    female, male, middle = Draw(rng, FIRST_NAMES_FEMALE), Draw(rng, FIRST_NAMES_MALE), Draw(rng, MIDDLE_NAMES)
    surname, street, street_type = Draw(rng, SURNAMES), Draw(rng, STREET_NAMES), Draw(rng, STREET_TYPES)
    city = Draw(rng, CITY_TABLE)
    start = date(2005, 1, 1)
    rows = []
    for i in range(n):
        sex = rng.choice("FM")
        first = female() if sex == "F" else male()
        last = surname()
        if last in HISPANIC_SURNAMES and rng.random() < 0.25:  # a double surname
            last = f"{last}-{surname()}" if rng.random() < 0.5 else f"{last} {surname()}"
        if rng.random() < 0.1:  # some registries write names in capitals
            first, last = first.upper(), last.upper()
        dob = start + timedelta(days=rng.randrange(16 * 365))
        style = rng.random()
        dob_text = (dob.isoformat() if style < 0.8 else dob.strftime("%m/%d/%Y") if style < 0.95
                    else dob.strftime("%d.%m.%Y"))
        address = f"{rng.randrange(1, 10_000)} {street()} {street_type()}"
        if rng.random() < 0.08:
            address += f" Apt {rng.randrange(1, 40)}"
        town = city()
        postcode = rng.choice(ZIP_CODES[town])
        if rng.random() < 0.1:
            postcode += f"-{rng.randrange(10_000):04d}"
        rows.append({
            "record_id": f"s-{i:07d}", "first_name": first,
            "middle_name": middle() if rng.random() < 0.6 else "", "last_name": last,
            "date_of_birth": dob_text, "sex": sex, "street_address": address, "city": town,
            "postcode": postcode, "national_id": "",  # few rosters share an identifier
        })
    return rows


def timed(label: str, n: int, seconds: float) -> float:
    rate = n / seconds
    print(f"{label:<34} {seconds:8.2f} s  {rate:12,.0f} records/s")
    return rate


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=200_000)
    args = parser.parse_args()
    pa.set_cpu_count(1)
    pa.set_io_thread_count(1)
    key = bytes(range(32))
    rows = synthetic_rows(args.rows)
    print(f"{args.rows:,} synthetic rows; Python {platform.python_version()} on {platform.machine()}")
    print(f"{len({r['first_name'] for r in rows}):,} distinct first names, "
          f"{len({r['last_name'] for r in rows}):,} surnames, {len({r['street_address'] for r in rows}):,} "
          "street addresses")

    t0 = time.perf_counter()
    for row in rows:
        hmac.new(key, "\x1f".join(row[c] for c in IDENTITY_COLUMNS[1:]).encode(), hashlib.sha256).digest()
    baseline = timed("baseline: HMAC of joined fields", args.rows, time.perf_counter() - t0)

    with tempfile.TemporaryDirectory() as tmp:
        source, target = Path(tmp) / "people.csv", Path(tmp) / "people.parquet"
        with source.open("w", encoding="utf-8") as handle:
            handle.write(",".join(IDENTITY_COLUMNS) + "\n")
            handle.writelines(",".join(row[c] for c in IDENTITY_COLUMNS) + "\n" for row in rows)
        del rows  # an encoding run holds nothing else
        # Rows read back from the file: every cell a fresh string, as in a real run. The generated
        # rows share one string object per name, whose cached hash would flatter the caches.
        with source.open(encoding="utf-8", newline="") as handle:
            fresh = list(csv.DictReader(handle))
        batches = [{c: [row[c] for row in fresh[i:i + ENCODE_ROWS]] for c in IDENTITY_COLUMNS}
                   for i in range(0, len(fresh), ENCODE_ROWS)]
        del fresh
        encoder = RecordEncoder(key)
        t0 = time.perf_counter()
        for batch in batches:
            encoder.encode_columns(batch)
        encode_rate = timed("encode (normalise + Bloom + tokens)", args.rows, time.perf_counter() - t0)
        del batches
        t0 = time.perf_counter()
        encode_roster(source, target, key)
        end_to_end = timed("end to end: CSV -> Parquet", args.rows, time.perf_counter() - t0)
        print(f"Parquet size: {target.stat().st_size / args.rows:,.0f} bytes per record")

    print(f"baseline / encode ratio: {baseline / encode_rate:.1f}x;  baseline / end-to-end: "
          f"{baseline / end_to_end:.1f}x")
    verdict = "meets" if end_to_end >= TARGET else "MISSES"
    print(f"end to end {verdict} the target of {TARGET:,} records/s on one core")


if __name__ == "__main__":
    main()
