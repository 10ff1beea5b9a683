"""`acro` (SACRO's output checker, the `bench` extra) as the oracle for the checks both implement: the
minimum threshold, N-K dominance and the p% rule, cell by cell on the same random tables.

Both use the same defaults (10; (2, 0.9); 0.1). At the exact boundary the wordings differ (acro fails
N-K at >= k, the p% rule at < p; ours at > k and <= p): the values drawn are continuous, so no cell sits
on a boundary.
"""

from __future__ import annotations

import logging

import numpy as np
import pytest

from accord.disclosure import AuditHistory, Rules, control
from tests.unit.disclosure.tables import group_by

pytestmark = pytest.mark.filterwarnings("ignore::FutureWarning", "ignore::DeprecationWarning")
acro = pytest.importorskip("acro")
pd = pytest.importorskip("pandas")


def acro_cells(frame: pd.DataFrame, with_values: bool) -> dict[str, set[tuple[str, str]]]:
    logging.disable(logging.CRITICAL)
    session = acro.ACRO(suppress=False)
    if with_values:
        table = session.crosstab(frame.grade, frame.school, values=frame.pay, aggfunc="sum")
    else:
        table = session.crosstab(frame.grade, frame.school)
    logging.disable(logging.NOTSET)
    cells = session.results.get_index(0).sdc["cells"]
    return {check: {(str(table.index[r]), str(table.columns[c])) for r, c in where}
            for check, where in cells.items()}


@pytest.mark.parametrize("seed", range(4))
def test_threshold_nk_and_p_ratio_flag_the_cells_acro_flags(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n = 700
    records = {"grade": rng.choice(["g1", "g2", "g3", "g4", "g5"], n, p=[0.3, 0.3, 0.2, 0.15, 0.05]),
               "school": rng.choice(["a", "b", "c", "d", "e", "f"], n), "pay": rng.uniform(10, 20, n)}
    for i in rng.choice(n, 8, replace=False):  # a few contributors large enough to dominate a cell
        records["pay"][i] = rng.uniform(300, 3000)
    frame = pd.DataFrame(records)
    flagged = acro_cells(frame, with_values=True)
    threshold = acro_cells(frame, with_values=False)["MinimumThresholdCheck"]
    table = group_by(records, ("grade", "school"), sums=("pay",))
    out = control(table, Rules(audit=False), AuditHistory.empty(n), n)
    ours_small = {out.rows[c.row].key for c in out.cells if c.measure == "n" and "minimum" in c.detail}
    ours_nk = {out.rows[c.row].key for c in out.cells if c.measure == "sum_pay" and "dominance" in c.detail}
    ours_p = {out.rows[c.row].key for c in out.cells if c.measure == "sum_pay" and "p% rule" in c.detail}
    assert ours_small == threshold, (sorted(ours_small), sorted(threshold))
    # our dominance is judged on rows that pass the count (a small row is suppressed whole already)
    assert ours_nk == flagged["NKCheck"] - threshold, (sorted(ours_nk), sorted(flagged["NKCheck"]))
    assert ours_p == flagged["PPercentCheck"] - threshold, (sorted(ours_p), sorted(flagged["PPercentCheck"]))
    assert ours_small or ours_nk, "the tables should exercise the checks"
