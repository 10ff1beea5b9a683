"""Agency-side encoding throughput: records/s on one core, against a plain-HMAC baseline.

Synthetic rows are generated in-process from short lists of invented names, so first names,
surnames, cities and postcodes repeat as they do in real rosters while street addresses are
mostly unique. Three measures, all in this process, each on a fresh encoder (cold caches):

1. encode: normalise + keyed Bloom filters + tokens for every row (RecordEncoder.encode), on
   rows already parsed from the CSV.
2. end to end: `accord encode`'s work, CSV file in, Parquet file out (encode_roster), with
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
from accord.linkage.pipeline import encode_roster

TARGET = 50_000  # records/s on one core
FIRST = ["Maribel", "Tobias", "Ogechi", "Rosalind", "Priya", "Hamish", "Wren", "Dario", "Ines", "Bill",
         "Liz", "Pepe", "Paco", "Zoë", "Anaïs", "Kofi", "Saoirse", "Mateo", "Yuki", "Leilani", "Björn",
         "Farida", "Emeka", "Cosmo", "Thandiwe", "Ximena", "Oskar", "Nadia", "Rafferty", "Imogen"]
LAST = ["Quintero", "Wrenfield", "Nwachukwu", "Okonkwo-Bell", "García-López", "Ashdown", "Pellegrino",
        "Marsh", "Tanaka", "Lindqvist", "de la Cruz", "O'Farrell", "Haverford", "Mbeki", "Castellanos",
        "Fairweather", "Kowalczyk", "Achterberg", "Ruiz y Soto", "Delacroix", "Birchwood", "Nakamura"]
STREETS = ["Larkspur", "Quarry", "Heron", "Juniper", "Old Mill", "Kestrel", "Foxglove", "Tamarack",
           "Harbour", "Orchard", "Bellweather", "Cobble", "Lantern", "Marigold", "Saltmarsh"]
TYPES = ["Lane", "Road", "Street", "Ave", "Court", "Drive", "Blvd", "Way"]
CITIES = ["Millbrook", "Ashcombe", "Saint Albury", "Fort Kessel", "Lower Dunmere", "Westhaven",
          "Quarrytown", "Pinefold", "Española Springs", "Marrow Bay"]


def synthetic_rows(n: int, seed: int = 7) -> list[dict[str, str]]:
    """n rows of invented people in the canonical columns, with the usual format variety."""
    rng = random.Random(seed)
    start = date(2005, 1, 1)
    rows = []
    for i in range(n):
        dob = start + timedelta(days=rng.randrange(16 * 365))
        dob_text = dob.isoformat() if rng.random() < 0.8 else dob.strftime("%m/%d/%Y")
        rows.append({
            "record_id": f"s-{i:07d}", "first_name": rng.choice(FIRST),
            "middle_name": rng.choice(FIRST) if rng.random() < 0.5 else "", "last_name": rng.choice(LAST),
            "date_of_birth": dob_text, "sex": rng.choice("FM"),
            "street_address": f"{rng.randrange(1, 2000)} {rng.choice(STREETS)} {rng.choice(TYPES)}",
            "city": rng.choice(CITIES), "postcode": f"0{rng.randrange(1000, 1300)}",
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

    t0 = time.perf_counter()
    for row in rows:
        hmac.new(key, "\x1f".join(row[c] for c in IDENTITY_COLUMNS[1:]).encode(), hashlib.sha256).digest()
    baseline = timed("baseline: HMAC of joined fields", args.rows, time.perf_counter() - t0)

    with tempfile.TemporaryDirectory() as tmp:
        source, target = Path(tmp) / "people.csv", Path(tmp) / "people.parquet"
        with source.open("w", encoding="utf-8") as handle:
            handle.write(",".join(IDENTITY_COLUMNS) + "\n")
            handle.writelines(",".join(row[c] for c in IDENTITY_COLUMNS) + "\n" for row in rows)
        # Rows read back from the file: every cell a fresh string, as in a real run. The generated
        # rows share one string object per name, whose cached hash would flatter the caches.
        with source.open(encoding="utf-8", newline="") as handle:
            fresh = list(csv.DictReader(handle))
        encoder = RecordEncoder(key)
        t0 = time.perf_counter()
        for row in fresh:
            encoder.encode(row)
        encode_rate = timed("encode (normalise + Bloom + tokens)", args.rows, time.perf_counter() - t0)
        del fresh
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
