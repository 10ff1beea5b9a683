"""The record-level filter (CLK) and the hardenings measured on it (ADR 0029): experiments for
salting_options.py and clk_attacks.py, never what Accord encodes.

The CLK is one 1,024-bit filter of the bigrams of first name, surname and street (one text), 10 keyed
positions per bigram, unsalted. A hardening turns its bits into the 512 bits the hub would hold:

  plain       none (1,024 bits: measured by the attacks only; the hub's files hold 8 words per filter)
  fold        XOR-folding (Schnell, Borgs & Encheva 2016): bit i is bit i XOR bit i + 512, as Accord
              folds every filter (`record.fold`)
  diffuse5    the diffusion layer of Armknecht, Heng & Schnell (PoPETs 2023): output bit j is the XOR
  diffuse7    of a fixed keyed-random set of t input bits (t = 5, 7, 10); folding is its t = 2 case
  diffuse10   with disjoint pairs
  blip        BLIP (Schnell & Borgs 2016, randomised response): the folded filter with each bit
              flipped with probability 0.05, afresh at every encoding

Diffusion spreads similarity over fewer distinguishable values: two filters differing in d of m
input bits differ in an output bit with probability (1 - (1 - 2d/m)^t) / 2, so unrelated records
sit near Dice 0.5 rather than 0.25. `dice_levels` maps the CLK's Dice thresholds through that.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from accord.linkage.encode.keys import derive

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the attack suite lives in tests/
from tests.attacks.clk_mining import as_bits  # noqa: E402

BITS, OUT, HASHES = 1024, 512, 10
VARIANTS = ("plain", "fold", "diffuse5", "diffuse7", "diffuse10", "blip")
TAPS = {"fold": 2, "diffuse5": 5, "diffuse7": 7, "diffuse10": 10, "blip": 2}  # input bits per output bit
FLIP = 0.05
SET_BITS = 247  # a synthetic child's CLK sets about 247 of its 1,024 bits (28 bigrams)


def taps(key: bytes, t: int) -> np.ndarray:
    """(OUT, t) input positions of each output bit, fixed by the key (distinct within a row)."""
    seed = int.from_bytes(derive(key, f"clk diffusion {t}")[:8], "little")
    rng = np.random.default_rng(seed)
    return np.stack([rng.choice(BITS, t, replace=False) for _ in range(OUT)])


def harden(bits: np.ndarray, variant: str, key: bytes, seed: int = 0) -> np.ndarray:
    """(n, BITS) boolean plain CLKs -> the variant's (n, OUT) bits (plain: unchanged)."""
    if variant == "plain":
        return bits
    if variant in ("fold", "blip"):
        out = bits[:, :OUT] ^ bits[:, OUT:]
        if variant == "blip":
            out ^= np.random.default_rng(seed).random(out.shape) < FLIP
        return out
    return np.bitwise_xor.reduce(bits[:, taps(key, TAPS[variant])], axis=2)


def differing(dice: float, t: int, set_bits: int = SET_BITS) -> float:
    """Share of output bits two CLKs of input Dice `dice` differ in."""
    d = 2 * set_bits * (1 - dice)
    return (1 - (1 - 2 * d / BITS) ** t) / 2


def output_dice(dice: float, variant: str) -> float:
    """The output Dice expected for an input Dice (equal set bits on both sides)."""
    t = TAPS.get(variant, 1)
    ones = (1 - (1 - 2 * SET_BITS / BITS) ** t) / 2  # an output bit's rate of 1s
    flips = 2 * FLIP * (1 - FLIP) if variant == "blip" else 0.0  # one side flipped, not the other
    ones = ones * (1 - FLIP) + (1 - ones) * FLIP if variant == "blip" else ones
    return 1 - (differing(dice, t) * (1 - flips) + flips * (1 - differing(dice, t))) / (2 * ones)


def dice_levels(variant: str, levels: tuple[float, ...], block: float) -> tuple[tuple[float, ...], float]:
    """The Dice levels and block of the plain CLK, mapped through the variant; levels closer than
    three standard deviations to unrelated pairs' output Dice are dropped and the block is raised to
    five (with ~500 output bits, chance pairs would otherwise flood it)."""
    unrelated = output_dice(SET_BITS / BITS, variant)
    spread = 0.5 / math.sqrt(OUT)
    kept = tuple(round(output_dice(d, variant), 3) for d in levels
                 if output_dice(d, variant) >= unrelated + 3 * spread)
    return kept, round(max(output_dice(block, variant), unrelated + 5 * spread), 3)


def as_words(bits: np.ndarray) -> np.ndarray:
    """(n, bits) boolean -> (bits / 64, n) signed 64-bit words, the encoder's layout."""
    packed = np.packbits(bits, axis=1, bitorder="little")
    return np.ascontiguousarray(packed).view("<i8").T.astype(np.int64)


class HardenedClk:
    """Wraps the encoder of the CLK field (a BloomEncoder of BITS bits) so that its filters come out
    hardened: OUT bits in the first words and zeros in the rest, which `record.fold` then leaves as
    they are. Taps are keyed by the benchmark's fixed key (the hub never sees either)."""

    def __init__(self, inner: Any, variant: str, key: bytes) -> None:
        self._inner, self._variant, self._key = inner, variant, key
        self._draws = 0

    def encode_many(self, label: str, salts: np.ndarray,
                    texts: Sequence[str | None]) -> tuple[np.ndarray, Any]:
        filters, present = self._inner.encode_many(label, salts, texts)
        self._draws += 1  # BLIP flips afresh at every encoding
        bits = harden(as_bits(filters), self._variant, self._key, self._draws)
        out = np.zeros_like(filters)
        out[:OUT // 64] = as_words(bits)
        out[:, ~present] = 0
        return out, present

