"""What-if saltings for ADR 0012's options table: the F1 each gives on the development sets, and what
the attack suite's frequency attack recovers from its name filters on 20,000 synthetic children.

The variants are experiments, never what Accord encodes. Each one patches, in this process only,
the encoder's salt layout (`record._texts_and_salts`) and the hub's model (which pairs of filters
are compared, and the blocks that reach pairs with different birth dates):

  v5            Accord as it is: first name, middle name and street salted with the full birth date,
                the surname with the date and the first-name code
  year          first name, surname and street salted with the year of birth (Christen et al.)
  names         first name and surname not salted at all
  names+street  first name, surname and street not salted at all
  clk           v5, plus one unsalted record-level filter (CLK) of first name, surname and street,
                XOR-folded as every filter is
  clk-diffuse5  the same CLK through the diffusion layer of Armknecht, Heng & Schnell (t = 5, 7 or
  clk-diffuse7  10 input bits per output bit) instead of the fold, its Dice levels and block mapped
  clk-diffuse10 through it (clk_variants.py; ADR 0029)
  clk-blip      the folded CLK with each bit flipped with probability 0.05 (BLIP)
  zip           v5, plus the first name salted with the surname and the ZIP, and the surname with
                the first name and the ZIP: names compare across a replaced birth date when the
                other name and the ZIP agree
  zip-apart     the same filters, compared only between records whose birth dates differ or are
                missing (where the date-salted names cannot compare), so no pair counts its names twice

Unsalted and year-salted filters are compared between any two records (the hub has no token that
says two records share a year, and must not: ADR 0008); equal name filters make an extra block.

    .venv/bin/python benchmarks/salting_options.py --variant year --set febrl4 --set febrl3 --attack
"""

from __future__ import annotations

import argparse
import logging
import sys
import tempfile
from collections import defaultdict
from pathlib import Path
from typing import Any

import numpy as np

import accord.linkage.encode.record as record
import accord.linkage.hub.model as model
import accord.linkage.hub.training as training
from accord.linkage.encode.tokens import text_value
from accord.linkage.normalise import normalise_date, normalise_given_name

NAMES = ("first_name", "last_name")
VARIANTS = {"v5": (), "year": (*NAMES, "street_address"), "names": NAMES,
            "names+street": (*NAMES, "street_address"), "clk": (), "zip": (), "zip-apart": (),
            "clk-diffuse5": (), "clk-diffuse7": (), "clk-diffuse10": (), "clk-blip": ()}
CLK_HARDENING = {"clk-diffuse5": "diffuse5", "clk-diffuse7": "diffuse7", "clk-diffuse10": "diffuse10",
                 "clk-blip": "blip"}
CLK_LEVELS, CLK_BLOCK = (0.9, 0.8, 0.7, 0.6, 0.5), 0.6  # the folded CLK's, as first measured
ZIP_SALTED = ("first_zl", "last_zf")  # the zip variant's filters
CLK_K = 10  # hashes per bigram of the record-level filter: ~30 bigrams, a third of 1,024 bits set


def _patch_salts(variant: str) -> None:
    """Re-salt the variant's fields (year or none) and, for clk, add the record-level filter."""
    fields, original = VARIANTS[variant], record._texts_and_salts
    clk = variant.startswith("clk")
    if clk:
        record.BLOOM_FIELDS["clk"] = ("clk", CLK_K)
    if variant in CLK_HARDENING:
        _harden_clk(CLK_HARDENING[variant])
    if variant.startswith("zip"):
        record.BLOOM_FIELDS |= {field: ("name", 20) for field in ZIP_SALTED}

    def salted(dob: Any, codes: Any, first: list[str | None], middle: list[str | None],
               last: list[str | None], street: list[str | None], national_id: list[str | None]) -> Any:
        texts, salts = original(dob, codes, first, middle, last, street, national_id)
        clear = {"first_name": first, "last_name": last, "street_address": street}
        for field in fields:
            salts[field] = dob >> np.uint64(16) if variant == "year" else np.zeros(len(dob), np.uint64)
            texts[field] = clear[field]
        if clk:
            texts["clk"] = [" ".join(p for p in parts if p) or None
                            for parts in zip(first, last, street, strict=True)]
            salts["clk"] = np.zeros(len(dob), np.uint64)
        if variant.startswith("zip"):
            zips = codes.postcode.tolist()
            for field, text, other in (("first_zl", first, last), ("last_zf", last, first)):
                texts[field] = [t if t and o and z else None
                                for t, o, z in zip(text, other, zips, strict=True)]
                salts[field] = np.array([(text_value(o or "") ^ (z * 0x9E3779B97F4A7C15)) & (2**64 - 1)
                                         for o, z in zip(other, zips, strict=True)], np.uint64)
        return texts, salts
    record._texts_and_salts = salted


def _harden_clk(hardening: str) -> None:
    """Every RecordEncoder made from now on hardens its CLK (clk_variants.HardenedClk)."""
    from clk_variants import HardenedClk
    made = record.RecordEncoder.__init__

    def init(self: Any, key: bytes, bits: int = 1024) -> None:
        made(self, key, bits)
        self._encoders["clk"] = HardenedClk(self._encoders["clk"], hardening, bytes(range(32)))
    record.RecordEncoder.__init__ = init  # type: ignore[method-assign]


def _patch_model(variant: str) -> None:
    """Compare the re-salted fields between any two records; block on equal name filters (or on a
    similar CLK)."""
    fields, null = VARIANTS[variant], model._null
    comparisons, blocks = model.comparisons, model.blocking_rules
    levels, block = CLK_LEVELS, CLK_BLOCK
    if variant in CLK_HARDENING:
        from clk_variants import dice_levels
        levels, block = dice_levels(CLK_HARDENING[variant], CLK_LEVELS, CLK_BLOCK)
    model._null = lambda field, salt_token: null(field, None if field in fields else salt_token)

    def with_clk(words: int, carried: Any) -> list[dict[str, Any]]:
        chosen = comparisons(words, carried)
        if "clk" in carried:
            chosen.append(model.dice_comparison("clk", words, levels, salt_token=None))
        for field in ZIP_SALTED:
            if field in carried:
                made = model.dice_comparison(field, words, (0.9, 0.8, 0.7), salt_token=None)
                if variant == "zip-apart":  # only where the date-salted names cannot compare
                    made["comparison_levels"][0]["sql_condition"] += f" OR {model._same_date()}"
                chosen.append(made)
        return chosen

    def rules(words: int, carried: Any = None) -> list[str]:
        chosen = blocks(words, carried)
        for field in ("first_name", "last_name"):
            if field in fields:
                chosen.append(" AND ".join(f"l.{field}_bf_{i} = r.{field}_bf_{i}" for i in range(3)))
        if variant.startswith("clk"):
            chosen.append(model.blocking_dice("clk", words, block))
        if variant.startswith("zip"):
            chosen += [" AND ".join(f"l.{field}_bf_{i} = r.{field}_bf_{i}" for i in range(3))
                       for field in ZIP_SALTED]
        return chosen
    model.comparisons, model.blocking_rules = with_clk, rules
    for field in fields:  # their u comes from random pairs: any two records are comparable now
        training.U_SAMPLING_TOKENS.pop(field, None)


def _link(names: list[str], variant: str) -> None:
    from dev_table import dev_set, run_accord
    for name in names:
        with tempfile.TemporaryDirectory() as tmp:
            figures, _ = run_accord(dev_set(name, Path(tmp)), Path(tmp))
            print(f"{variant:13s} {name:7s} P {figures.precision:.4f} R {figures.recall:.4f} "
                  f"F1 {figures.f1:.4f} link {figures.seconds:.1f} s", flush=True)


def _attack(variant: str) -> None:
    """The suite's grouped frequency attack on first name and surname, within the salt classes the
    attacker can form: birth dates (v5's tokens), true years of birth (year), or the whole file."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the attack suite lives in tests/
    from tests.attacks import attacks as A
    from tests.attacks.test_attacks import (
        SECRET_KEY,
        _filters,
        _surname,
        given_name_knowledge,
        surname_knowledge,
        surname_salt_classes,
        synthetic_roster,
    )
    columns = synthetic_roster(7, 20_000)
    batch = record.RecordEncoder(SECRET_KEY).encode_columns(columns)
    years: dict[int, list[int]] = defaultdict(list)
    for i, value in enumerate(columns["date_of_birth"]):
        if parsed := normalise_date(value):
            years[parsed.year].append(i)
    tokens = {t: [int(v) if ok else None for v, ok in zip(batch.tokens[t], batch.present[t], strict=True)]
              for t in ("tok_dob_pair", "tok_dob_first")}
    for field, known, truth in (
            ("first_name", given_name_knowledge(), [normalise_given_name(v) for v in columns["first_name"]]),
            ("last_name", surname_knowledge(), [_surname(v) for v in columns["last_name"]])):
        if variant == "year":
            classes = sorted(years.values(), key=len, reverse=True)
        elif field in VARIANTS[variant]:
            classes = [list(range(len(truth)))]
        else:
            classes = (surname_salt_classes(tokens) if field == "last_name"
                       else A.salt_classes(tokens, ("tok_dob_pair",)))
        filters = _filters(batch.blooms[field], batch.present[field])
        labels = A.grouped_frequency_attack(filters, known, classes)
        score = A.score(labels, filters, truth)
        whole = sum(known.values())
        share = {v: p / whole for v, p in known.items()}
        right, guessed, chance = A.beyond_chance(labels, filters, truth, share)
        print(f"{variant:13s} attack {field:10s}: {score.labelled} filters labelled, {right} right "
              f"({score.values} values, {score.records:,} records); guessing gets {guessed:.1f}, "
              f"chance {chance:.1e}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--variant", choices=sorted(VARIANTS), default="v5")
    parser.add_argument("--set", action="append", default=[], help="febrl1..4 or synth; repeatable")
    parser.add_argument("--attack", action="store_true", help="also run the frequency attack at 20,000")
    args = parser.parse_args()
    logging.getLogger("splink").setLevel(logging.ERROR)
    _patch_salts(args.variant)
    _patch_model(args.variant)
    _link(args.set, args.variant)
    if args.attack:
        _attack(args.variant)


if __name__ == "__main__":
    main()
