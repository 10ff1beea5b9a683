"""Differential privacy for a study's tables (issue 19), on OpenDP's mechanisms: a table whose every
figure carries noise calibrated to what one child can change, under a budget the agreement sets.

What one child can change. A neighbouring study has one child more or fewer (OpenDP's symmetric
distance 1). A question's rows partition the children its filters keep (a child holds one value of
each dimension, and one whose value is not listed is in no row), so that child is in at most one
row: it moves one cell of a count vector by 1, one cell of a sum vector (values clamped to the
bounds the catalog declares; a missing value adds nothing) by at most max(|low|, |high|), and every
other cell not at all; one cell moved by d is L1 and L2 distance d. Each figure vector, whole, goes
through one OpenDP measurement over a vector domain:
- `rho` (zero-concentrated DP): OpenDP's (discrete) Gaussian mechanism with L2 sensitivity as above;
- `epsilon` (pure DP, delta = 0): OpenDP's (discrete) Laplace mechanism with L1 sensitivity as above.
Both run on whole numbers: counts as they are, sums in fixed point (`noised_vector`). The true figures come
as vectors (`Figures`: from the study's DuckDB, or from an engine's `Table`).
A count is one vector, a sum one, a mean two (the clamped sum and the count of values). The table's
share of the budget (`per_table`) is split evenly between them; each mechanism's noise scale is
passed explicitly (sensitivity / sqrt(2 rho_i), or sensitivity / epsilon_i), so no calibration search
runs per question, and the budget charged is OpenDP's own figure for the measurement it ran (the
sum over the vectors: zCDP and pure DP compose by adding).

Each cell carries its 95% interval's half-width from the mechanism actually used: 1.96 sigma for
Gaussian noise, b ln 20 for Laplace; for a mean S/C, the delta method's
1.96 sqrt(var S + mean^2 var C) / C. Shown counts are rounded and never below 0, means kept within
the bounds: post-processing, which costs no privacy.

Group keys come from the study's declared public values (`PrivacyTerms.keys`), never from the data:
a key read from the data would say that someone holds it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from accord.disclosure.outcome import CellOutcome, Released, ReleasedRow, Status
from accord.disclosure.rules import RuleSetInvalid
from accord.disclosure.table import FloatArray, Table
from accord.disclosure.terms import Accounting, PrivacyTerms

Z95 = 1.959963984540054  # the normal distribution's 97.5% quantile
LN20 = math.log(20.0)  # a Laplace variable exceeds b ln 20 in absolute value with probability 5%
FIXED_POINT = 10_000  # a sum is noised in units of 1/Q of a value, with Q x its sensitivity near this


@dataclass(frozen=True)
class Figures:
    """A table's true figures before noise, as vectors with one entry per row (`keys`): how many
    children, and per measured column how many values and their sum (of values already clamped to
    the bounds). `measures` lists the table's figures in order as (name, kind, column)."""

    dims: tuple[str, ...]
    keys: list[tuple[str, ...]]
    measures: list[tuple[str, str, str]]
    counts: FloatArray
    n: Mapping[str, FloatArray]
    sums: Mapping[str, FloatArray]


def figures_of(table: Table) -> Figures:
    """The figures of an engine's table (its sums and means already of clamped values)."""
    measures: list[tuple[str, str, str]] = []
    n: dict[str, FloatArray] = {}
    sums: dict[str, FloatArray] = {}
    for name in table.measure_names():
        kind = table.rows[0].measures[name].kind
        column = "" if kind == "count" else name.partition(":")[2] or name
        measures.append((name, kind, column))
        if kind == "count":
            continue
        n[column] = np.array([r.measures[name].contributions.n for r in table.rows], dtype=np.float64)
        values = np.array([r.measures[name].value for r in table.rows], dtype=np.float64)
        sums[column] = np.nan_to_num(values * n[column] if kind == "mean" else values)
    return Figures(table.dims, [r.key for r in table.rows], measures,
                   table.counts().astype(np.float64), n, sums)


@dataclass(frozen=True)
class Noised:
    """One figure vector of a table, released through one OpenDP measurement."""

    values: FloatArray
    scale: float  # sigma (Gaussian) or b (Laplace)
    cost: float  # OpenDP's own figure for this measurement at this sensitivity
    half_width: float  # of the 95% interval
    variance: float  # of the noise: sigma^2, or 2 b^2


def noised_vector(true: FloatArray, sensitivity: float, share: float, accounting: Accounting,
             count: bool) -> Noised:
    """One vector through one of OpenDP's integer mechanisms over a vector domain (the discrete
    Gaussian or Laplace: exact, and several times faster to sample than the float ones), the whole
    vector handed over as one numpy array. A vector of sums goes in fixed point: round(Q x sum) moves by
    at most Q x sensitivity + 1 when one child comes or goes, so that is the sensitivity it is noised
    at (Q puts it near FIXED_POINT), and the noise comes back divided by Q."""
    import opendp.prelude as dp  # lazily: only studies in DP mode load OpenDP

    dp.enable_features("contrib")  # OpenDP files its Gaussian and Laplace under "contrib"
    q = 1.0 if count else FIXED_POINT / max(sensitivity, 1e-12)
    reach = int(sensitivity) if count else math.ceil(q * sensitivity) + 1
    domain = dp.vector_domain(dp.atom_domain(T="i64"))
    if accounting == "rho":
        scale = reach / math.sqrt(2.0 * share)
        meas = dp.m.make_gaussian(domain, dp.l2_distance(T="i64"), scale=scale)
        half, variance = Z95 * scale, scale * scale
    else:
        scale = reach / share
        meas = dp.m.make_laplace(domain, dp.l1_distance(T="i64"), scale=scale)
        half, variance = LN20 * scale, 2.0 * scale * scale
    values = np.rint(true * q).astype(np.int64)
    noisy = np.asarray(meas(values), dtype=np.float64) / q if len(true) else np.zeros(0)
    cost = float(meas.map(reach))  # type: ignore[no-untyped-call]
    return Noised(noisy, scale / q, cost, half / q, variance / (q * q))


Vector = tuple[str, str, FloatArray, float]


def _vectors(figures: Figures, bounds: Mapping[str, tuple[float, float]]) -> list[Vector]:
    """(measure, part, true values, sensitivity) for every figure vector the table's measures need."""
    out: list[Vector] = []
    for name, kind, column in figures.measures:
        if kind == "count":
            out.append((name, "count", figures.counts, 1.0))
            continue
        if column not in bounds:
            raise RuleSetInvalid(f"{name}: the catalog declares no bounds for {column}")
        low, high = bounds[column]
        out.append((name, "sum", figures.sums[column], max(abs(low), abs(high))))
        if kind == "mean":
            out.append((name, "n", figures.n[column], 1.0))
    return out


def noised_release(table: Table, terms: PrivacyTerms,
                   bounds: Mapping[str, tuple[float, float]]) -> tuple[Released, float]:
    """The table with every figure noised under `terms.per_table`, and the budget it spent (OpenDP's
    figure). Sums and means must already be of values clamped to `bounds` (the plumbing clamps)."""
    table.check()
    return noised_figures(figures_of(table), terms, bounds)


def noised_figures(figures: Figures, terms: PrivacyTerms,
                   bounds: Mapping[str, tuple[float, float]]) -> tuple[Released, float]:
    """`noised_release` of a table's figures as the study's DuckDB hands them over."""
    vectors = _vectors(figures, bounds)
    share = terms.per_table / max(len(vectors), 1)
    noised = {(name, part): noised_vector(true, sens, share, terms.accounting, count=part != "sum")
              for name, part, true, sens in vectors}
    spent = float(sum(n.cost for n in noised.values()))
    mechanism = "Gaussian" if terms.accounting == "rho" else "Laplace"
    shown = [(name, *_shown(kind, name, column, noised, bounds)) for name, kind, column in figures.measures]
    rows: list[ReleasedRow] = []
    cells: list[CellOutcome] = []
    for i, key in enumerate(figures.keys):
        values: dict[str, float | None] = {name: value[i] for name, value, _ in shown}
        rows.append(ReleasedRow(key, values))
        cells += [CellOutcome(i, name, Status.NOISED,
                              f"differential privacy: {mechanism} noise; 95% interval +/- {half[i]:.3g}",
                              half[i]) for name, _, half in shown]
    return Released(figures.dims, rows, cells, [], 0), spent


def _shown(kind: str, name: str, column: str, noised: Mapping[tuple[str, str], Noised],
           bounds: Mapping[str, tuple[float, float]]) -> tuple[list[float], list[float]]:
    """A measure's shown values (post-processed) and their 95% half-widths, row by row."""
    if kind == "count":
        n = noised[(name, "count")]
        return np.maximum(np.rint(n.values), 0.0).tolist(), [n.half_width] * len(n.values)
    s = noised[(name, "sum")]
    if kind == "sum":
        return s.values.tolist(), [s.half_width] * len(s.values)
    c = noised[(name, "n")]
    low, high = bounds[column]
    count = np.maximum(c.values, 1.0)
    mean = np.clip(s.values / count, low, high)
    half = np.minimum(Z95 * np.sqrt(s.variance + mean * mean * c.variance) / count, (high - low) / 2.0)
    return mean.tolist(), half.tolist()
