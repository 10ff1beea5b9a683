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
4. Questions to a 10-million-row study through the real plumbing (`--study-rows`), against the bare
   DuckDB GROUP BY on the same table in the same run: (question + control) over bare, bar 2x; and the
   audit's bookkeeping after each release, timed apart.

    .venv/bin/python -m benchmarks.research                 # from the repository root
    .venv/bin/python -m benchmarks.research --students 20000 --skip-acro
"""

from __future__ import annotations

import argparse
import logging
import statistics
import tempfile
import time
from datetime import date
from pathlib import Path

import duckdb
import numpy as np

from accord.disclosure import AuditHistory, Measure, RecordLabels, Released, Row, Rules, Table, control
from accord.disclosure.primary import judge
from accord.disclosure.rounding import round_counts
from accord.domain.studies import Study
from accord.store.study_tables import index_values

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


def table(records: dict[str, np.ndarray], dims: tuple[str, ...],
          labels: RecordLabels | None = None) -> tuple[Table, list[np.ndarray]]:
    """The GROUP BY the plumbing runs, in numpy: one row per combination seen, its parts of the audit's
    atoms from the records' labels; returns the table and each row's records (for the labels' update)."""
    labels = labels or RecordLabels(len(records["grade"]))
    keys = np.stack([records[d] for d in dims], 1) if dims else np.zeros((len(records["grade"]), 0))
    combos, inverse = np.unique(keys, axis=0, return_inverse=True)
    order = np.argsort(inverse, kind="stable")
    bounds = np.searchsorted(inverse[order], np.arange(len(combos) + 1))
    rows, members_by_row = [], []
    for j, combo in enumerate(combos):
        members = order[bounds[j]:bounds[j + 1]].astype(np.int64)
        rows.append(Row(tuple(str(v) for v in combo), labels.parts(members),
                        {"n": Measure("count", float(len(members))),
                         "mean_score": Measure.of("mean", records["score"][members])}))
        members_by_row.append(members)
    return Table(dims, rows), members_by_row


def timed(fn, repeat: int) -> tuple[float, object]:  # type: ignore[no-untyped-def]
    times, out = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), out


def rule_check(students: int, seed: int) -> tuple[Table, dict[str, np.ndarray]]:
    records = population(students, 77, seed, skewed=False)  # 13 x 77 = 1,001 cells
    t, _ = table(records, ("grade", "school"))
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
    labels = RecordLabels(students)
    t, members = table(records, ("grade", "school", "program"), labels)
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
    labels.apply(history.pending, members)
    second, _ = table(records, ("grade", "program", "sex"), labels)
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


def study_file(path: Path, rows: int, seed: int) -> None:
    """A study's DuckDB table as `accord.store.study_tables.write_table` lays it out (rid, sid, label,
    dimensions as text, measures), generated in DuckDB: 13 grades, 50 schools, three programs."""
    with duckdb.connect(str(path)) as con:
        con.execute("CREATE TABLE rids (sid VARCHAR PRIMARY KEY, rid INTEGER)")
        con.execute("CREATE TABLE audit_labels (generation INTEGER)")
        con.execute("INSERT INTO audit_labels VALUES (0)")
        con.execute(f"""CREATE TABLE study AS SELECT i::INTEGER AS rid, 's-' || i AS sid, 0::UBIGINT AS label,
            (hash(i, {seed}) % 13)::VARCHAR AS grade, 's' || (hash(i * 7, {seed}) % 50) AS school,
            ['no', 'no', 'no', 'no', 'snap', 'snap', 'tanf'][1 + (hash(i * 3, {seed}) % 7)::BIGINT] AS dss,
            (hash(i * 11, {seed}) % 1000) / 1000.0 AS attendance_rate FROM range({rows}) t(i)""")
        con.execute("INSERT INTO rids SELECT sid, rid FROM study")
        index_values(con, ("grade", "school", "dss"))


def study_questions(rows: int, seed: int) -> None:
    """Questions to a study of `rows` children through the real plumbing (the catalog's values, one
    GROUP BY over key and audit label, the engine, the labels' catch-up), beside the bare DuckDB GROUP
    BY an analyst with the table would run."""
    from accord.store.study_tables import domains, grouped, relabel
    from accord.workflows.study_query import parse_spec, table_of

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "study.duckdb"
        start = time.perf_counter()
        study_file(path, rows, seed)
        made = time.perf_counter() - start
        study = Study(id="study-bench", agreement_id="a", title="t", purpose="p", scope="s",
                      school_agency_id="lea", elements=frozenset({"grade_level", "enrollment_history",
                                                                  "attendance"}),
                      analysts=frozenset({"an"}), starts_on=date(2026, 9, 1), ends_on=date(2027, 6, 30),
                      destroy_by=date(2027, 9, 30), partners=frozenset({"dss"}))
        rules, history = Rules(), AuditHistory.empty(rows)
        print(f"4. a study of {rows:,} children (table generated in {made:.1f} s):")
        questions = [({"measures": ["count", "mean:attendance_rate"], "group_by": ["grade", "school", "dss"]},
                      "SELECT grade, school, dss, count(*), avg(attendance_rate) FROM study GROUP BY ALL"),
                     ({"measures": ["count", "mean:attendance_rate"], "group_by": ["grade", "dss"],
                       "filters": [{"dim": "school", "op": "in", "values": ["s1", "s2", "s3", "s4", "s5"]}]},
                      "SELECT grade, dss, count(*), avg(attendance_rate) FROM study "
                      "WHERE school IN ('s1', 's2', 's3', 's4', 's5') GROUP BY ALL")]
        for number, (data, bare_sql) in enumerate(questions, 1):
            spec = parse_spec(data, study, "bench")
            with duckdb.connect(str(path), read_only=True) as con:
                bare, _ = timed(lambda sql=bare_sql, c=con: c.execute(sql).fetchall(), 3)

            def question(spec=spec, history=history):  # type: ignore[no-untyped-def]
                listed = domains(path, spec.group_by, spec.filters)
                cells = grouped(path, spec.group_by, ["attendance_rate"], spec.filters, listed,
                                rules.top_needed)
                return control(table_of(spec, cells), rules, history, rows)

            asked, answer = timed(question, 3)
            assert isinstance(answer, Released)
            released = answer
            start = time.perf_counter()
            history = history.after(released)
            pending = history.pending
            entries = list(zip(pending.old, pending.cell, pending.new, strict=True))
            everyone = [(int(o), int(n)) for o, c, n in entries if c == -1]
            keyed = [(released.rows[int(c)].key, int(o), int(n)) for o, c, n in entries if c >= 0]
            relabel(path, history.generation, everyone, keyed, spec.group_by, spec.filters)
            recorded = time.perf_counter() - start
            hidden, cells_n = released.suppression()
            print(f"   question {number} ({len(released.rows):,} rows, {hidden} of {cells_n} cells hidden): "
                  f"bare GROUP BY {bare:.2f} s, question + control {asked:.2f} s = {asked / bare:.1f}x "
                  f"(bar 2x); the audit's bookkeeping after it (history, labels' catch-up) {recorded:.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--students", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=18)
    parser.add_argument("--schools", type=int, default=20, help="schools in the realistic table")
    parser.add_argument("--skip-acro", action="store_true")
    parser.add_argument("--study-rows", type=int, default=10_000_000,
                        help="children in the study of part 4 (0 skips it)")
    args = parser.parse_args()
    t, records = rule_check(args.students, args.seed)
    realistic(args.students, args.seed, args.schools)
    if not args.skip_acro:
        with_acro(t, records, args.students)
    if args.study_rows:
        study_questions(args.study_rows, args.seed)


if __name__ == "__main__":
    main()
