"""The record-level filter attacks (tests/attacks/clk_attack.py, exact; clk_noisy.py and
clk_bootstrap.py, noisy) on each CLK variant of clk_variants.py, for ADR 0029's table.

20,000 synthetic children (the attack suite's roster) are encoded as plain 1,024-bit CLKs under the
agency's key and hardened; the attacker holds the hardened filters and the school's clear list of the
same children in another order (ADR 0014, A2), and knows the scheme (bits, hashes, the hardening and
its t) but not the key. For each variant the exact attack and the noisy one run, and print how many
records each re-identified, how many surnames it named right, and what guessing would get. Counts
only, never a name.

    .venv/bin/python benchmarks/clk_attacks.py --variant plain --variant fold --variant diffuse5
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the attack suite lives in tests/

from tests.attacks.clk_attack import exact_attack, judge  # noqa: E402
from tests.attacks.clk_bootstrap import known_pairs_attack, noisy_attack  # noqa: E402
from tests.attacks.test_attacks import SECRET_KEY  # noqa: E402
from tests.attacks.test_clk_attack import ClkWorld, clk_world  # noqa: E402

from clk_variants import HASHES, VARIANTS, harden  # noqa: E402

ATTACKS = {"exact": exact_attack, "noisy": noisy_attack}
SIGNAL_MIN = 1_000


def signal(bits: np.ndarray, holds: np.ndarray, seed: int) -> tuple[float, float]:
    """(median over frequent bigrams of their largest per-bit rate difference, the same with the
    records shuffled)."""
    x = bits.astype(np.float32)
    frequent = holds[:, holds.sum(axis=0) >= SIGNAL_MIN].astype(np.float32)
    figures = []
    for h in (frequent, frequent[np.random.default_rng(seed).permutation(len(frequent))]):
        count = h.sum(axis=0)[:, None]
        inside = h.T @ x
        lift = inside / count - (x.sum(axis=0) - inside) / (len(x) - count)
        figures.append(float(np.median(np.abs(lift).max(axis=1))))
    return figures[0], figures[1]


def leaked(world: ClkWorld, bits: np.ndarray, known: int, seed: int) -> str:
    """The known-pairs attack with `known` true pairs, scored on the other records."""
    given = np.random.default_rng(seed).choice(len(bits), known, replace=False)
    pairs = {int(r): world.person_of[r] for r in given}
    labels = {r: p for r, p in known_pairs_attack(bits, world.clear, pairs).items() if r not in pairs}
    others = len(bits) - known
    right = sum(world.person_of[r] == p for r, p in labels.items())
    return f"{right:,} of the other {others:,} re-identified ({len(labels):,} labelled)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--variant", action="append", choices=VARIANTS, help="repeatable; default all")
    parser.add_argument("--attack", action="append", choices=sorted(ATTACKS), help="repeatable; default both")
    parser.add_argument("--children", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=20_240_611)
    parser.add_argument("--known", type=int, action="append", default=[],
                        help="also run the known-pairs attack with this many pairs given; repeatable")
    args = parser.parse_args()
    start = time.perf_counter()
    world = clk_world(args.seed, args.children)
    print(f"{args.children:,} children drawn and encoded in {time.perf_counter() - start:.0f} s", flush=True)
    for variant in args.variant or VARIANTS:
        bits = harden(world.bits, variant, SECRET_KEY, args.seed)
        holds = world.clear.holds[world.person_of]
        found, floor = signal(bits, holds, args.seed)
        print(f"{variant:10s} signal: a frequent bigram moves its most telling bit by {found:.3f} "
              f"(noise floor {floor:.3f})", flush=True)
        for name in args.attack or ATTACKS:
            start = time.perf_counter()
            stages: dict[str, int] = {}
            labels = (noisy_attack(bits, world.clear, HASHES, stages=stages) if name == "noisy"
                      else exact_attack(bits, world.clear, HASHES))
            outcome = judge(labels, world.person_of, world.surnames)
            steps = f" {stages}" if stages else ""
            seconds = time.perf_counter() - start
            print(f"{variant:10s} {name:6s} {outcome}{steps} [{seconds:.0f} s]", flush=True)
        for known in args.known:
            start = time.perf_counter()
            print(f"{variant:10s} {known:,} pairs given: {leaked(world, bits, known, args.seed)} "
                  f"[{time.perf_counter() - start:.0f} s]", flush=True)


if __name__ == "__main__":
    main()
