"""The matching half of a cross-check run: the school's enrollment linked with each program's list
on encodings, each match put in its band, the records officer's earlier decisions applied, and
the children certified, with the program and the basis (ADR 0023). Reads files, writes nothing."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from accord.domain.agencies import Program
from accord.domain.crosscheck import Band, Basis, CrossCheck, ReviewStatus, first_program
from accord.linkage.hub.assigned import LINK_PROBABILITY
from accord.linkage.hub.link import LinkOptions, link_pairs
from accord.store.repositories.crosschecks import Review
from accord.workflows.crosscheck_submissions import ListedRecord

SEED = 1  # one seed for every run: the same submissions give the same certified children


@dataclass(frozen=True, slots=True)
class Match:
    """An enrolled child and a record on one agency's program list, with how sure the link is."""

    student_id: str
    agency_id: str
    record_id: str
    probability: float
    band: Band
    evidence: dict[str, Any]


@dataclass(frozen=True, slots=True)
class Certified:
    """Why a child is certified: the program the school is told, the basis, and the agency whose
    list it rests on (the source of the disclosure)."""

    program: Program
    basis: Basis
    agency_id: str


_ORDER = (Basis.MATCHED, Basis.REVIEWED, Basis.HOUSEHOLD)  # the strongest basis is the one reported


@dataclass(slots=True)
class Matching:
    """A run's matches and what came of them."""

    matches: list[Match] = field(default_factory=list)
    certified: dict[str, Certified] = field(default_factory=dict)  # by student
    # The matched record each certified child rests on, per program agency (what it may learn).
    matched_records: dict[str, dict[str, str]] = field(default_factory=dict)  # agency -> record -> student
    pending: list[Match] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=lambda: defaultdict(int))


def link_lists(crosscheck: CrossCheck, school: Path, lists: dict[str, Path], workspace: Path | None,
               backend: str = "duckdb", link_probability: bool = False) -> list[Match]:
    """Every match at or above the review floor between the enrollment and each agency's list,
    one-to-one per list, in a stable order (on DuckDB, or Spark for the scale-out path). A match's
    probability is Splink's pairwise one, or with `link_probability` that of a link of the
    one-to-one matching (linkage/hub/assignment.py), which stays calibrated as the rosters grow but
    on which the bands measured on Splink's scale lose precision (ADR 0023): not yet a run's."""
    options = LinkOptions(backend=backend, threshold=crosscheck.review_from, seed=SEED, workspace=workspace)
    scale = LINK_PROBABILITY if link_probability else "match_probability"
    matches = []
    for agency_id in sorted(lists):
        pairs = link_pairs(school, lists[agency_id], options, evidence=True, assigned=link_probability).result
        evidence_cols = [c for c in pairs.columns
                         if c not in ("left_id", "right_id", "match_probability", LINK_PROBABILITY)]
        for row in pairs.itertuples(index=False):
            values = row._asdict()
            probability = float(values[scale])
            band = crosscheck.band(probability)
            if band is None:
                continue
            evidence = {c: _plain(values[c]) for c in evidence_cols}
            matches.append(Match(str(values["left_id"]), agency_id, str(values["right_id"]), probability,
                                 band, evidence))
    return sorted(matches, key=lambda m: (m.student_id, m.agency_id, m.record_id))


def _plain(value: Any) -> Any:
    """A numpy scalar as the JSON value it stands for."""
    return value.item() if hasattr(value, "item") else value


def certify(crosscheck: CrossCheck, matches: list[Match], listed: dict[str, dict[str, ListedRecord]],
            reviews: list[Review]) -> Matching:
    """Who is certified, from what: certain matches and accepted reviews directly; an uncertain
    match of at least `household_from` into a program household another child of which is
    certified, by extended eligibility (USDA lets a household's other children share the
    certification, and the household corroborates the match); the rest waits for review."""
    decided = {(r.student_id, r.program_agency_id, r.program_record_id): r.status for r in reviews}
    out = Matching()
    direct: dict[str, set[tuple[Program, str, str]]] = defaultdict(set)
    uncertain: list[Match] = []
    for m in matches:
        status = decided.get((m.student_id, m.agency_id, m.record_id))
        out.matches.append(m)
        if m.band is Band.CERTAIN or status is ReviewStatus.ACCEPTED:
            basis = Basis.MATCHED if m.band is Band.CERTAIN else Basis.REVIEWED
            direct[m.student_id].add((listed[m.agency_id][m.record_id].program, basis.value, m.agency_id))
            out.counts[basis.value] += 1
            out.matched_records.setdefault(m.agency_id, {})[m.record_id] = m.student_id
        elif status is ReviewStatus.REJECTED:
            out.counts["review_rejected"] += 1
        else:
            uncertain.append(m)
    certified_households = {(agency, listed[agency][record].household)
                            for agency, records in out.matched_records.items() for record in records}
    for m in uncertain:
        household = listed[m.agency_id][m.record_id].household
        if (household and m.probability >= crosscheck.household_from
                and (m.agency_id, household) in certified_households and m.student_id not in direct):
            direct[m.student_id].add((listed[m.agency_id][m.record_id].program, Basis.HOUSEHOLD.value,
                                      m.agency_id))
            out.counts[Basis.HOUSEHOLD.value] += 1
            out.matched_records.setdefault(m.agency_id, {})[m.record_id] = m.student_id
        elif m.student_id not in direct:
            out.pending.append(m)
    for student_id, found in sorted(direct.items()):
        program = first_program({p for p, _, _ in found})
        _, strongest, agency_id = min((f for f in found if f[0] is program),
                                      key=lambda f: _ORDER.index(Basis(f[1])))
        out.certified[student_id] = Certified(program, Basis(strongest), agency_id)
    out.counts["review_pending"] = len(out.pending)
    return out
