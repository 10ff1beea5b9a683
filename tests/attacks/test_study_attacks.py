"""Issue 18's attack suite: each attack scripted against the real query interface of a study.

A study of a synthetic 500-student school (`study_world`) is registered, approved by both agencies
and built on a fresh hub; the analyst asks declarative questions through
`accord.workflows.study_query.ask` and sees only what an answer carries: the rows (with null where a
figure is suppressed) and each cell's status and note. The sensitive attribute is a child's DSS
program (snap, tanf or no), drawn independently of everything else the study holds.

The attacks, each as an analyst would run them, then solved by arithmetic or linear programming:

- differencing, n against n - 1 children (the programs of grade 5, and of grade 5 without its one
  homeless child, whom a teacher knows);
- Denning's general tracker, on entry years: q(C) = q(C or T) + q(C or not T) - q(all) for the one
  child who entered in 2017, with T = entered 2018-2020 (`in` and `not_in` on one dimension);
- differencing over time: the grade-by-program table in January and again in March, after one child
  enrolled in grade 4;
- reconstruction from many overlapping subset counts (Dinur and Nissim), by linear programming: the
  analyst knows the roster a teacher knows (each child's grade, entry year and flags, not their
  program), asks the program counts of random subsets by grade, and solves for every child;
- recovery of suppressed cells of the entry-year-by-program table from its margins and from other
  released tables (the hidden cells asked on their own), by integer programming;
- reading the keys of a table's suppressed rows (a row is listed only when it holds a child);
- and reading the catalog over time: a program, grade, school and entry year no child had in January,
  listed in March after one child joined (a dimension's values read from the children tell the
  newcomer's).

What an attack obtains is computed soundly from everything the analyst saw (`Knowledge`): released
counts, the keys of listed rows (a listed row holds at least one child, a key not listed none), the
statuses (a small cell holds at most min_count - 1), the notes, and what the analyst knows besides
(the study's size, the teacher's knowledge of the child). "A guess from the public margins" is the
school's released program shares (`Margins`): guessing the majority program is right for its share
of the children. A targeted attack learns a child's program better than that guess when the
programs it leaves possible make its own best guess right more often than the margins' guess by more
than MARGIN; the reconstruction, when it pins any child's program, or when its predictions for the
children a teacher can single out (unique on what a teacher knows) beat the margins' guess by more
than RECONSTRUCTION_MARGIN. The suppressed-cell recovery learns when it narrows a suppressed small
cell below what its status already says (1 to min_count - 1).

Each attack runs first on the weak design (the same study with the audit off and zeros shown: a plain
small-cell rule with complementary suppression), where it must succeed, then under the default rules, where it
must fail. An attack that succeeds under the default rules is marked xfail (strict), its reason
saying what it obtained: a hole to fix, not a test to weaken. Messages carry counts only.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from accord.store.repositories.agencies import get_agency, save_agency
from accord.store.study_tables import domains as values_held
from tests.attacks.study_world import (
    JANUARY,
    MARCH,
    MARGIN,
    PROGRAMS,
    RECONSTRUCTION_MARGIN,
    TEACHER,
    Knowledge,
    Margins,
    Planted,
    Record,
    Shown,
    StudyHub,
    StudyRun,
    cells,
    eq,
    obtained,
    school,
    values_of,
)

MIN_COUNT = 10
OTHER_SCHOOL = "255901002"  # the district's second school in the directory, where no child of the study is
# The weak design: no audit, and zeros shown (a missing row and a shown zero both say "no child").
# Neither sends releases to human review: the suite measures what the automatic controls let through.
DESIGNS: dict[str, dict[str, Any]] = {"weak": {"audit": False, "suppress_zeros": False, "review": "none"},
                                      "default": {"review": "none"}}


@dataclass
class World:
    hub: StudyHub
    rows: list[dict[str, Any]]
    planted: Planted
    domains: dict[str, tuple[str, ...]]

    def study(self, attack: str, design: str) -> StudyRun:
        # The study declares what its scope says (grades 3-8 of one school, the years its children
        # entered), as a records officer would: left to the K-12 scale, every school and fifteen
        # years, a table grouped by grade has empty rows, which the margins pin at zero, and is
        # withheld whole, so the attacks would meet nothing released.
        declared = {d: list(self.domains[d]) for d in ("grade", "entry_year", "school")}
        return self.hub.study(f"{attack}-{design}", self.rows, {**DESIGNS[design], "categories": declared})

    def program(self, sid: str) -> str:
        return next(str(r["dss"]) for r in [*self.rows, self.planted.newcomer] if r["sid"] == sid)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    root: Path = tmp_path_factory.mktemp("study-attacks")
    rows, planted = school()
    domains = {d: values_of(d, [*rows, planted.newcomer]) for d in (*TEACHER, "school")}
    domains["dss"] = PROGRAMS
    hub = StudyHub(root, f"sqlite:///{root / 'accord.db'}")
    with hub.session() as session:
        district = get_agency(session, "lea")
        assert district is not None
        save_agency(session, replace(district, schools=district.schools | {OTHER_SCHOOL}))
    return World(hub, rows, planted, domains)


def designs(hole: str | None = None) -> list[Any]:
    """The weak design, then the default rules (xfail with `hole` when the attack gets through)."""
    marks = [pytest.mark.xfail(strict=True, reason=hole)] if hole else []
    return ["weak", pytest.param("default", marks=marks)]


@dataclass(frozen=True)
class Verdict:
    """What a targeted attack obtained about one child's program."""

    by_figures: list[str]  # programs left possible by the figures, listed rows and statuses
    concluded: list[str]  # the same, read with the audit's notes
    right: bool  # the child's program is among the concluded
    by_figures_confidence: float  # how often the attacker's best guess from `by_figures` is right
    confidence: float  # the same from `concluded`
    guess: float  # how often the margins' guess is

    @property
    def learned(self) -> bool:
        return self.right and self.confidence > self.guess + MARGIN

    def __str__(self) -> str:
        return (f"the figures, listed rows and statuses leave {len(self.by_figures)} of {len(PROGRAMS)} "
                f"programs possible; read with the audit's notes, {len(self.concluded)} "
                f"({'the right one among them' if self.right else 'not the right one'}); the attacker's "
                f"best guess is right {self.by_figures_confidence:.2f} of the time from the figures, "
                f"{self.confidence:.2f} with the notes; the margins' guess {self.guess:.2f}")


def verdict(margins: Margins, possible: list[str], noted: Sequence[str], truth: str) -> Verdict:
    """The attacker's conclusion: the programs the figures leave possible, narrowed to those the
    audit's notes point at (a withheld row is one whose figure, beside the earlier ones, would have
    singled the child out), when they point at any."""
    assert truth in possible, "the attacker's model of the answers is unsound"
    concluded = [p for p in possible if p in noted] or possible
    return Verdict(possible, concluded, truth in concluded, margins.confidence(possible),
                   margins.confidence(concluded), margins.rate)


def check(design: str, result: Verdict, record: Record) -> None:
    obtained(record, design, str(result))
    if design == "weak":
        assert result.learned and len(result.concluded) == 1, \
            f"the attack should work on the weak design: {result}"
    else:
        assert not result.learned, f"the attack learnt the child's program: {result}"


# ---- differencing: n against n - 1 ------------------------------------------------------------------------


# Before the audit withheld the whole table (it withheld one row): grade 5 without its homeless child
# comes back with its 'no' row released, equal to grade 5's (the child is not 'no': 2 programs left, the
# attacker's guess right 0.62 of the time against the margins' 0.40), the other two rows withheld and the
# audit's note on the row that lost the child: 1 program left, the right one


@pytest.mark.parametrize("design", designs())
def test_differencing_n_and_n_minus_one(world: World, design: str, record_property: Record) -> None:
    """The programs of grade 5, then of grade 5 but its homeless children: a teacher knows grade 5
    has one homeless child, so the two tables differ by exactly that child."""
    run = world.study("differencing", design)
    housed = {"dim": "homeless", "op": "neq", "value": "yes"}
    public = run.ask(["dss"])
    answers = [public, run.ask(["dss"], [eq("grade", "5")]), run.ask([], [eq("grade", "5")])]
    without = run.ask(["dss"], [eq("grade", "5"), housed])
    answers += [without, run.ask([], [eq("grade", "5"), housed])]
    know = Knowledge(("grade", "homeless"), cells(("grade", "homeless"), world.rows))
    for shown in answers:
        know.learn(shown, world.domains)
    know.know(know.cols(), len(world.rows), len(world.rows))  # the study's size
    know.know(know.cols(grade="5", homeless="yes"), 1, 1)  # the teacher's knowledge
    possible = know.possible({p: know.cols(grade="5", homeless="yes", dss=p) for p in PROGRAMS})
    noted = [k[0] for k in without.audit_noted()]
    result = verdict(Margins.of(public), possible, noted, world.program(world.planted.homeless_fifth))
    check(design, result, record_property)


# ---- Denning's general tracker ----------------------------------------------------------------------------


# Before the audit withheld the whole table (it withheld one row): q(C or not T) comes back with its 'no'
# row released, so q(C or T) + q(C or not T) - q(all) = 0 for 'no' (2 programs left, 0.62 against 0.40),
# the other two rows withheld and the audit's note on the row holding the child: 1 program left, the
# right one


@pytest.mark.parametrize("design", designs())
def test_a_general_tracker(world: World, design: str, record_property: Record) -> None:
    """C: entered in 2017 (one child, a teacher knows). T: entered 2018 to 2020, about a third of the
    school, so that C or T and C or not T are large: both pass a small-cell rule, and with the
    school's own table, q(C) = q(C or T) + q(C or not T) - q(all), program by program."""
    run = world.study("tracker", design)
    tracker = ["2018", "2019", "2020"]
    public = run.ask(["dss"])  # q(all), and the public margins
    with_t = run.ask(["dss"], [{"dim": "entry_year", "op": "in", "values": ["2017", *tracker]}])
    without_t = run.ask(["dss"], [{"dim": "entry_year", "op": "not_in", "values": tracker}])
    know = Knowledge(("entry_year",), cells(("entry_year",), [*world.rows, world.planted.newcomer]))
    for shown in (public, with_t, without_t):
        know.learn(shown, world.domains)
    know.know(know.cols(), len(world.rows), len(world.rows))
    know.know(know.cols(entry_year="2017"), 1, 1)
    possible = know.possible({p: know.cols(entry_year="2017", dss=p) for p in PROGRAMS})
    noted = [k[0] for k in [*with_t.audit_noted(), *without_t.audit_noted()]]
    result = verdict(Margins.of(public), possible, noted, world.program(world.planted.early_entrant))
    check(design, result, record_property)


# ---- differencing over time -------------------------------------------------------------------------------


# Before the audit withheld the whole table (it withheld one row): in March the programs table comes back
# with its January 'no' row (so does grade 4's in the grade-by-program table): the newcomer is not 'no'
# (2 programs left, 0.62 against 0.40); the other two rows are withheld and the audit's note is on the
# newcomer's: 1 program left, the right one


@pytest.mark.parametrize("design", designs())
def test_differencing_over_time(world: World, design: str, record_property: Record) -> None:
    """The grade-by-program table released in January and again in March, after one child enrolled
    in grade 4 (the study rebuilt: every child keeps their row, the newcomer is appended). The
    analyst knows a child joined grade 4, and the study's size at each date."""
    run = world.study("over-time", design)
    n = len(world.rows)
    tables = (["dss"], ["grade", "dss"], ["grade"])
    january = [run.ask(group_by, at=JANUARY) for group_by in tables]
    run.rebuild([*world.rows, world.planted.newcomer])
    march = [run.ask(group_by, at=MARCH) for group_by in tables]
    grades = cells(("grade",), world.rows)
    know = Knowledge(("cohort", "grade"), [(c, *g) for c in ("enrolled", "newcomer") for g in grades])
    domains = {**world.domains, "cohort": ("enrolled", "newcomer")}
    for shown in january:
        know.learn(shown, domains, among=[eq("cohort", "enrolled")])
    for shown in march:
        know.learn(shown, domains)
    know.know(know.cols([eq("cohort", "enrolled")]), n, n)
    know.know(know.cols([eq("cohort", "newcomer")]), 1, 1)
    know.know(know.cols([eq("cohort", "newcomer")], grade="4"), 1, 1)
    possible = know.possible({p: know.cols([eq("cohort", "newcomer")], grade="4", dss=p) for p in PROGRAMS})
    noted = [k[1] for k in march[1].audit_noted() if k[0] == "4"] + [k[0] for k in march[0].audit_noted()]
    result = verdict(Margins.of(january[0]), possible, noted, str(world.planted.newcomer["dss"]))
    check(design, result, record_property)


# ---- reading the keys of suppressed rows ------------------------------------------------------------------


@pytest.mark.parametrize("design", designs())
def test_reading_the_keys_of_suppressed_rows(world: World, design: str, record_property: Record) -> None:
    """One table, grade by homeless by program: the homeless child of grade 5 is alone, so every
    figure of theirs is suppressed, but a row is listed only when it holds a child."""
    run = world.study("keys", design)
    public = run.ask(["dss"])
    table = run.ask(["grade", "homeless", "dss"])
    know = Knowledge(("grade", "homeless"), cells(("grade", "homeless"), world.rows))
    for shown in (public, table):
        know.learn(shown, world.domains)
    know.know(know.cols(), len(world.rows), len(world.rows))
    know.know(know.cols(grade="5", homeless="yes"), 1, 1)
    possible = know.possible({p: know.cols(grade="5", homeless="yes", dss=p) for p in PROGRAMS})
    result = verdict(Margins.of(public), possible, [], world.program(world.planted.homeless_fifth))
    check(design, result, record_property)


# ---- reading the catalog over time ------------------------------------------------------------------------


# The weak design here is the catalog as it was before every dimension's values were fixed ahead of the
# data: each dimension listed the values the study's children held (`store.study_tables.domains`, which
# reads them from the table), and so did every table grouped by it. Measured then with the default rules
# as well: the January catalog and programs table listed no and snap, March's no, snap and tanf.
CATALOGUED = ("dss", "grade", "school", "entry_year")


def _newcomer_unlike_anyone(world: World) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """The school in January with nobody on TANF, and a March newcomer who is: in grade 2 (the school's
    children are in grades 3 to 8), at the district's other school, entered this year (2027)."""
    rows = [{**r, "dss": "snap" if r["dss"] == "tanf" else r["dss"]} for r in world.rows]
    newcomer = {**world.planted.newcomer, "dss": "tanf", "grade": "2", "school": OTHER_SCHOOL,
                "entry_year": "2027"}
    assert all(r[d] != newcomer[d] for r in rows for d in CATALOGUED)
    return rows, newcomer


def _catalog(run: StudyRun, design: str, at: Any) -> dict[str, set[str]]:
    """What the analyst reads at `at`: each dimension's values in the catalog, and the programs table's
    keys (on the weak design, the values the study's children hold)."""
    if design == "weak":
        path = run.hub.files.study_dir(run.study_id) / "study.duckdb"
        return {d: set(v) for d, v in zip(CATALOGUED, values_held(path, CATALOGUED, ()), strict=True)}
    read = {d: set(run.catalog()[d]) for d in CATALOGUED}
    read["dss"] |= {k[0] for k in run.ask(["dss"], at=at).counts()}
    return read


@pytest.mark.parametrize("design", ["weak", "default"])
def test_reading_the_catalog_over_time(world: World, design: str, record_property: Record) -> None:
    """No child of the study is on TANF in January, in grade 2, at the district's other school or
    entered in 2027; in March one child joins who is all four. The analyst reads the catalog (each
    dimension's values, which every question lists) and the programs table at both dates: a value
    listed in March and not in January could only be the newcomer's."""
    rows, newcomer = _newcomer_unlike_anyone(world)
    run = world.hub.study(f"catalog-{design}", rows, DESIGNS["default"])
    january = _catalog(run, design, JANUARY)
    run.rebuild([*rows, newcomer])
    march = _catalog(run, design, MARCH)
    left = {d: sorted(march[d] - january[d]) or sorted(march[d]) for d in CATALOGUED}
    said = "; ".join(f"{d}: January lists {len(january[d])}, March {len(march[d])}, {len(left[d])} left "
                     f"for the newcomer{' (the right one)' if left[d] == [newcomer[d]] else ''}"
                     for d in CATALOGUED)
    obtained(record_property, design, said)
    assert all(newcomer[d] in left[d] for d in CATALOGUED), "the attacker's model of the answers is unsound"
    told = [d for d in CATALOGUED if len(left[d]) == 1]
    if design == "weak":
        assert told == list(CATALOGUED), f"the attack should work on the weak design: {said}"
    else:
        assert not told and january == march, f"the catalog told the newcomer's {', '.join(told)}: {said}"


# ---- recovering suppressed cells from margins and other tables --------------------------------------------


@pytest.mark.parametrize("design", designs())
def test_recovering_suppressed_cells_from_margins_and_other_tables(world: World, design: str,
                                                                   record_property: Record) -> None:
    """The entry-year-by-program table of the cohorts 2018 to 2026 has small cells (the recent
    cohorts' TANF children), hidden with complementary cells. The analyst asks both margins, then each
    complementary cell on its own and each affected cohort's row on its own, and bounds every small
    cell by integer programming over all of it."""
    run = world.study("margins", design)
    cohorts = {"dim": "entry_year", "op": "between", "values": ["2018", "2026"]}
    table = run.ask(["entry_year", "dss"], [cohorts])
    answers = [table, run.ask(["entry_year"], [cohorts]), run.ask(["dss"], [cohorts])]
    hidden = table.suppressed("suppressed_complementary")
    answers += [run.ask([], [eq("entry_year", y), eq("dss", p)]) for y, p in hidden]
    answers += [run.ask(["dss"], [eq("entry_year", y)]) for y in sorted({k[0] for k in table.suppressed()})]
    know = Knowledge(("entry_year",), cells(("entry_year",), [*world.rows, world.planted.newcomer]))
    for shown in answers:
        know.learn(shown, world.domains)
    know.know(know.cols(), len(world.rows), len(world.rows))
    small = table.suppressed("suppressed_primary")
    assert small, "the table should have small cells"
    bounds = [know.bounds(know.cols(entry_year=y, dss=p)) for y, p in small]
    narrowed = sum(1 for low, high in bounds if low > 1 or high < MIN_COUNT - 1)
    exact = sum(1 for low, high in bounds if low == high)
    widths = sorted(round(high - low) for low, high in bounds)
    said = (f"{len(small)} small cells and {len(hidden)} complementary; "
            f"{sum(len(s.released()) for s in answers)} figures released over {len(answers)} answers; "
            f"the small cells' intervals {widths} wide (1 to {MIN_COUNT - 1} is {MIN_COUNT - 2}): "
            f"{narrowed} narrowed, {exact} pinned")
    obtained(record_property, design, said)
    if design == "weak":
        assert exact == len(small), f"the attack should work on the weak design: {said}"
    else:
        assert not narrowed, f"the attack recovered small cells: {said}"


# ---- reconstruction (Dinur and Nissim) ------------------------------------------------------------------


QUERIES = 16  # random subsets, each asked by grade and program
KEEP = 0.8  # the chance each value of a dimension is in a subset


def _roster_knowledge(roster: Counter[tuple[str, ...]], answers: list[Shown], domains: Mapping[str, Any],
                      listing: bool = True, statuses: bool = True) -> Knowledge:
    """The roster and the answers: their figures, and the listed rows and statuses when asked."""
    know = Knowledge(TEACHER, sorted(roster))
    for cell, size in roster.items():
        know.know(know.cols(**dict(zip(TEACHER, cell, strict=True))), size, size)
    for shown in answers:
        know.learn(shown, domains, listing=listing, statuses=statuses)
    return know


def _pinned(know: Knowledge, alone: list[tuple[str, ...]], prior: np.ndarray) -> dict[tuple[str, ...], str]:
    """The children alone in their roster cell whose program the answers force (linear bounds): a
    forced program is the one every consistent table gives them, so the one the estimate gives."""
    estimate = know.central(prior).reshape(-1, len(PROGRAMS))
    out = {}
    for cell in alone:
        where = dict(zip(TEACHER, cell, strict=True))
        program = PROGRAMS[int(np.argmax(estimate[know.cols(**where)[0] // len(PROGRAMS)]))]
        low, _ = know.bounds(know.cols(**where, dss=program), integral=False)
        if low > 1 - 1e-6:
            out[cell] = program
    return out


@pytest.mark.parametrize("design", designs())
def test_reconstruction_from_many_overlapping_subset_counts(world: World, design: str,
                                                            record_property: Record) -> None:
    """The analyst knows the roster a teacher has (each child's grade, entry year, English-learner,
    homeless and IEP/504 status), not their programs. They ask the program counts by grade of random
    subsets (each value of entry year and of each flag kept with probability KEEP), then solve one
    linear programme for every child's program: the table of roster cells by program consistent with
    every answer and the roster, closest to the margins' shares, read cell by cell; and, for each child
    alone in their roster cell, whether the answers force their program."""
    run = world.study("reconstruction", design)
    public = run.ask(["dss"])
    answers = [public]
    rng = random.Random(1979)
    for _ in range(QUERIES):
        filters = []
        for dim in ("entry_year", "english_learner", "homeless", "iep_504"):
            kept = [v for v in world.domains[dim] if rng.random() < KEEP] or [rng.choice(world.domains[dim])]
            if len(kept) < len(world.domains[dim]):
                filters.append({"dim": dim, "op": "in", "values": kept})
        answers.append(run.ask(["grade", "dss"], filters))
    outcomes = Counter(s["count"] for shown in answers[1:] for s in shown.statuses)
    roster = Counter(tuple(str(r[d]) for d in TEACHER) for r in world.rows)
    know = _roster_knowledge(roster, answers, world.domains)
    margins = Margins.of(public)
    sizes = np.array([roster[c] for c in sorted(roster)], dtype=float)
    prior = np.outer(sizes, [margins.shares[p] for p in PROGRAMS]).ravel()
    estimate = know.central(prior).reshape(len(sizes), len(PROGRAMS))
    guess = {c: PROGRAMS[int(np.argmax(estimate[i]))] for i, c in enumerate(sorted(roster))}
    truth = {tuple(str(r[d]) for d in TEACHER): str(r["dss"]) for r in world.rows}
    alone = [c for c in sorted(roster) if roster[c] == 1]
    right = sum(guess[c] == truth[c] for c in alone) / len(alone)
    pinned = _pinned(know, alone, prior)
    by = {what: len(_pinned(_roster_knowledge(roster, answers, world.domains, *channels), alone, prior))
          for what, channels in (("figures", (False, False)), ("listed", (True, False)),
                                 ("statuses", (False, True)))}
    everyone = sum(guess[tuple(str(r[d]) for d in TEACHER)] == r["dss"] for r in world.rows) / len(world.rows)
    said = (f"{QUERIES} subsets asked ({', '.join(f'{n} {s}' for s, n in sorted(outcomes.items()))} cells); "
            f"of the {len(alone)} children a teacher can single out, {len(pinned)} pinned "
            f"({sum(p == truth[c] for c, p in pinned.items())} right; with the roster, {by['figures']} "
            f"by the released figures alone, {by['listed']} with the listed rows, {by['statuses']} with "
            f"the statuses), {right:.2f} guessed right (the margins' guess {margins.rate:.2f}); "
            f"all {len(world.rows)} children: {everyone:.2f} guessed right")
    obtained(record_property, design, said)
    assert all(p == truth[c] for c, p in pinned.items()), "the attacker's model of the answers is unsound"
    if design == "weak":
        assert len(pinned) >= 5 and right > margins.rate + RECONSTRUCTION_MARGIN, \
            f"the attack should work on the weak design: {said}"
    else:
        assert not pinned and right <= margins.rate + RECONSTRUCTION_MARGIN, \
            f"the reconstruction learnt children's programs: {said}"
