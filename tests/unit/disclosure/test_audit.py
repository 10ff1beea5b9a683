"""Query auditing against the attacks the literature names, on small synthetic studies.

Each attack is plain arithmetic or an LP over what the analyst was shown. Each must work against the
engine with the audit off (so the test can fail) and must learn nothing beyond a guess with it on: the
child's attribute stays ambiguous between at least two values, no record's secret is pinned, no
suppressed count can be shown to be small. The assertion messages record what each attack obtained.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy.optimize import linprog  # type: ignore[import-untyped]

from accord.disclosure import Released, Rules
from tests.unit.disclosure.tables import Study, shown

PROGRAMS = ["ell", "sped", "gifted", "none"]


def feasible(a_eq: list[np.ndarray], b_eq: list[float], lower: np.ndarray) -> bool:
    if not a_eq:
        return True
    res = linprog(np.zeros(len(lower)), A_eq=np.array(a_eq), b_eq=b_eq,
                  bounds=[(lo, None) for lo in lower], method="highs")
    return bool(res.status == 0)


def population(seed: int, n: int) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    return {"school": rng.choice(["A", "B", "C"], n), "grade": rng.choice(["3", "4", "5", "6"], n),
            "program": rng.choice(PROGRAMS, n, p=[0.25, 0.25, 0.2, 0.3]), "iep": rng.choice(["y", "n"], n)}


def candidates_from_difference(before: Released, after: Released, totals: dict[str, float | None],
                               values: list[str]) -> list[str]:
    """The child's possible values, when `before` counts the group with the child and `after` without
    (by the attribute), `totals` the group's total with ("with") and without ("without") if shown.
    Unknowns: d_v, the group's count without the child per value."""
    got_before, got_after = shown(before), shown(after)
    out = []
    for q in values:
        a_eq, b_eq = [], []
        for j, v in enumerate(values):
            row = np.zeros(len(values))
            row[j] = 1.0
            if (v,) in got_before:
                a_eq.append(row)
                b_eq.append(got_before[(v,)] - (v == q))
            if (v,) in got_after:
                a_eq.append(row)
                b_eq.append(got_after[(v,)])
        if totals.get("without") is not None:
            a_eq.append(np.ones(len(values)))
            b_eq.append(float(totals["without"]))  # type: ignore[arg-type]
        if totals.get("with") is not None:
            a_eq.append(np.ones(len(values)))
            b_eq.append(float(totals["with"]) - 1)  # type: ignore[arg-type]
        if feasible(a_eq, b_eq, np.zeros(len(values))):
            out.append(q)
    return out


@pytest.mark.parametrize("audit", [False, True])
def test_differencing_n_and_n_minus_one(audit: bool) -> None:
    records = population(1, 400)
    group = records["school"] == "A"
    child = int(np.flatnonzero(group & (records["program"] == "sped"))[0])
    without = group.copy()
    without[child] = False
    study = Study(400, Rules(audit=audit))
    before = study.release(study.table(records, ("program",), where=group))
    after = study.release(study.table(records, ("program",), where=without))
    total_without = shown(study.release(study.table(records, (), where=without))).get(())
    total_with = shown(study.release(study.table(records, (), where=group))).get(())
    found = candidates_from_difference(before, after, {"with": total_with, "without": total_without},
                                       PROGRAMS)
    if audit:
        assert len(found) >= 2 and "sped" in found, f"the attack narrowed the child's program to {found}"
    else:
        assert found == ["sped"], f"without the audit the attack should single it out, got {found}"


@pytest.mark.parametrize("audit", [False, True])
def test_a_general_tracker(audit: bool) -> None:
    """Denning's tracker: C picks one child (unique in school C, grade 6, gifted); T = grades 3-4.
    count(C and X) = count((C or T) and X) + count((C or not T) and X) - count(X)."""
    records = population(2, 300)
    target = (records["school"] == "C") & (records["grade"] == "6") & (records["program"] == "gifted")
    for extra in np.flatnonzero(target)[1:]:  # make C characteristic: one child
        records["program"][extra] = "none"
    target = (records["school"] == "C") & (records["grade"] == "6") & (records["program"] == "gifted")
    child = int(np.flatnonzero(target)[0])
    tracker = np.isin(records["grade"], ["3", "4"])
    study = Study(300, Rules(audit=audit))
    q1 = shown(study.release(study.table(records, ("iep",), where=target | tracker)))
    q2 = shown(study.release(study.table(records, ("iep",), where=target | ~tracker)))
    q3 = shown(study.release(study.table(records, ("iep",))))
    values = ["y", "n"]
    found = []
    for q in values:  # unknowns: a_x = |T, not C, x|, b_x = |not T, not C, x|
        a_eq, b_eq = [], []
        for j, x in enumerate(values):
            for got, cols in ((q1, [j]), (q2, [2 + j]), (q3, [j, 2 + j])):
                if (x,) in got:
                    row = np.zeros(4)
                    row[cols] = 1.0
                    a_eq.append(row)
                    b_eq.append(got[(x,)] - (x == q))
        a_eq.append(np.ones(4))
        b_eq.append(300 - 1)  # the study's size is known
        if feasible(a_eq, b_eq, np.zeros(4)):
            found.append(q)
    truth = records["iep"][child]
    if audit:
        assert len(found) == 2, f"the tracker narrowed the child's iep to {found}"
    else:
        assert found == [truth], f"without the audit the tracker should find it, got {found}"


@pytest.mark.parametrize("audit", [False, True])
def test_differencing_over_time(audit: bool) -> None:
    """The same table before and after one child enrolled (a new record, index 150)."""
    records = population(3, 151)
    study = Study(150, Rules(audit=audit))
    old = {k: v[:150] for k, v in records.items()}
    before = study.release(study.table(old, ("program",)))
    after = study.release(study.table(records, ("program",)), n_records=151)
    found = candidates_from_difference(after, before, {"with": 151.0, "without": 150.0}, PROGRAMS)
    if audit:
        assert len(found) >= 2, f"the difference narrowed the new child's program to {found}"
        assert any("audit" in c.detail for c in after.cells)
    else:
        assert found == [records["program"][150]], f"without the audit the difference should find it: {found}"


@pytest.mark.parametrize("audit", [False, True])
def test_reconstruction_from_many_overlapping_subset_counts(audit: bool) -> None:
    """Dinur and Nissim: many counts of a secret bit over random subsets (a filter the analyst picks),
    then an LP over the records (each bit in [0, 1]) pins every record's bit."""
    rng = np.random.default_rng(5)
    n = 30
    secret = rng.integers(0, 2, n)
    records = {"x": secret.astype(str)}
    study = Study(n, Rules(min_count=5, audit=audit))
    a_eq, b_eq = [], []
    for _ in range(45):
        subset = rng.random(n) < 0.5
        got = shown(study.release(study.table(records, ("x",), where=subset)))
        if ("1",) in got:
            a_eq.append(subset.astype(float))
            b_eq.append(got[("1",)])
        elif ("0",) in got:  # the analyst knows the subset's size only through the other cell
            pass
    pinned = right = 0
    for i in range(n):
        ends = []
        for sign in (1.0, -1.0):
            obj = np.zeros(n)
            obj[i] = sign
            res = linprog(obj, A_eq=np.array(a_eq), b_eq=b_eq, bounds=(0, 1), method="highs")
            ends.append(sign * res.fun)
        if ends[1] - ends[0] < 1e-6:
            pinned += 1
            right += int(round(ends[0]) == secret[i])
    if audit:
        assert pinned == 0, f"the reconstruction pinned {pinned} of {n} records ({right} right)"
    else:
        assert pinned >= n * 0.9 and right == pinned, f"without the audit: {pinned} pinned, {right} right"


@pytest.mark.parametrize("audit", [False, True])
def test_recovering_a_suppressed_cell_from_margins_and_another_table(audit: bool) -> None:
    """A grade x program table with a small cell hidden by a rectangle of complementary cells; the
    analyst then asks both margins and one hidden cell on its own, and solves the LP."""
    rng = np.random.default_rng(6)
    grade = np.repeat(["3", "4", "5"], [60, 60, 60])
    program = np.concatenate([rng.choice(["ell", "none", "sped"], 60, p=[0.35, 0.35, 0.3]) for _ in range(3)])
    records = {"grade": grade, "program": program}
    small = np.flatnonzero((grade == "3") & (program == "sped"))[3:]
    records["program"][small] = "ell"  # three children in grade 3 sped
    study = Study(180, Rules(audit=audit))
    table = study.release(study.table(records, ("grade", "program")))
    keys = [r.key for r in table.rows]
    hidden = [r.key for r in table.rows if r.values["n"] is None]
    by_grade = shown(study.release(study.table(records, ("grade",))))
    by_program = shown(study.release(study.table(records, ("program",))))
    extra = {}
    for key in hidden:
        if key != ("3", "sped"):
            alone = (records["grade"] == key[0]) & (records["program"] == key[1])
            for v in shown(study.release(study.table(records, (), where=alone))).values():
                extra[key] = v
    where = {k: j for j, k in enumerate(keys)}
    a_eq, b_eq = [], []
    for k, v in {**shown(table), **extra}.items():
        row = np.zeros(len(keys))
        row[where[k]] = 1.0
        a_eq.append(row)
        b_eq.append(v)
    for (g,), v in by_grade.items():
        a_eq.append(np.array([1.0 if k[0] == g else 0.0 for k in keys]))
        b_eq.append(v)
    for (p,), v in by_program.items():
        a_eq.append(np.array([1.0 if k[1] == p else 0.0 for k in keys]))
        b_eq.append(v)
    target = np.zeros(len(keys))
    target[where[("3", "sped")]] = 1.0
    low = linprog(target, A_eq=np.array(a_eq), b_eq=b_eq, bounds=(0, None), method="highs").fun
    high = -linprog(-target, A_eq=np.array(a_eq), b_eq=b_eq, bounds=(0, None), method="highs").fun
    assert ("3", "sped") in hidden
    if audit:
        assert high >= 10 - 1e-6, f"the LP bounded the small cell to [{low:.1f}, {high:.1f}]"
    else:
        assert abs(high - low) < 1e-6 and round(low) == 3, f"without the audit the LP gives [{low}, {high}]"
