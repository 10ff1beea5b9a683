"""Linking encoded rosters at scale, next to clear-text Splink on the same records in the same run.

For each size N: two synthetic rosters of about N rows (`pair_rosters`: right holds ~80% of left's
people plus outsiders), then

1. encode: each roster CSV to keyed Parquet (`encode_roster`), one child process per file;
2. encoded link: `link_pairs` on the two Parquet files, with its stages timed through `report`;
3. clear prep: each roster CSV to the baseline's normalised frame (`cleartext_splink.clear_frame`);
4. clear link: `cleartext_splink.link_cleartext` on those frames (same blocking combinations,
   training plan and one-to-one assignment, in clear text);

and both link files graded against truth.csv. Every phase runs in a fresh child process ("spawn"),
timed inside the child after its imports, and reports the child's peak resident memory (VmHWM).
A link's time runs from loading its inputs to its pandas result (writing the CSV is left out).
Generating the rosters is timed apart and is in none of the figures. Blocking recall is the share
of true left-right pairs whose encoded records meet at least one of the hub's blocking rules
(`model.blocking_rules`: equal tokens, a token both records lack being no agreement, and one Dice
rule on salted filters), i.e. the most the encoded link can find; the clear keys' blocking
recall is printed beside it. Both links run on in-memory DuckDB unless --workspace says otherwise;
on a shared, noisy machine --repeat N keeps the fastest of N runs of each link. Nothing
identifying is printed: counts, seconds and MiB only.

Targets (issue 4): F1 within 0.003 of clear text; encoded link time at most 1.5x clear text's;
at 1M x 1M, encode + link in under 15 minutes with blocking recall of at least 99.5%.

    .venv/bin/python benchmarks/linkage.py                          # 100k x 100k
    .venv/bin/python benchmarks/linkage.py --rows 100000 1000000
    .venv/bin/python benchmarks/linkage.py --rows 1000000 --keep /tmp/linkage-1m --workspace file
"""

from __future__ import annotations

import argparse
import hashlib
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from accord.linkage.hub.encoded import common_layout
from accord.linkage.hub.evaluate import LinkQuality, evaluate
from accord.linkage.hub.link import LinkOptions, link_pairs
from accord.linkage.hub.model import BLOCKING_TOKENS, blocking_rules, popcount
from accord.linkage.hub.output import write_csv
from accord.linkage.pipeline import encode_roster
from accord.synth.rosters import TRUTH_FILE, pair_rosters
from cleartext_splink import BLOCKS, clear_frame, link_cleartext
from dev_table import SETS, run_sets
from phases import Phase, run_phase

KEY = bytes(range(32))  # a fixed benchmark key: runs are reproducible per seed
LINK_COLUMNS = ["left_id", "right_id", "match_probability"]
F1_GAP = 0.003  # the encoded F1 may fall at most this far below clear text's
TIME_RATIO = 1.5  # encoded link time / clear-text link time, at most
WALL_LIMIT = 15 * 60.0  # seconds for encode + link at 1M x 1M
WALL_ROWS = 1_000_000
BLOCKING_RECALL = 0.995
WORKSPACE_ROWS = 500_000  # from this size on, the encoded link runs in a DuckDB file (--workspace auto)


# --- phases: each runs in a child process; these functions are what the child calls ----------------

class _Stages:
    """The report callback of a link: prints each stage as it starts and keeps its start time."""

    def __init__(self, label: str) -> None:
        self.label, self.start = label, time.perf_counter()
        self.marks: list[tuple[str, float]] = []

    def __call__(self, stage: str) -> None:
        elapsed = time.perf_counter() - self.start
        self.marks.append((stage, elapsed))
        print(f"    [{self.label} {elapsed:8.1f} s] {stage}", flush=True)


def generate(rows: int, out: Path, seed: int) -> dict[str, int]:
    summary = pair_rosters(rows, out, seed)
    return {name: counts.rows for name, counts in summary.agencies.items()}


def encode(source: Path, target: Path) -> int:
    return encode_roster(source, target, KEY).rows_written


def link_encoded(left: Path, right: Path, links: Path, threshold: float, workspace: Path | None
                 ) -> tuple[int, list[tuple[str, float]], float]:
    stages = _Stages("encoded")
    stages("loading the encoded files (until link_pairs' first report)")
    options = LinkOptions(threshold=threshold, workspace=workspace)
    frame = link_pairs(left, right, options, report=stages).result
    stages("done")
    seconds = time.perf_counter() - stages.start
    write_csv(frame, links, LINK_COLUMNS)
    return len(frame), stages.marks, seconds


def prep_clear(source: Path, target: Path) -> int:
    frame = clear_frame(source)
    frame.to_pickle(target)
    return len(frame)


def link_clear(left: Path, right: Path, links: Path, threshold: float
               ) -> tuple[int, list[tuple[str, float]], float]:
    stages = _Stages("clear")
    stages("loading the prepared frames")
    frame = link_cleartext(pd.read_pickle(left), pd.read_pickle(right), threshold, report=stages)
    stages("done")
    seconds = time.perf_counter() - stages.start
    write_csv(frame, links, LINK_COLUMNS)
    return len(frame), stages.marks, seconds


# --- blocking recall --------------------------------------------------------------------------------

def _blocking_recall(con: duckdb.DuckDBPyConnection, left: str, right: str, truth: Path,
                     columns: tuple[str, ...], rules: list[str]) -> tuple[int, int, int]:
    """(true pairs, pairs meeting at least one of the SQL conditions `rules`, pairs where a record
    has none of the blocking `columns`) over relations `left` and `right`."""
    agree = " OR ".join(f"coalesce({rule}, false)" for rule in rules)
    l_none = " AND ".join(f"l.{c} IS NULL" for c in columns)
    r_none = " AND ".join(f"r.{c} IS NULL" for c in columns)
    row = con.execute(f"""
        WITH truth AS (SELECT * FROM read_csv(?, header = true, all_varchar = true)),
        pairs AS (
            SELECT a.record_id AS left_id, b.record_id AS right_id
            FROM truth a JOIN truth b ON a.person_id = b.person_id
            WHERE a.agency = 'left' AND b.agency = 'right')
        SELECT count(*),
               count(*) FILTER (WHERE {agree}),
               count(*) FILTER (WHERE ({l_none}) OR ({r_none}))
        FROM pairs p
        LEFT JOIN {left} l ON l.record_id = p.left_id
        LEFT JOIN {right} r ON r.record_id = p.right_id
    """, [str(truth)]).fetchone()
    assert row is not None
    return int(row[0]), int(row[1]), int(row[2])


def encoded_blocking_recall(left: Path, right: Path, truth: Path) -> tuple[int, int, int]:
    """Blocking recall of the hub's blocks (`model.blocking_rules`) over the two Parquet files."""
    layout = common_layout([left, right])
    pops = ", ".join(f"{popcount(f, layout.words)} AS {f}_pop" for f in layout.bloom_fields)
    with duckdb.connect() as con:
        for name, path in (("encoded_left", left), ("encoded_right", right)):
            con.execute(f"CREATE TEMP VIEW {name} AS SELECT *, {pops} FROM read_parquet('{path}')")
        return _blocking_recall(con, "encoded_left", "encoded_right", truth, BLOCKING_TOKENS,
                                blocking_rules(layout.words))


def clear_blocking_recall(left: Path, right: Path, truth: Path) -> tuple[int, int, int]:
    """Blocking recall of the clear-text baseline's keys (cleartext_splink.BLOCKS), for comparison."""
    columns = ["record_id", *BLOCKS]
    with duckdb.connect() as con:
        con.register("clear_left", pd.read_pickle(left)[columns])
        con.register("clear_right", pd.read_pickle(right)[columns])
        return _blocking_recall(con, "clear_left", "clear_right", truth, BLOCKS,
                                [f"l.{key} = r.{key}" for key in BLOCKS])


# --- one size ---------------------------------------------------------------------------------------

@dataclass
class SizeResult:
    rows: int
    phases: dict[str, Phase] = field(default_factory=dict)
    quality: dict[str, LinkQuality] = field(default_factory=dict)  # by phase name: the two links
    stages: dict[str, list[tuple[str, float]]] = field(default_factory=dict)
    blocking: tuple[int, int, int] = (0, 0, 0)
    clear_blocking: tuple[int, int, int] = (0, 0, 0)


def _grade(links: Path, truth: Path) -> LinkQuality:
    quality, _, _ = evaluate(links, truth, "left", "right")
    return quality


def _link_phase(name: str, repeat: int, scratch: Path | None, target: Callable[..., Any], *args: Any
                ) -> tuple[Phase, list[tuple[str, float]]]:
    """Run a link `repeat` times, each in a fresh process: the fastest run's time and stages, the
    largest peak. The link times itself from its first stage to its result (not writing the CSV).
    `scratch` (a DuckDB workspace file) is removed before and after each run."""
    best: Phase | None = None
    stages: list[tuple[str, float]] = []
    peak = 0.0
    for attempt in range(repeat):
        if repeat > 1:
            print(f"    run {attempt + 1} of {repeat}", flush=True)
        if scratch is not None:
            scratch.unlink(missing_ok=True)
        phase = run_phase(name, target, *args)
        links, marks, phase.seconds = phase.result
        phase.result, peak = links, max(peak, phase.peak_mib)
        if scratch is not None:
            scratch.unlink(missing_ok=True)
        if best is None or phase.seconds < best.seconds:
            best, stages = phase, marks
    assert best is not None
    best.peak_mib = peak
    return best, stages


def run_size(rows: int, work: Path, seed: int, threshold: float, workspace: str, repeat: int
             ) -> SizeResult:
    result = SizeResult(rows)
    work.mkdir(parents=True, exist_ok=True)
    rosters = work / "rosters"
    print(f"\n=== {rows:,} x {rows:,} (seed {seed}) in {work} ===", flush=True)
    gen = run_phase("generate rosters", generate, rows, rosters, seed)
    print(f"  generated rosters in {gen.seconds:.1f} s (peak {gen.peak_mib:,.0f} MiB): "
          + ", ".join(f"{name} {count:,} rows" for name, count in gen.result.items()), flush=True)
    truth = rosters / TRUTH_FILE
    phases = result.phases
    for side in ("left", "right"):
        phases[f"encode {side}"] = run_phase(f"encode {side}", encode, rosters / f"{side}.csv",
                                             work / f"{side}.parquet")
        print(f"  encoded {side} in {phases[f'encode {side}'].seconds:.1f} s", flush=True)
    use_file = workspace == "file" or (workspace == "auto" and rows >= WORKSPACE_ROWS)
    db_file = work / "hub-workspace.duckdb" if use_file else None
    print(f"  encoded link ({'DuckDB file workspace' if db_file else 'in-memory DuckDB'}):", flush=True)
    phases["encoded link"], result.stages["encoded"] = _link_phase(
        "encoded link", repeat, db_file, link_encoded, work / "left.parquet", work / "right.parquet",
        work / "links_encoded.csv", threshold, db_file)
    for side in ("left", "right"):
        phases[f"clear prep {side}"] = run_phase(f"clear prep {side}", prep_clear, rosters / f"{side}.csv",
                                                 work / f"{side}.clear.pkl")
        print(f"  prepared clear {side} in {phases[f'clear prep {side}'].seconds:.1f} s", flush=True)
    print("  clear-text link (in-memory DuckDB):", flush=True)
    phases["clear link"], result.stages["clear"] = _link_phase(
        "clear link", repeat, None, link_clear, work / "left.clear.pkl", work / "right.clear.pkl",
        work / "links_clear.csv", threshold)
    result.quality["encoded link"] = _grade(work / "links_encoded.csv", truth)
    result.quality["clear link"] = _grade(work / "links_clear.csv", truth)
    result.blocking = encoded_blocking_recall(work / "left.parquet", work / "right.parquet", truth)
    result.clear_blocking = clear_blocking_recall(work / "left.clear.pkl", work / "right.clear.pkl", truth)
    return result


# --- printing ---------------------------------------------------------------------------------------

def _verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def _sum(name: str, parts: list[Phase]) -> Phase:
    return Phase(name, sum(p.seconds for p in parts), max(p.peak_mib for p in parts))


def _stage_table(label: str, marks: list[tuple[str, float]]) -> None:
    total = marks[-1][1] if marks else 0.0
    print(f"\n  where the time goes, {label} link (stage, starts at, lasts, share):")
    for (stage, start), (_, end) in zip(marks, marks[1:], strict=False):
        lasts = end - start
        print(f"    {stage:<68} {start:8.1f} s {lasts:8.1f} s {lasts / total:6.1%}")
    print(f"    {'total':<68} {'':>10} {total:8.1f} s")


def report(result: SizeResult) -> None:
    phases = result.phases
    encode_total = _sum("encode (both files)", [phases["encode left"], phases["encode right"]])
    prep_total = _sum("clear prep (both files)", [phases["clear prep left"], phases["clear prep right"]])
    encoded, clear = phases["encoded link"], phases["clear link"]
    rows: list[Phase] = [phases["encode left"], phases["encode right"], encode_total, encoded,
                         phases["clear prep left"], phases["clear prep right"], prep_total, clear]
    n = result.rows
    print(f"\n--- {n:,} x {n:,} ---")
    print(f"  {'phase':<26} {'time s':>9} {'peak MiB':>10} {'links':>9} {'precision':>10} {'recall':>8} "
          f"{'F1':>8}")
    for phase in rows:
        line = f"  {phase.name:<26} {phase.seconds:9.1f} {phase.peak_mib:10,.0f}"
        if (q := result.quality.get(phase.name)) is not None:
            line += f" {q.links:9,} {q.precision:10.4f} {q.recall:8.4f} {q.f1:8.4f}"
        print(line)
    encoded_quality, clear_quality = result.quality["encoded link"], result.quality["clear link"]
    print(f"  true pairs: {encoded_quality.true_pairs:,}; correct links: "
          f"encoded {encoded_quality.correct:,}, clear {clear_quality.correct:,}")
    pairs, caught, bare = result.blocking
    recall = caught / pairs if pairs else 1.0
    print(f"  blocking recall, encoded blocks: {caught:,} of {pairs:,} true pairs = {recall:.4%} "
          f"({bare:,} pairs with a record lacking every token)")
    c_pairs, c_caught, c_bare = result.clear_blocking
    print(f"  blocking recall, clear keys:     {c_caught:,} of {c_pairs:,} true pairs = "
          f"{c_caught / max(c_pairs, 1):.4%} ({c_bare:,} pairs with a record lacking every key)")
    gap = encoded_quality.f1 - clear_quality.f1
    ratio = encoded.seconds / clear.seconds
    wall = encode_total.seconds + encoded.seconds
    print("\n  ratios and targets:")
    print(f"    F1(encoded) - F1(clear)              {gap:+.4f}   target >= -{F1_GAP}   "
          f"{_verdict(gap >= -F1_GAP)}")
    print(f"    link time encoded / clear            {ratio:7.2f}x  target <= {TIME_RATIO}x    "
          f"{_verdict(ratio <= TIME_RATIO)}")
    print(f"    blocking recall                      {recall:7.4f}   target >= {BLOCKING_RECALL}   "
          f"{_verdict(recall >= BLOCKING_RECALL)}")
    wall_verdict = _verdict(wall < WALL_LIMIT) if n >= WALL_ROWS else f"(target at {WALL_ROWS:,} rows)"
    print(f"    encode + link wall time              {wall:7.1f} s target < {WALL_LIMIT:.0f} s    "
          f"{wall_verdict}")
    print(f"    (clear prep + link: {prep_total.seconds + clear.seconds:.1f} s; "
          f"encode / clear prep: {encode_total.seconds / prep_total.seconds:.2f}x)")
    _stage_table("encoded", result.stages["encoded"])
    _stage_table("clear-text", result.stages["clear"])


def source_fingerprint() -> str:
    """The commit and a digest of src/accord/linkage as run: others may be changing it meanwhile."""
    root = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256()
    for path in sorted((root / "src/accord/linkage").rglob("*.py")):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=root, capture_output=True,
                              text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "src/accord/linkage"], cwd=root,
                               capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        head, dirty = "unknown", ""
    return f"commit {head}{' + uncommitted changes' if dirty else ''}, src/accord/linkage sha256 " \
           f"{digest.hexdigest()[:12]}"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, nargs="+", default=[100_000],
                        help="roster sizes, e.g. 100000 1000000")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--keep", type=Path,
                        help="work in this directory and keep its files (else a temp dir)")
    parser.add_argument("--threshold", type=float, default=0.5)
    parser.add_argument("--workspace", choices=("memory", "file", "auto"), default="memory",
                        help="the encoded link's DuckDB: in memory (as the clear-text link), a file, "
                             f"or a file from {WORKSPACE_ROWS:,} rows on (auto)")
    parser.add_argument("--sets", action="store_true",
                        help="instead: the development sets (FEBRL1-4, synth) against the independent "
                             "clear-text reference (dev_table.py)")
    parser.add_argument("--repeat", type=int, default=1,
                        help="run each link this many times and report the fastest (a noisy machine)")
    args = parser.parse_args()
    if args.sets:
        run_sets(list(SETS))
        return
    print(f"Python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} cores; "
          f"threshold {args.threshold}; {source_fingerprint()}")
    with tempfile.TemporaryDirectory(prefix="accord-linkage-") as temp:
        base = args.keep or Path(temp)
        results = []
        for rows in args.rows:
            results.append(run_size(rows, base / f"n{rows}", args.seed, args.threshold, args.workspace,
                                    args.repeat))
            report(results[-1])
            sys.stdout.flush()


if __name__ == "__main__":
    main()
