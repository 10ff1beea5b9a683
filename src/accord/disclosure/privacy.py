"""Differential privacy for a study's tables (issue 19), on OpenDP's mechanisms: a table whose every
figure carries noise calibrated to what one child can change, under a budget the agreement sets.

What one child can change. A question's rows partition the children its filters keep, so adding or
removing one child changes one row: a count vector by 1, a sum vector (values clamped to the bounds
the catalog declares) by at most max(|low|, |high|). Each figure vector gets its own mechanism:
- `rho` (zero-concentrated DP): OpenDP's (discrete) Gaussian mechanism with L2 sensitivity as above;
- `epsilon` (pure DP, delta = 0): OpenDP's (discrete) Laplace mechanism with L1 sensitivity as above.
Both run on whole numbers: counts as they are, sums in fixed point (`_measure`).
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
class Noised:
    """One figure vector of a table, released through one OpenDP measurement."""

    values: FloatArray
    scale: float  # sigma (Gaussian) or b (Laplace)
    cost: float  # OpenDP's own figure for this measurement at this sensitivity
    half_width: float  # of the 95% interval
    variance: float  # of the noise: sigma^2, or 2 b^2


def _measure(true: FloatArray, sensitivity: float, share: float, accounting: Accounting,
             count: bool) -> Noised:
    """One vector through OpenDP's integer mechanisms (the discrete Gaussian or Laplace: exact, and
    several times faster to sample than the float ones). A vector of sums goes in fixed point:
    round(Q x sum) moves by at most Q x sensitivity + 1 when one child comes or goes, so that is the
    sensitivity it is noised at (Q puts it near FIXED_POINT), and the noise comes back divided by Q."""
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
    values = [int(round(v * q)) for v in true]
    noisy = np.asarray(meas(values), dtype=np.float64) / q if len(true) else np.zeros(0)
    cost = float(meas.map(reach))  # type: ignore[no-untyped-call]
    return Noised(noisy, scale / q, cost, half / q, variance / (q * q))


Vector = tuple[str, str, FloatArray, float]


def _vectors(table: Table, bounds: Mapping[str, tuple[float, float]]) -> list[Vector]:
    """(measure, part, true values, sensitivity) for every figure vector the table's measures need."""
    counts = table.counts().astype(np.float64)
    out: list[Vector] = []
    for name in table.measure_names():
        m0 = table.rows[0].measures[name]
        if m0.kind == "count":
            out.append((name, "count", counts, 1.0))
            continue
        column = name.partition(":")[2] or name
        if column not in bounds:
            raise RuleSetInvalid(f"{name}: the catalog declares no bounds for {column}")
        low, high = bounds[column]
        reach = max(abs(low), abs(high))
        n = np.array([r.measures[name].contributions.n for r in table.rows], dtype=np.float64)
        values = np.array([r.measures[name].value for r in table.rows], dtype=np.float64)
        sums = np.nan_to_num(values * n if m0.kind == "mean" else values)
        out.append((name, "sum", sums, reach))
        if m0.kind == "mean":
            out.append((name, "n", n, 1.0))
    return out


def noised_release(table: Table, terms: PrivacyTerms,
                   bounds: Mapping[str, tuple[float, float]]) -> tuple[Released, float]:
    """The table with every figure noised under `terms.per_table`, and the budget it spent (OpenDP's
    figure). Sums and means must already be of values clamped to `bounds` (the plumbing clamps)."""
    table.check()
    vectors = _vectors(table, bounds)
    share = terms.per_table / max(len(vectors), 1)
    noised = {(name, part): _measure(true, sens, share, terms.accounting, count=part != "sum")
              for name, part, true, sens in vectors}
    spent = float(sum(n.cost for n in noised.values()))
    rows: list[ReleasedRow] = []
    cells: list[CellOutcome] = []
    mechanism = "Gaussian" if terms.accounting == "rho" else "Laplace"
    for i, row in enumerate(table.rows):
        values: dict[str, float | None] = {}
        for name, m in row.measures.items():
            value, half = _figure(m.kind, name, i, noised, bounds)
            values[name] = value
            cells.append(CellOutcome(i, name, Status.NOISED,
                                     f"differential privacy: {mechanism} noise; 95% interval +/- {half:.3g}",
                                     half))
        rows.append(ReleasedRow(row.key, values))
    return Released(table.dims, rows, cells, [], 0), spent


def _figure(kind: str, name: str, i: int, noised: Mapping[tuple[str, str], Noised],
            bounds: Mapping[str, tuple[float, float]]) -> tuple[float | None, float]:
    """A cell's shown value (post-processed) and its 95% half-width."""
    if kind == "count":
        n = noised[(name, "count")]
        return float(max(0, round(n.values[i]))), n.half_width
    s = noised[(name, "sum")]
    if kind == "sum":
        return float(s.values[i]), s.half_width
    c = noised[(name, "n")]
    low, high = bounds[name.partition(":")[2] or name]
    count = max(float(c.values[i]), 1.0)
    mean = min(max(float(s.values[i]) / count, low), high)
    half = Z95 * math.sqrt(s.variance + mean * mean * c.variance) / count
    return mean, min(half, (high - low) / 2.0)
