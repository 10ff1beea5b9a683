"""Issue 18: what disclosure control of a study's tables costs, on a synthetic population of students.

1. The rule check alone (primary suppression with dominance, rounding; no MILP when nothing fails) on a
   1,000-cell table (grade x school, a count and a mean), against the 50 ms budget.
2. The full control (primary, complementary suppression by MILP, rounding) on a realistic table,
   grade x school x program from --students children in --schools schools: time, and the suppression
   rate as a share of the cells and of the students hidden; then the audit of a second, overlapping
   table (grade x program x sex) against it.
3. `acro` (SACRO's checker, the `bench` extra) on the same 1,000-cell table through its public API
   (crosstab with a count, then with a sum): its time, and whether it flags the same cells for the
   checks both implement (threshold, N-K, p%).

    .venv/bin/python -m benchmarks.research                 # from the repository root
    .venv/bin/python -m benchmarks.research --students 20000 --skip-acro
"""

from __future__ import annotations

import argparse
import logging
import statistics
import time

import numpy as np

from accord.disclosure import AuditHistory, Measure, Row, Rules, Table, control
from accord.disclosure.primary import judge
from accord.disclosure.rounding import round_counts

GRADES = [f"g{g:02d}" for g in range(13)]  # K-12
PROGRAMS = ["none", "ell", "sped", "gifted", "migrant"]


def population(students: int, schools: int, seed: int, skewed: bool,
               programs: int = 5) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    weights = 1.0 / np.arange(1, schools + 1) ** (0.9 if skewed else 0.0)
    shares = np.array([0.72, 0.1, 0.13, 0.045, 0.005])[:programs]
    return {
        "grade": rng.choice(GRADES, students),
        "school": rng.choice([f"s{i:03d}" for i in range(schools)], students, p=weights / weights.sum()),
        "program": rng.choice(PROGRAMS[:programs], students, p=shares / shares.sum()),
        "sex": rng.choice(["f", "m"], students),
        "score": rng.normal(250, 40, students).clip(0, 500),
    }


def table(records: dict[str, np.ndarray], dims: tuple[str, ...]) -> Table:
    """The GROUP BY the plumbing runs, in numpy: one row per combination seen, members by index."""
    keys = np.stack([records[d] for d in dims], 1) if dims else np.zeros((len(records["grade"]), 0))
    combos, inverse = np.unique(keys, axis=0, return_inverse=True)
    order = np.argsort(inverse, kind="stable")
    bounds = np.searchsorted(inverse[order], np.arange(len(combos) + 1))
    rows = []
    for j, combo in enumerate(combos):
        members = order[bounds[j]:bounds[j + 1]].astype(np.int64)
        score = records["score"][members]
        rows.append(Row(tuple(str(v) for v in combo), members,
                        {"n": Measure("count", float(len(members))),
                         "mean_score": Measure("mean", float(score.mean()), score)}))
    return Table(dims, rows)


def timed(fn, repeat: int) -> tuple[float, object]:  # type: ignore[no-untyped-def]
    times, out = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), out


def rule_check(students: int, seed: int) -> tuple[Table, dict[str, np.ndarray]]:
    records = population(students, 77, seed, skewed=False)  # 13 x 77 = 1,001 cells
    t = table(records, ("grade", "school"))
    rules = Rules(rounding_base=5, audit=False)
    check, judgement = timed(lambda: judge(t, rules), 20)
    rounding, _ = timed(lambda: round_counts(t.counts(), rules), 20)
    full, released = timed(lambda: control(t, rules, AuditHistory.empty(students), students), 20)
    primaries = sum(int(p.sum()) for p in judgement.primary.values())  # type: ignore[attr-defined]
    print(f"1. rule check, {len(t.rows):,} cells ({primaries} primary): primary+dominance "
          f"{check * 1e3:.1f} ms, rounding {rounding * 1e3:.2f} ms; the whole control "
          f"(no MILP needed) {full * 1e3:.1f} ms; budget 50 ms: "
          f"{'met' if full < 0.05 else 'MISSED'}")
    return t, records


def realistic(students: int, seed: int, schools: int) -> None:
    records = population(students, schools, seed + 1, skewed=True, programs=3)
    t = table(records, ("grade", "school", "program"))
    rules = Rules(audit=False)
    start = time.perf_counter()
    released = control(t, rules, AuditHistory.empty(students), students)
    elapsed = time.perf_counter() - start
    counts = t.counts()
    hidden = np.array([c.status.suppressed for c in released.cells if c.measure == "n"])
    primary = np.array([c.status.value == "suppressed_primary" for c in released.cells if c.measure == "n"])
    print(f"2. full control (count and mean), grade x {schools} schools (sizes Zipf) x program (none, "
          f"ELL, special education), {students:,} students, {len(t.rows):,} cells: "
          f"{elapsed:.1f} s; {primary.sum()} primary + {hidden.sum() - primary.sum()} complementary cells "
          f"hidden = {hidden.mean():.1%} of cells, {counts[hidden].sum() / counts.sum():.1%} of students")
    history = AuditHistory.empty(students).after(released)
    second = table(records, ("grade", "program", "sex"))
    audited = Rules()
    start = time.perf_counter()
    again = control(second, audited, history, students)
    elapsed = time.perf_counter() - start
    trial = history.after(again)
    sigs, sizes = trial.atoms()
    withheld = sum(1 for c in again.cells if "audit" in c.detail)
    print(f"   then grade x program x sex ({len(second.rows)} cells) audited against it: {elapsed:.1f} s, "
          f"{len(sigs):,} atoms ({int((sizes < audited.min_count).sum()):,} under {audited.min_count}), "
          f"{withheld} cells withheld by the audit")


def with_acro(t: Table, records: dict[str, np.ndarray], students: int) -> None:
    try:
        import acro  # type: ignore[import-untyped]
        import pandas as pd
    except ImportError:
        print("3. acro is not installed (pip install -e '.[bench]'): comparison skipped")
        return
    logging.disable(logging.CRITICAL)
    frame = pd.DataFrame({k: records[k] for k in ("grade", "school", "score")})
    session = acro.ACRO(suppress=False)
    start = time.perf_counter()
    session.crosstab(frame.grade, frame.school)
    counted = time.perf_counter() - start
    start = time.perf_counter()
    session.crosstab(frame.grade, frame.school, values=frame.score, aggfunc="sum")
    summed = time.perf_counter() - start
    ours, _ = timed(lambda: control(t, Rules(audit=False), AuditHistory.empty(students), students), 5)
    cells = session.results.get_index(1).sdc["cells"]
    threshold = session.results.get_index(0).sdc["cells"]["MinimumThresholdCheck"]
    print(f"3. acro on the same {len(t.rows):,}-cell table: count crosstab {counted:.2f} s, sum crosstab "
          f"{summed:.2f} s (ours, the whole control: {ours * 1e3:.1f} ms, {summed / ours:.0f}x faster); acro "
          f"flags {len(threshold)} threshold, {len(cells['NKCheck'])} N-K, "
          f"{len(cells['PPercentCheck'])} p% cells "
          f"(tests/unit/disclosure/test_acro_oracle.py compares them cell by cell)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--students", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=18)
    parser.add_argument("--schools", type=int, default=20, help="schools in the realistic table")
    parser.add_argument("--skip-acro", action="store_true")
    args = parser.parse_args()
    t, records = rule_check(args.students, args.seed)
    realistic(args.students, args.seed, args.schools)
    if not args.skip_acro:
        with_acro(t, records, args.students)


if __name__ == "__main__":
    main()
