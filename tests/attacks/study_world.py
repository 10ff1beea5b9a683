"""A real study on a fresh hub, for the attacks on disclosure control (issue 18), and what an analyst
sees of it.

`StudyHub` is a migrated SQLite store seeded with the decision table's world (agencies, users,
training), the school's and the SNAP/TANF office's records officers, and the study licence of
`tests.workflows.crosscheck_county` widened to the school's flags (enrollment history, English
learner, homeless, IEP/504), so that an analyst can name a child by what a teacher knows of them.
Each study is registered and approved through `accord.workflows.research`, and its table is written
with `accord.store.study_tables.write_table` (the build's linkage is not what is under attack). Every
question goes through `accord.workflows.study_query.ask`; the analyst gets `answer.result` only
(`Shown`).

The school (`school`): 500 children in grades 3 to 8, each with an entry year (most at kindergarten,
some transferred in later), English-learner, homeless and IEP/504 flags, an attendance rate and days
recorded, and the sensitive attribute: their family's DSS program, snap, tanf or no, drawn
independently of everything else, so that no released aggregate predicts a child's program better
than the school-wide shares (any prediction beyond them is a disclosure, not statistics). A few
children are placed for the attacks (`Planted`).
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp  # type: ignore[import-untyped]
from scipy.optimize import Bounds, LinearConstraint, milp  # type: ignore[import-untyped]
from sqlalchemy.orm import Session, sessionmaker

from accord.domain.agencies import Role, User
from accord.domain.agreements import Agreement
from accord.domain.studies import Study, StudyStatus
from accord.domain.training import Completion
from accord.store.db import make_engine, make_session_factory, session_scope
from accord.store.migrate import upgrade_to_head
from accord.store.repositories.agencies import save_user
from accord.store.repositories.agreements import save_agreement
from accord.store.repositories.studies import set_built
from accord.store.repositories.training import add_completions
from accord.store.study_tables import write_table
from accord.workflows.hub_files import HubFiles
from accord.workflows.research import approve, register
from accord.workflows.study_audit import current_history
from accord.workflows.study_query import ask, catalog_for
from tests.workflows.case_county import seed_world
from tests.workflows.crosscheck_county import DSS_OFFICER, OFFICER, STUDY_AGREEMENT, study_agreement

ANALYST = "an.univ"
SCHOOL = "255901001"
PROGRAMS = ("snap", "tanf", "no")
SHARES = (0.35, 0.20, 0.45)
GRADES = ("3", "4", "5", "6", "7", "8")
ELEMENTS = ("attendance", "grade_level", "enrollment_history", "english_learner", "homeless_status",
            "iep_504_status")
DIMS = ("english_learner", "school", "entry_year", "grade", "homeless", "iep_504", "dss")
MEASURES = ("attendance_rate", "days_recorded")
CHILDREN = 500
SEED = 18
REGISTERED = datetime(2026, 11, 30, 9, 0)
JANUARY = datetime(2027, 1, 15, 10, 0)
MARCH = datetime(2027, 3, 15, 10, 0)


@dataclass(frozen=True)
class Planted:
    """The children the attacks aim at, and the teacher's knowledge that singles each out."""

    homeless_fifth: str  # the only homeless child in grade 5
    early_entrant: str  # the only child who entered in 2017 (before kindergarten), grade 8
    newcomer: dict[str, Any]  # the child who enrols between January and March (grade 4)


def _child(rng: random.Random, sid: str, grade: str) -> dict[str, Any]:
    kindergarten = 2026 - int(grade)
    entry = kindergarten if rng.random() < 0.7 else rng.randint(kindergarten + 1, 2026)
    days = float(rng.randint(80, 90))
    return {"sid": sid, "school": SCHOOL, "grade": grade, "entry_year": str(entry),
            "english_learner": "yes" if rng.random() < 0.15 else "no",
            "homeless": "yes" if rng.random() < 0.06 else "no",
            "iep_504": "yes" if rng.random() < 0.14 else "no",
            "dss": rng.choices(PROGRAMS, SHARES)[0],
            "attendance_rate": round(rng.uniform(0.6, 1.0), 3), "days_recorded": days}


def school(seed: int = SEED, children: int = CHILDREN) -> tuple[list[dict[str, Any]], Planted]:
    """The school's children (one row per child, the study table's columns) and the planted ones."""
    rng = random.Random(seed)
    rows = [_child(rng, f"s-{i:04d}", GRADES[i % len(GRADES)]) for i in range(children)]
    fifth = [r for r in rows if r["grade"] == "5"]
    for r in fifth:
        r["homeless"] = "no"
    fifth[7]["homeless"] = "yes"
    for r in rows:
        if r["entry_year"] == "2017":
            r["entry_year"] = "2018"
    eighth = [r for r in rows if r["grade"] == "8"]
    eighth[3]["entry_year"] = "2017"
    newcomer = _child(rng, f"s-{children:04d}", "4")
    newcomer["dss"] = "tanf"
    return rows, Planted(fifth[7]["sid"], eighth[3]["sid"], newcomer)


def licence() -> Agreement:
    """The study licence of the cross-check county, covering the school's flags as well."""
    base = study_agreement()
    return replace(base, data_elements=base.data_elements | frozenset(ELEMENTS))


MARGIN = 0.05  # a targeted attack's guess may beat the margins' by this much, no more
RECONSTRUCTION_MARGIN = 0.10  # for the children unique on what a teacher knows (few: noisier)
TEACHER = ("grade", "entry_year", "english_learner", "homeless", "iep_504")  # what a teacher knows
Record = Callable[[str, object], None]  # pytest's record_property fixture


def eq(dim: str, value: str) -> dict[str, Any]:
    return {"dim": dim, "op": "eq", "value": value}


def obtained(record: Record, design: str, said: str) -> None:
    """What the attack obtained, kept with the test's report (a property in the JUnit XML)."""
    record(f"obtained ({design})", said)


@dataclass
class Shown:
    """One answer as the analyst sees it: per row its key (dimension -> value), each measure's
    figure (None when suppressed) and status."""

    group_by: tuple[str, ...]
    filters: tuple[Mapping[str, Any], ...]
    rows: list[dict[str, Any]]
    statuses: list[dict[str, str]]
    details: list[dict[str, str]]
    zeros_hidden: bool = True  # the study's rules (known to the analyst): a hidden cell may be empty

    @classmethod
    def of(cls, group_by: Sequence[str], filters: Sequence[Mapping[str, Any]],
           result: Mapping[str, Any], zeros_hidden: bool = True) -> Shown:
        rows = list(result["rows"])
        statuses: list[dict[str, str]] = [{} for _ in rows]
        details: list[dict[str, str]] = [{} for _ in rows]
        for cell in result["cells"]:
            statuses[cell["row"]][cell["measure"]] = cell["status"]
            details[cell["row"]][cell["measure"]] = cell["detail"]
        return cls(tuple(group_by), tuple(filters), rows, statuses, details, zeros_hidden)

    def key(self, i: int) -> tuple[str, ...]:
        return tuple(str(self.rows[i][d]) for d in self.group_by)

    def counts(self) -> dict[tuple[str, ...], float | None]:
        """Every listed row's count (None when suppressed)."""
        return {self.key(i): r["count"] for i, r in enumerate(self.rows)}

    def released(self) -> dict[tuple[str, ...], float]:
        return {k: v for k, v in self.counts().items() if v is not None}

    def suppressed(self, status: str = "") -> list[tuple[str, ...]]:
        """The keys of the suppressed rows (of one status, when given)."""
        return [self.key(i) for i, r in enumerate(self.rows)
                if r["count"] is None and status in ("", self.statuses[i]["count"])]

    def audit_noted(self) -> list[tuple[str, ...]]:
        """The keys of the rows whose note says the audit withheld them (what the analyst reads
        beside each figure)."""
        return [self.key(i) for i, d in enumerate(self.details) if d.get("count", "").startswith("audit:")]


@dataclass
class StudyRun:
    """One registered, approved and built study, and the analyst's questions to it."""

    hub: StudyHub
    study_id: str
    zeros_hidden: bool = True

    def ask(self, group_by: Sequence[str] = (), filters: Sequence[Mapping[str, Any]] = (),
            at: datetime = JANUARY, measures: Sequence[str] = ("count",)) -> Shown:
        spec = {"measures": list(measures), "group_by": list(group_by), "filters": [dict(f) for f in filters]}
        with self.hub.session() as session:
            answer = ask(session, self.hub.files, self.study_id, ANALYST, spec, "attack", at)
        return Shown.of(group_by, filters, answer.result, self.zeros_hidden)

    def catalog(self) -> dict[str, list[str]]:
        """Each dimension's values, as the analyst reads them in the study's catalog."""
        with self.hub.session() as session:
            return dict(catalog_for(session, self.hub.files, self.study_id, ANALYST)["dimensions"])

    def rebuild(self, rows: Sequence[Mapping[str, Any]]) -> None:
        """The table rewritten (children keep their row numbers, newcomers are appended)."""
        path = self.hub.files.study_dir(self.study_id) / "study.duckdb"
        with self.hub.session() as session:
            current_history(session, path, self.study_id)  # as the build does: labels caught up first
        records = write_table(path, rows, DIMS, MEASURES)
        with self.hub.session() as session:
            set_built(session, self.study_id, records, StudyStatus.BUILT)


@dataclass
class StudyHub:
    root: Path
    url: str
    factory: sessionmaker[Session] = field(init=False)

    def __post_init__(self) -> None:
        engine = make_engine(self.url)
        upgrade_to_head(engine)
        self.factory = make_session_factory(engine)
        seed_world(self.url)
        with self.session() as session:
            for user in (User(OFFICER, "lea", Role.RECORDS_OFFICER),
                         User(DSS_OFFICER, "dss", Role.RECORDS_OFFICER)):
                save_user(session, user)
                add_completions(session, [Completion(user.id, "ferpa-basics", date(2026, 9, 1),
                                                     date(2027, 9, 1))])
            save_agreement(session, licence())

    @property
    def files(self) -> HubFiles:
        return HubFiles(self.root / "hub")

    @contextmanager
    def session(self) -> Iterator[Session]:
        with session_scope(self.factory) as session:
            yield session

    def study(self, name: str, rows: Sequence[Mapping[str, Any]], rules: Mapping[str, Any]) -> StudyRun:
        """A study of `rows` under `rules`, registered, approved by both agencies and built."""
        study = Study(id=f"study-{name}", agreement_id=STUDY_AGREEMENT, title=f"Attack: {name}",
                      purpose="improve instruction: does attendance differ by meal benefits?",
                      scope="grades 3-8, school year 2026-27", school_agency_id="lea",
                      elements=frozenset(ELEMENTS), analysts=frozenset({ANALYST}),
                      starts_on=date(2026, 9, 1), ends_on=date(2027, 6, 30), destroy_by=date(2027, 9, 30),
                      partners=frozenset({"dss"}), rules=dict(rules))
        with self.session() as session:
            register(session, study, OFFICER, REGISTERED)
            approve(session, study.id, "lea", OFFICER, REGISTERED)
            approve(session, study.id, "dss", DSS_OFFICER, REGISTERED)
        folder = self.files.study_dir(study.id)
        folder.mkdir(parents=True, exist_ok=True)
        run = StudyRun(self, study.id, bool(rules.get("suppress_zeros", True)))
        run.rebuild(rows)
        return run


def values_of(dim: str, rows: Sequence[Mapping[str, Any]]) -> tuple[str, ...]:
    """The values a dimension takes in the school (public: the grades taught, the years, yes/no)."""
    return tuple(sorted({str(r[dim]) for r in rows}))


def cells(dims: Sequence[str], rows: Sequence[Mapping[str, Any]]) -> list[tuple[str, ...]]:
    """Every combination of the dimensions' values (the cells an attacker's unknowns range over)."""
    return list(itertools.product(*(values_of(d, rows) for d in dims)))


# ---- the analyst's knowledge, as linear constraints ------------------------------------------------------


def passes(values: np.ndarray, f: Mapping[str, Any]) -> np.ndarray:
    """Which of `values` (one dimension's, as text) pass one filter of the query language."""
    given = [str(v) for v in f.get("values", [f.get("value")])]
    op = f["op"]
    if op in ("eq", "in"):
        return np.isin(values, given)
    if op in ("neq", "not_in"):
        return ~np.isin(values, given)
    if op == "between":
        return (values >= given[0]) & (values <= given[1])
    raise ValueError(op)


class Knowledge:
    """Everything an analyst has learnt, as linear constraints over unknown counts: one unknown per
    cell, a cell being a combination of `dims` (from `cells`, every combination of their public
    values unless the analyst knows which occur) and a DSS program.

    What an answer tells (`learn`): a released count is the sum of the cells its row covers; a row
    listed but suppressed covers at least one child (`listing`) where the study shows zeros (with
    zeros hidden, every combination is listed and a hidden cell may be empty), and one suppressed as a
    small cell at most min_count - 1 (`statuses`: its status says so); a key the answer does not list
    covers no child (`listing`). What the analyst knows besides (`know`): the roster a teacher has, a child
    singled out by what they know of them, the study's size.
    """

    def __init__(self, dims: Sequence[str], cells_: Sequence[tuple[str, ...]], min_count: int = 10) -> None:
        self.dims = tuple(dims)
        self.keys = [(*c, p) for c in cells_ for p in PROGRAMS]
        self.column = {d: np.array([k[j] for k in self.keys]) for j, d in enumerate((*self.dims, "dss"))}
        self.min_count = min_count
        self.rows: list[np.ndarray] = []
        self.low: list[float] = []
        self.high: list[float] = []
        self._cached: sp.csr_matrix | None = None  # the constraints' matrix, until one is added

    @property
    def size(self) -> int:
        return len(self.keys)

    def cols(self, filters: Sequence[Mapping[str, Any]] = (), /, **equal: str) -> np.ndarray:
        """The unknowns a set of children covers: those passing `filters` with the given values."""
        keep = np.ones(self.size, dtype=bool)
        for f in filters:
            keep &= passes(self.column[f["dim"]], f)
        for dim, value in equal.items():
            keep &= self.column[dim] == value
        return np.flatnonzero(keep)

    def know(self, cols: np.ndarray, low: float, high: float) -> None:
        self._cached = None
        self.rows.append(np.asarray(cols, dtype=np.int64))
        self.low.append(low)
        self.high.append(high)

    def learn(self, shown: Shown, domains: Mapping[str, Sequence[str]], listing: bool = True,
              statuses: bool = True, among: Sequence[Mapping[str, Any]] = ()) -> None:
        """What `shown` tells; `among`: filters on the analyst's own dimensions that say which of the
        cells the answer covered (e.g. only the children enrolled when it was asked)."""
        listed = {shown.key(i): i for i in range(len(shown.rows))}
        for combo in itertools.product(*(domains[d] for d in shown.group_by)):
            cols = self.cols([*shown.filters, *among], **dict(zip(shown.group_by, combo, strict=True)))
            if not len(cols):
                continue
            i = listed.get(tuple(combo))
            if i is None:
                if listing:
                    self.know(cols, 0, 0)
                continue
            value = shown.rows[i]["count"]
            if value is not None:
                self.know(cols, value, value)
            elif statuses and shown.statuses[i]["count"] == "suppressed_primary":
                self.know(cols, 1 if listing and not shown.zeros_hidden else 0, self.min_count - 1)
            elif listing and not shown.zeros_hidden:
                self.know(cols, 1, np.inf)

    def _matrix(self) -> sp.csr_matrix:
        if self._cached is not None:
            return self._cached
        lengths = [len(r) for r in self.rows]
        flat = np.concatenate(self.rows) if self.rows else np.zeros(0, np.int64)
        matrix = sp.csr_matrix((np.ones(len(flat)), (np.repeat(np.arange(len(self.rows)), lengths), flat)),
                               shape=(len(self.rows), self.size))
        self._cached = matrix
        return matrix

    def _solve(self, objective: np.ndarray, integral: bool) -> Any:
        cons = [LinearConstraint(self._matrix(), np.array(self.low), np.array(self.high))
                ] if self.rows else []
        return milp(objective, constraints=cons, integrality=np.full(self.size, int(integral)),
                    bounds=Bounds(np.zeros(self.size), np.full(self.size, np.inf)))

    def bounds(self, cols: np.ndarray, integral: bool = True) -> tuple[float, float]:
        """The least and the most the cells `cols` can hold, given everything known."""
        target = np.zeros(self.size)
        target[cols] = 1.0
        low = self._solve(target, integral)
        high = self._solve(-target, integral)
        assert low.status == 0 and high.status == 0, "the analyst's knowledge is inconsistent"
        return float(low.fun), float(-high.fun)

    def central(self, prior: np.ndarray) -> np.ndarray:
        """The table consistent with everything known that is closest (L1) to `prior`: the
        analyst's estimate where the constraints leave room (a linear programme)."""
        n = self.size
        a = sp.hstack([self._matrix(), sp.csr_matrix((len(self.rows), 2 * n))], format="csr")
        gap = sp.hstack([sp.identity(n), sp.identity(n), -sp.identity(n)], format="csr")
        res = milp(np.concatenate([np.zeros(n), np.ones(2 * n)]),
                   constraints=[LinearConstraint(a, np.array(self.low), np.array(self.high)),
                                LinearConstraint(gap, prior, prior)],
                   bounds=Bounds(np.zeros(3 * n), np.full(3 * n, np.inf)))
        assert res.status == 0, "the analyst's knowledge is inconsistent"
        return np.asarray(res.x[:n])

    def possible(self, cols_by_value: Mapping[str, np.ndarray]) -> list[str]:
        """The programs a child can have: those for which some table consistent with everything
        known puts the child there (`cols_by_value`: the child's cell for each program, a cell the
        analyst knows holds the child alone among those of its kind)."""
        out = []
        for program, cols in cols_by_value.items():
            self.know(cols, 1, np.inf)
            res = self._solve(np.zeros(self.size), True)
            self.rows.pop()
            self.low.pop()
            self.high.pop()
            self._cached = None
            if res.status == 0:
                out.append(program)
        return out


@dataclass(frozen=True)
class Margins:
    """The guess from the public margins: the school's DSS shares as released, and their majority."""

    shares: dict[str, float]

    @classmethod
    def of(cls, shown: Shown) -> Margins:
        counts = {k[0]: float(v) for k, v in shown.released().items()}
        total = sum(counts.values())
        return cls({p: counts.get(p, 0.0) / total for p in PROGRAMS})

    @property
    def majority(self) -> str:
        return max(self.shares, key=lambda p: self.shares[p])

    @property
    def rate(self) -> float:
        """How often the guess (the majority program, for every child) is right."""
        return self.shares[self.majority]

    def confidence(self, possible: Sequence[str]) -> float:
        """How often an analyst who narrowed a child to `possible` is right guessing the likeliest of
        them (the margins' shares, renormalised over what is left)."""
        left = sum(self.shares[p] for p in possible)
        return max(self.shares[p] for p in possible) / left if left else 0.0
