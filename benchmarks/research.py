"""Issues 18 and 19: what disclosure control of a study's tables costs, rule-based and under differential
privacy, on synthetic populations of students.

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
   DuckDB GROUP BY on the same table in the same run: (question + control) over bare, bar 2x, as a
   service asks them (the study file held open between questions, `store.study_files`; the bare query
   on an open connection) and as a process's first question (each opening the file afresh); and the
   audit's bookkeeping after each release, timed apart.
5. Differential privacy (issue 19) on a 1-million-row study (`--dp-rows`), zCDP at rho 0.05 per table:
   a. count and mean:attendance_rate by grade x dss and by grade x school x dss through the real
      plumbing (public keys, `study_dp.true_figures` with clamping, `noised_figures`): time against the
      bare DuckDB GROUP BY on the same table in the same run (median of 3; bar 10x); and what a user of
      OpenDP would run instead, sharing none of our code: OpenDP's Polars context API
      (`dp.Context.compositor`, a grouped `dp.len()` and `.dp.mean`, the public keys joined with
      `with_keys`), whose scale comes from OpenDP's calibration search; then the same plan through
      `make_private_lazyframe`, the search (`dp.binary_search_param`) and the release with the scale
      given timed apart (needs polars: the `bench` extra);
   b. utility: the mean absolute error of the released counts against the true table over
      `--dp-releases` releases (count only, then count and mean; by grade x dss, then by grade x school
      x dss), bar 2.5, of the counts shown and of the mechanism's output before rounding and the floor
      at 0, each beside its expectation under OpenDP's discrete Gaussian at the sigma the release used.

    .venv/bin/python -m benchmarks.research                 # from the repository root
    .venv/bin/python -m benchmarks.research --students 20000 --skip-acro --study-rows 0
    .venv/bin/python -m benchmarks.research --skip-rules --study-rows 0      # part 5 alone
"""

from __future__ import annotations

import argparse
import logging
import statistics
import tempfile
import time
from datetime import date
from functools import partial
from pathlib import Path

import duckdb
import numpy as np

from accord.disclosure import AuditHistory, Measure, RecordLabels, Released, Row, Rules, Table, control
from accord.disclosure.primary import judge, may_be_dominated
from accord.disclosure.privacy import Z95, Figures, noised_figures, noised_vector
from accord.disclosure.rounding import round_counts
from accord.disclosure.terms import PrivacyTerms
from accord.domain.studies import GRADE_SCALE, MEASURE_BOUNDS, Study
from accord.store.study_files import close_all
from accord.store.study_groups import grouped
from accord.store.study_tables import index_values
from accord.workflows.study_codebook import codebook
from accord.workflows.study_dp import true_figures
from accord.workflows.study_spec import QuerySpec, narrowed, parse_spec, table_of

GRADES = [f"g{g:02d}" for g in range(13)]  # K-12
PROGRAMS = ["none", "ell", "sped", "gifted", "migrant"]
# The public values of `study_file`'s dimensions (an agreement's dp.keys).
STUDY_KEYS = {"grade": GRADE_SCALE, "school": tuple(f"s{i}" for i in range(50)),
              "dss": ("no", "snap", "tanf")}
RHO = 0.05  # zCDP rho per table in part 5
BOUNDS = {"attendance_rate": MEASURE_BOUNDS["attendance_rate"]}


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
          f"({'no MILP needed' if not primaries else 'with the complementary MILP'}) {full * 1e3:.1f} ms; "
          f"budget 50 ms: "
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
        con.execute("CREATE TABLE rids (sid VARCHAR, rid INTEGER)")
        con.execute("CREATE TABLE audit_labels (generation INTEGER)")
        con.execute("INSERT INTO audit_labels VALUES (0)")
        con.execute(f"""CREATE TABLE study AS SELECT i::INTEGER AS rid, 's-' || i AS sid, 0::UBIGINT AS label,
            {list(GRADE_SCALE)}[1 + (hash(i, {seed}) % 13)::BIGINT] AS grade,
            's' || (hash(i * 7, {seed}) % 50) AS school,
            ['no', 'no', 'no', 'no', 'snap', 'snap', 'tanf'][1 + (hash(i * 3, {seed}) % 7)::BIGINT] AS dss,
            (hash(i * 11, {seed}) % 1000) / 1000.0 AS attendance_rate FROM range({rows}) t(i)""")
        con.execute("INSERT INTO rids SELECT sid, rid FROM study")
        index_values(con, ("grade", "school", "dss"))


def bench_study() -> Study:
    """A study whose catalog holds `study_file`'s dimensions and measure (its schools, the district's
    s0 to s49, handed to `codebook` as the registry would)."""
    return Study(id="study-bench", agreement_id="a", title="t", purpose="p", scope="s",
                 school_agency_id="lea",
                 elements=frozenset({"grade_level", "enrollment_history", "attendance"}),
                 analysts=frozenset({"an"}), starts_on=date(2026, 9, 1), ends_on=date(2027, 6, 30),
                 destroy_by=date(2027, 9, 30), partners=frozenset({"dss"}))


def study_questions(rows: int, seed: int) -> None:
    """Questions to a study of `rows` children through the real plumbing (the catalog's values, one
    GROUP BY over key and audit label, the engine, the labels' catch-up), beside the bare DuckDB GROUP
    BY an analyst with the table would run."""
    from accord.store.study_tables import relabel

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "study.duckdb"
        start = time.perf_counter()
        study_file(path, rows, seed)
        made = time.perf_counter() - start
        study = bench_study()
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

            def bare_cold(sql: str = bare_sql) -> object:
                with duckdb.connect(str(path)) as con:
                    return con.execute(sql).fetchall()

            def question(spec=spec, history=history):  # type: ignore[no-untyped-def]
                values = codebook(study, {"dss": ["snap", "tanf"]}, STUDY_KEYS["school"])
                listed = [narrowed(values[d], spec.filters, d) for d in spec.group_by]
                cells = grouped(path, spec.group_by, ["attendance_rate"], spec.filters, listed,
                                rules.top_needed, partial(may_be_dominated, rules=rules))
                return control(table_of(spec, cells), rules, history, rows)

            def cold(fn):  # type: ignore[no-untyped-def]
                close_all()  # as a process asking one question: the file opened and read afresh
                return fn()

            bare_first, _ = timed(lambda: cold(bare_cold), 3)
            asked_first, _ = timed(lambda: cold(question), 3)
            with duckdb.connect(str(path)) as con:  # an analyst's session on the table, warm
                bare, _ = timed(lambda sql=bare_sql, c=con: c.execute(sql).fetchall(), 3)
            asked, answer = timed(question, 3)  # the file held between questions (study_files)
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
                  f"bare GROUP BY {bare:.3f} s, question + control {asked:.3f} s = {asked / bare:.2f}x "
                  f"(bar 2x: {'met' if asked <= 2 * bare else 'NOT met'}; the study file held open between "
                  f"questions, the bare query on an open connection); a process's first question, each "
                  f"opening the file: bare {bare_first:.3f} s, ours {asked_first:.3f} s = "
                  f"{asked_first / bare_first:.2f}x; the audit's bookkeeping after it (history, labels' "
                  f"catch-up) {recorded:.2f} s")
            close_all()


def dp_release(path: Path, spec: QuerySpec, terms: PrivacyTerms) -> tuple[Figures, Released, float]:
    """A table under differential privacy as `accord.workflows.study_dp.answer_privately` computes it,
    without the budget's bookkeeping: the public keys narrowed by the filters, the true figures read
    from DuckDB (one GROUP BY with the values clamped to the catalog's bounds, joined there to the
    listed keys: `true_figures`), OpenDP's noise. Returns the true figures too."""
    listed = [narrowed(terms.keys[d], spec.filters, d) for d in spec.group_by]
    bounds = {c: MEASURE_BOUNDS[c] for _, c in spec.measures if c}
    figures = true_figures(path, spec, listed, bounds)
    released, spent = noised_figures(figures, terms, bounds)
    return figures, released, spent


def opendp_frame(path: Path) -> object | None:
    """The study table as a Polars frame for OpenDP's context API, or None without polars."""
    try:
        import polars as pl
    except ImportError:
        return None
    with duckdb.connect(str(path)) as con:  # as the store opens it (study_files): one way per process
        columns = con.execute("SELECT grade, school, dss, attendance_rate FROM study").fetchnumpy()
    return pl.DataFrame({name: np.asarray(values) for name, values in columns.items()})


def opendp_user(frame: object, group_by: list[str], rows: int,
                rho: float) -> tuple[float, float, float, float]:
    """What a user of OpenDP runs for the same table, from OpenDP's documentation and none of our code:
    a context over the frame (`dp.Context.compositor`, one query at `rho`), the grouped `dp.len()` and
    `.dp.mean` with the public keys joined (`with_keys`), the noise scale left to OpenDP's calibration
    search (median of 3 of the whole: context, query, release, collect). Then the same plan through
    OpenDP's Polars API (`make_private_lazyframe`): its scale found once by OpenDP's calibration helper
    (`dp.binary_search_param`), timed, and the measurement built and run with that scale given (median of
    3). Returns those three times and the count's noise scale."""
    import opendp.prelude as dp
    import polars as pl

    dp.enable_features("contrib")
    keys = None
    for d in group_by:
        column = pl.DataFrame({d: list(STUDY_KEYS[d])})
        keys = column if keys is None else keys.join(column, how="cross")
    assert keys is not None

    def aggregates() -> list[object]:
        return [dp.len(signed=False), pl.col("attendance_rate").fill_null(0.0).dp.mean((0.0, 1.0))]

    def release() -> object:
        context = dp.Context.compositor(data=frame.lazy(),  # type: ignore[attr-defined]
                                        privacy_unit=dp.unit_of(contributions=1),
                                        privacy_loss=dp.loss_of(rho=rho), split_evenly_over=1,
                                        margins=[dp.polars.Margin(max_length=rows)])
        query = context.query().group_by(*group_by).agg(*aggregates()).with_keys(keys)
        return query.release().collect()

    whole, out = timed(release, 3)
    assert len(out) == len(keys)  # type: ignore[arg-type]
    domain = dp.with_margin(dp.lazyframe_domain(
        [dp.series_domain(d, dp.atom_domain(T=str)) for d in ("grade", "school", "dss")]
        + [dp.series_domain("attendance_rate", dp.atom_domain(T=float, nan=False))]),
        dp.polars.Margin(by=[], max_length=rows))
    grouped_plan = pl.LazyFrame(schema=frame.schema).group_by(*group_by).agg(*aggregates())  # type: ignore[attr-defined]
    plan = keys.lazy().join(grouped_plan, on=group_by, how="left", nulls_equal=True)

    def measurement(scale: float) -> object:
        return dp.m.make_private_lazyframe(domain, dp.symmetric_distance(), dp.zero_concentrated_divergence(),
                                           plan, global_scale=scale)

    start = time.perf_counter()
    scale = dp.binary_search_param(measurement, d_in=1, d_out=rho)
    search = time.perf_counter() - start
    given, _ = timed(lambda: measurement(scale)(frame.lazy()).collect(), 3)  # type: ignore[attr-defined,operator]
    summary = dp.summarize_polars_measurement(measurement(scale))
    count_scale = float(summary.filter(pl.col("aggregate") == "Frame Length")["scale"][0])
    return whole, search, given, count_scale


def dp_questions(rows: int, seed: int, releases: int) -> None:
    """Part 5: speed beside the bare GROUP BY and OpenDP's own API, then utility."""
    terms = PrivacyTerms("rho", total=1.0, per_table=RHO, keys=STUDY_KEYS)
    study = bench_study()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "study.duckdb"
        start = time.perf_counter()
        study_file(path, rows, seed)
        made = time.perf_counter() - start
        start = time.perf_counter()
        frame = opendp_frame(path)
        loaded = time.perf_counter() - start
        print(f"5. differential privacy (zCDP, rho {RHO} per table, Gaussian noise) on a study of {rows:,} "
              f"children (table generated in {made:.1f} s"
              + (f"; read into Polars for OpenDP in {loaded:.1f} s, not timed below):" if frame is not None
                 else "):"))
        for dims in (["grade", "dss"], ["grade", "school", "dss"]):
            data = {"measures": ["count", "mean:attendance_rate"], "group_by": dims}
            spec = parse_spec(data, study, "bench")
            bare_sql = f"SELECT {', '.join(dims)}, count(*), avg(attendance_rate) FROM study GROUP BY ALL"
            with duckdb.connect(str(path)) as con:
                bare, _ = timed(lambda sql=bare_sql, c=con: c.execute(sql).fetchall(), 3)
            ours, out = timed(lambda spec=spec: dp_release(path, spec, terms), 3)
            figures, released, spent = out  # type: ignore[misc]
            noise, _ = timed(lambda f=figures: noised_figures(f, terms, BOUNDS), 3)
            scale = released.outcome(0, "count").error / Z95
            line = (f"   a. {' x '.join(dims)} ({len(figures.keys):,} rows, count + mean, rho {spent:.3g}): "
                    f"bare GROUP BY {bare * 1e3:.0f} ms, ours (true_figures + noised_figures) "
                    f"{ours * 1e3:.0f} ms (the noise {noise * 1e3:.0f} ms) = {ours / bare:.1f}x "
                    f"(bar 10x: {'met' if ours <= 10 * bare else 'NOT met'})")
            if frame is None:
                line += ("; OpenDP's context API not timed: polars is not installed "
                         "(pip install -e '.[bench]')")
            else:
                whole, search, given, theirs = opendp_user(frame, dims, rows, RHO)
                line += (f"\n      a user of OpenDP instead: its Polars context API (the scale from its "
                         f"calibration search) {whole:.2f} s = {whole / bare:.0f}x the bare GROUP BY, "
                         f"{whole / ours:.0f}x ours; through make_private_lazyframe, the search "
                         f"(dp.binary_search_param) {search:.2f} s, then the release with the scale given "
                         f"{given:.2f} s; count noise scale ours {scale:.3f}, OpenDP's {theirs:.3f}")
            print(line)
        dp_utility(path, study, terms, releases)


def discrete_gaussian_error(true: np.ndarray, sigma: float) -> tuple[float, float]:
    """The mechanism's own expected absolute error per cell, averaged over the cells of `true`: of its
    output (OpenDP's discrete Gaussian, sigma: E|X|, a little under the continuous sigma sqrt(2/pi)),
    and of the count shown (max(true + X, 0): the floor at 0 can only bring it nearer a true count)."""
    k = np.arange(-int(40 * sigma) - 1, int(40 * sigma) + 2, dtype=np.float64)
    pmf = np.exp(-k * k / (2.0 * sigma * sigma))
    pmf /= pmf.sum()
    raw = float(np.sum(np.abs(k) * pmf))
    shown = [float(np.sum(np.abs(np.maximum(t + k, 0.0) - t) * pmf)) for t in true]
    return raw, float(np.mean(shown))


def dp_utility(path: Path, study: Study, terms: PrivacyTerms, releases: int) -> None:
    """The counts' mean absolute error against the true table over `releases` releases of the same
    table (grouped once, noised each time): of the counts shown (the released table: rounded, at least
    0) and of the mechanism's output before that post-processing (the same OpenDP mechanism at the
    same scale, drawn apart), beside the discrete Gaussian's own expectation of each."""
    for dims in (["grade", "dss"], ["grade", "school", "dss"]):
        for measures in (["count"], ["count", "mean:attendance_rate"]):
            spec = parse_spec({"measures": measures, "group_by": dims}, study, "bench")
            figures, released, _ = dp_release(path, spec, terms)
            true = figures.counts
            sigma = released.outcome(0, "count").error / Z95
            share = 1.0 / (2.0 * sigma * sigma)
            rate = "attendance_rate"
            true_mean = figures.sums[rate] / np.maximum(figures.n[rate], 1.0) if rate in figures.n else None
            errors, raw_errors, mean_errors = [], [], []
            for _ in range(releases):
                released, _ = noised_figures(figures, terms, BOUNDS)
                shown = np.array([r.values["count"] for r in released.rows], dtype=np.float64)
                errors.append(np.abs(shown - true))
                raw = noised_vector(true, 1.0, share, terms.accounting, count=True).values
                raw_errors.append(np.abs(raw - true))
                if true_mean is not None:
                    mean_errors.append([abs(float(r.values["mean:attendance_rate"] or 0.0) - t)
                                        for r, t in zip(released.rows, true_mean, strict=True)])
            mae, raw_mae = float(np.mean(errors)), float(np.mean(raw_errors))
            expected_raw, expected_shown = discrete_gaussian_error(true, sigma)
            extra = f"; the mean's MAE {np.mean(mean_errors):.2g}" if mean_errors else ""
            bar = "met" if mae <= 2.5 else "not met"
            print(f"   b. utility, {' + '.join(measures)} by {' x '.join(dims)} ({len(true)} cells, "
                  f"{int(np.sum(true == 0))} empty, smallest {int(true.min())}; rho {RHO} per table, the "
                  f"count's share {share:.4g} = {share / RHO:.2f} of it, sigma {sigma:.3f}): counts' MAE "
                  f"over {releases} releases, shown {mae:.3f} (bar 2.5: {bar}; "
                  f"the mechanism's expectation {expected_shown:.3f}), the mechanism's output before "
                  f"rounding and the floor at 0 {raw_mae:.3f} (expected {expected_raw:.3f}; continuous "
                  f"Gaussian sigma sqrt(2/pi) {sigma * np.sqrt(2 / np.pi):.3f}){extra}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--students", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=18)
    parser.add_argument("--schools", type=int, default=20, help="schools in the realistic table")
    parser.add_argument("--skip-acro", action="store_true")
    parser.add_argument("--study-rows", type=int, default=10_000_000,
                        help="children in the study of part 4 (0 skips it)")
    parser.add_argument("--dp-rows", type=int, default=1_000_000,
                        help="children in the study of part 5, differential privacy (0 skips it)")
    parser.add_argument("--dp-releases", type=int, default=20, help="releases averaged in part 5's utility")
    parser.add_argument("--skip-rules", action="store_true", help="skip parts 1-3 (rule-based control)")
    args = parser.parse_args()
    if not args.skip_rules:
        t, records = rule_check(args.students, args.seed)
        realistic(args.students, args.seed, args.schools)
        if not args.skip_acro:
            with_acro(t, records, args.students)
    if args.study_rows:
        study_questions(args.study_rows, args.seed)
    if args.dp_rows:
        dp_questions(args.dp_rows, args.seed, args.dp_releases)


if __name__ == "__main__":
    main()
