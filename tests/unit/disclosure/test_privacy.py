"""Differential privacy for a study's tables (issue 19): the agreement's terms are checked, the budget a
table spends is OpenDP's own figure for the mechanisms composed, and each cell's 95% interval covers
the true figure about 95% of the time.

OpenDP's figure is rebuilt here from its public API, independently of `accord.disclosure.privacy`: the
study's synthetic records ("key|value" strings) under the symmetric distance (one child added or
removed), each figure vector a chain of a transformation (OpenDP's own count by categories for counts;
a clamped sum by key, its stability declared, for sums) into OpenDP's Gaussian or Laplace mechanism at
the scale the module documents, the vectors composed with OpenDP's `make_composition`, whose privacy
map at one child is the figure our `spent` must equal. The noise is seedless (OpenDP draws from the
system's randomness), so the coverage test uses enough releases and wide enough intervals that its
bounds sit many standard deviations from 95%.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import opendp.prelude as dp
import pytest

from accord.disclosure import Measure, Released, Row, Rules, RuleSetInvalid, Table
from accord.disclosure.privacy import LN20, Z95, noised_release
from accord.disclosure.terms import Accounting, PrivacyTerms, study_controls
from tests.unit.disclosure.tables import parts_of

dp.enable_features("contrib", "honest-but-curious")  # honest-but-curious: the sum's declared stability

FLOATS = dp.vector_domain(dp.atom_domain(T=float, nan=False))
RECORDS = dp.vector_domain(dp.atom_domain(T=str))

RHO = {"accounting": "rho", "total": 1.0, "per_table": 0.1}


# --- the agreement's terms ---------------------------------------------------------------------------


def test_terms_round_trip_and_name_their_accounting() -> None:
    given = {"accounting": "epsilon", "total": 3.0, "per_table": 0.5, "per_analyst": 1.0,
             "keys": {"grade": ["3", "4"], "ell": ["yes", "no"]}}
    terms = PrivacyTerms.from_dict(given)
    assert terms.keys == {"grade": ("3", "4"), "ell": ("yes", "no")}
    assert terms.name() == "epsilon" and PrivacyTerms.from_dict(RHO).name() == "rho"
    assert PrivacyTerms.from_dict(terms.to_dict()) == terms
    assert PrivacyTerms.from_dict(RHO).per_analyst is None


@pytest.mark.parametrize(("given", "says"), [
    ({**RHO, "delta": 1e-6}, "unknown differential-privacy term(s) delta"),
    ({**RHO, "epsilon": 1.0, "sensitivity": 2}, "unknown differential-privacy term(s) epsilon, sensitivity"),
    ({**RHO, "accounting": "delta"}, "dp.accounting must be rho"),
    ({"accounting": "rho", "per_table": 0.1}, "dp needs total"),
    ({"accounting": "rho", "total": 1.0}, "dp needs per_table"),
    ({"total": 1.0, "per_table": 0.1}, "dp needs accounting"),
    ({**RHO, "total": -1.0}, "dp.total must be a positive number"),
    ({**RHO, "total": 0}, "dp.total must be a positive number"),
    ({**RHO, "total": math.inf}, "dp.total must be a positive number"),
    ({**RHO, "total": math.nan}, "dp.total must be a positive number"),
    ({**RHO, "total": True}, "dp.total must be a positive number"),
    ({**RHO, "total": "1.0"}, "dp.total must be a positive number"),
    ({**RHO, "per_table": -0.1}, "dp.per_table must be a positive number"),
    ({**RHO, "per_table": 0.0}, "dp.per_table must be a positive number"),
    ({**RHO, "per_analyst": -0.5}, "dp.per_analyst must be a positive number"),
    ({**RHO, "per_table": 1.5}, "dp.per_table cannot exceed dp.total"),
    ({**RHO, "keys": {"grade": ["3", "4", "3"]}}, "dp.keys.grade must list distinct values"),
    ({**RHO, "keys": {"grade": []}}, "dp.keys.grade must list distinct values"),
    ({**RHO, "keys": {"grade": "345"}}, "dp.keys maps each dimension to the list of its public values"),
    ({**RHO, "keys": ["grade"]}, "dp.keys maps each dimension to the list of its public values"),
])
def test_malformed_terms_are_refused_by_name(given: dict[str, Any], says: str) -> None:
    with pytest.raises(RuleSetInvalid) as refused:
        PrivacyTerms.from_dict(given)
    assert says in str(refused.value)


def test_keys_equal_once_read_as_text_are_duplicates() -> None:
    """An agreement listing grade 3 as a number and as text lists one value twice."""
    with pytest.raises(RuleSetInvalid, match="dp.keys.grade must list distinct values"):
        PrivacyTerms.from_dict({**RHO, "keys": {"grade": [3, "3"]}})


def test_a_table_may_spend_the_whole_total() -> None:
    assert PrivacyTerms.from_dict({**RHO, "per_table": 1.0}).per_table == 1.0


def test_study_controls_split_the_rules_from_the_dp_terms() -> None:
    rules, terms = study_controls({"min_count": 5, "audit": False, "dp": {**RHO, "keys": {"grade": ["3"]}}})
    assert rules == Rules(min_count=5, audit=False)
    assert terms == PrivacyTerms("rho", 1.0, 0.1, None, {"grade": ("3",)})
    rules, terms = study_controls({"min_count": 5})
    assert rules == Rules(min_count=5) and terms is None
    assert study_controls({}) == (Rules(), None)


@pytest.mark.parametrize(("given", "says"), [
    ({"dp": "rho=0.1"}, "dp holds the differential-privacy terms as an object"),
    ({"dp": [RHO]}, "dp holds the differential-privacy terms as an object"),
    ({"dp": {**RHO, "total": -1}}, "dp.total must be a positive number"),
    ({"min_cout": 5, "dp": RHO}, "unknown disclosure rule 'min_cout'"),
    ({"epsilon": 1.0}, "unknown disclosure rule 'epsilon'"),  # a dp term outside "dp" is no rule
])
def test_study_controls_refuse_what_is_malformed(given: dict[str, Any], says: str) -> None:
    with pytest.raises(RuleSetInvalid) as refused:
        study_controls(given)
    assert says in str(refused.value)


# --- tables of synthetic records ---------------------------------------------------------------------


Records = dict[str, list[float]]  # key -> its children's values (already within the bounds)


def synthetic(counts: Mapping[str, int], low: float, high: float, seed: int) -> Records:
    rng = np.random.default_rng(seed)
    return {k: [float(v) for v in rng.uniform(low, high, n)] for k, n in counts.items()}


def table_of(records: Records, measures: Sequence[str]) -> Table:
    """A one-dimension table of the records, as the plumbing hands it over (values already clamped)."""
    rows = []
    for key, values in records.items():
        figures = {}
        for name in measures:
            kind = name.partition(":")[0]
            figures[name] = Measure.of(kind, values)  # type: ignore[arg-type]
        rows.append(Row((key,), parts_of(len(values)), figures))
    return Table(("k",), rows)


def vectors_of(measures: Sequence[str]) -> list[tuple[str, str]]:
    """(measure, part) per figure vector, as the module documents: a count one, a sum one, a mean two."""
    parts = {"count": ["count"], "sum": ["sum"], "mean": ["sum", "n"]}
    return [(m, p) for m in measures for p in parts[m.partition(":")[0]]]


def _clamp_sum_by_key(keys: Sequence[str], low: float, high: float, metric: Any) -> Any:
    """Records -> each key's sum of its children's values clamped to [low, high]. Adding or removing
    d children moves the sums by at most d max(|low|, |high|) under L1 and L2 (declared stability)."""
    reach = max(abs(low), abs(high))

    def function(records: list[str]) -> list[float]:
        sums = dict.fromkeys(keys, 0.0)
        for record in records:
            key, value = record.split("|")
            if key in sums:
                sums[key] += min(max(float(value), low), high)
        return [sums[k] for k in keys]

    return dp.t.make_user_transformation(RECORDS, dp.symmetric_distance(), FLOATS, metric,
                                         function=function, stability_map=lambda d: float(d) * reach)


def _count_by_key(keys: Sequence[str], accounting: Accounting) -> Any:
    """Records -> each key's number of children, by OpenDP's own count by categories (which derives the
    sensitivity itself); the records' keys are read row by row (1-stable)."""
    rows = dp.symmetric_distance()
    to_keys = dp.t.make_user_transformation(RECORDS, rows, RECORDS, rows,
                                            function=lambda records: [r.split("|")[0] for r in records],
                                            stability_map=lambda d: d)
    out = dp.L2Distance[float] if accounting == "rho" else dp.L1Distance[float]
    return to_keys >> dp.t.make_count_by_categories(RECORDS, dp.symmetric_distance(), categories=list(keys),
                                                    null_category=False, MO=out, TOA=float)


def opendp_composed(records: Records, measures: Sequence[str], terms: PrivacyTerms,
                    bounds: Mapping[str, tuple[float, float]]) -> tuple[Any, float]:
    """The table's mechanisms built from OpenDP's public API and composed by it: the composition, and
    its privacy map at one child (rho, or epsilon)."""
    keys = list(records)
    vectors = vectors_of(measures)
    share = terms.per_table / len(vectors)
    metric = dp.l2_distance(T=float) if terms.accounting == "rho" else dp.l1_distance(T=float)
    chains = []
    for name, part in vectors:
        if part == "sum":
            low, high = bounds[name.partition(":")[2]]
            reach = max(abs(low), abs(high))
            branch = _clamp_sum_by_key(keys, low, high, metric)
        else:
            reach, branch = 1.0, _count_by_key(keys, terms.accounting)
        if terms.accounting == "rho":
            mechanism = dp.m.make_gaussian(FLOATS, metric, scale=reach / math.sqrt(2.0 * share))
        else:
            mechanism = dp.m.make_laplace(FLOATS, metric, scale=reach / share)
        chains.append(branch >> mechanism)
    composed = dp.c.make_composition(chains)
    return composed, float(composed.map(1))  # type: ignore[no-untyped-call]


CASES = {
    "count": (["count"], {}),
    "count+mean": (["count", "mean:days"], {"days": (0.0, 366.0)}),
    "count+sum+mean": (["count", "sum:change", "mean:rate"], {"change": (-40.0, 25.0), "rate": (0.0, 1.0)}),
}


@pytest.mark.parametrize("accounting", ["rho", "epsilon"])
@pytest.mark.parametrize("case", list(CASES))
def test_the_spend_is_opendps_figure_for_the_mechanisms_composed(accounting: Accounting, case: str) -> None:
    measures, bounds = CASES[case]
    low, high = next(iter(bounds.values()), (0.0, 1.0))
    records = synthetic({"3": 40, "4": 25, "5": 3, "6": 12}, low, high, seed=19)
    terms = PrivacyTerms(accounting, total=2.0, per_table=0.3)
    released, spent = noised_release(table_of(records, measures), terms, bounds)
    composed, figure = opendp_composed(records, measures, terms, bounds)
    assert spent == pytest.approx(figure, rel=1e-12, abs=0.0), (case, accounting, spent, figure)
    assert spent == pytest.approx(terms.per_table, rel=1e-9)  # the whole share, split evenly, no more
    # OpenDP's composition runs on the records and gives one vector per mechanism, a figure per key.
    flat = [f"{k}|{v}" for k, values in records.items() for v in values]
    out = composed(flat)
    assert [len(v) for v in out] == [len(records)] * len(vectors_of(measures))
    assert [r.key for r in released.rows] == [(k,) for k in records]


def test_a_table_with_a_measure_the_catalog_gives_no_bounds_for_is_refused() -> None:
    records = synthetic({"a": 5}, 0.0, 1.0, seed=1)
    with pytest.raises(RuleSetInvalid, match="no bounds for rate"):
        noised_release(table_of(records, ["count", "mean:rate"]), PrivacyTerms("rho", 1.0, 0.1), {})


# --- the noise and the intervals ---------------------------------------------------------------------


# Counts far from 0 (so that showing counts at least 0 never moves them) and one of a single child
# (whose noised count and mean the post-processing must keep at least 0 and within the bounds).
COVERED = {"a": 400, "b": 250, "c": 120, "d": 180, "e": 300, "f": 150}
COUNTS = {**COVERED, "lone": 1}
RATE = (0.0, 1.0)
RELEASES = 1000  # per mechanism: 6,000 covered counts and means each, the rate's sd about 0.003
# Per vector (three: count, the mean's sum and its count) the scale is about 15 (rho) or 10 (epsilon),
# so the 95% half-width is about 29 or 30 children: rounding the count to a whole number moves coverage
# by well under 1%, and a count of 120 is 8 standard deviations from 0.
TERMS = {"rho": PrivacyTerms("rho", total=1.0, per_table=3 / (2 * 15.0**2)),
         "epsilon": PrivacyTerms("epsilon", total=10.0, per_table=3 / 10.0)}


def _values(released: Released, measure: str) -> dict[str, float]:
    out = {}
    for row in released.rows:
        value = row.values[measure]
        assert value is not None
        out[row.key[0]] = value
    return out


@pytest.mark.parametrize("accounting", ["rho", "epsilon"])
def test_the_95_percent_intervals_cover_the_true_figures(accounting: Accounting) -> None:
    records = synthetic(COUNTS, *RATE, seed=7)
    records["lone"] = [0.97]
    table = table_of(records, ["count", "mean:rate"])
    true_mean = {k: float(np.mean(v)) for k, v in records.items()}
    terms = TERMS[accounting]
    share = terms.per_table / 3
    scale = 1 / math.sqrt(2 * share) if accounting == "rho" else 1 / share
    half = Z95 * scale if accounting == "rho" else LN20 * scale
    covered = {"count": 0, "mean:rate": 0}
    seen = 0
    first: dict[str, float] | None = None
    for _ in range(RELEASES):
        released, spent = noised_release(table, terms, {"rate": RATE})
        assert spent == pytest.approx(terms.per_table, rel=1e-9)
        counts, means = _values(released, "count"), _values(released, "mean:rate")
        errors = {(released.rows[c.row].key[0], c.measure): c.error for c in released.cells}
        first = first or counts
        for key in COUNTS:
            assert counts[key] >= 0 and counts[key] == round(counts[key])
            assert RATE[0] <= means[key] <= RATE[1]
            mean_error = errors[(key, "mean:rate")]
            assert mean_error is not None and 0 < mean_error <= (RATE[1] - RATE[0]) / 2
            assert errors[(key, "count")] == pytest.approx(half, rel=1e-12)
        for key in COVERED:
            seen += 1
            covered["count"] += abs(counts[key] - len(records[key])) <= half
            covered["mean:rate"] += abs(means[key] - true_mean[key]) <= errors[(key, "mean:rate")]  # type: ignore[operator]
    assert first is not None and first != counts, "two releases of one table drew the same noise"
    rate = {m: n / seen for m, n in covered.items()}
    assert 0.92 <= rate["count"] <= 0.98, rate
    assert 0.92 <= rate["mean:rate"] <= 0.98, rate


def test_the_noise_differs_between_two_releases_of_one_table() -> None:
    records = synthetic({"a": 50, "b": 60}, 0.0, 1.0, seed=3)
    table = table_of(records, ["count", "mean:rate"])
    for accounting in ("rho", "epsilon"):
        terms = PrivacyTerms(accounting, total=1.0, per_table=0.5)
        one, _ = noised_release(table, terms, {"rate": RATE})
        two, _ = noised_release(table, terms, {"rate": RATE})
        assert [r.values for r in one.rows] != [r.values for r in two.rows]


def test_a_release_names_its_mechanism_and_shows_every_cell_noised() -> None:
    records = synthetic({"a": 50}, 0.0, 1.0, seed=5)
    released, _ = noised_release(table_of(records, ["count"]), PrivacyTerms("epsilon", 1.0, 0.5), {})
    (cell,) = released.cells
    assert cell.status.name == "NOISED" and "Laplace" in cell.detail
    assert cell.error == pytest.approx(LN20 / 0.5)
