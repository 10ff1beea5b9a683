"""The demo workflow: build a synthetic county, store it, and run scripted decisions.

Every decision goes through `accord.policy.decide`, on the facts a real request would get:
read from the database with `load_facts` when the county is stored (and then recorded in the
ledger, as every real decision is), or assembled by the FactIndex when the demo runs in memory.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from accord.policy import Decision, DisclosureRequest, Facts, decide
from accord.store.db import make_session_factory, session_scope
from accord.store.facts import load_facts
from accord.synth import County, build_county
from accord.workflows.demo_case import CaseResult
from accord.workflows.demo_crosscheck import CrossCheckShown
from accord.workflows.demo_report import (
    DemoReport,
    DemoResult,
    LedgerSummary,
    result_of,
    summarize,
)
from accord.workflows.demo_script import scenarios
from accord.workflows.demo_store import index_of, store_county
from accord.workflows.demo_study import StudyShown
from accord.workflows.disclosure import decide_and_record
from accord.workflows.ledger import checkpoint, verify
from accord.workflows.ledger_marks import keep_mark

FactSource = Callable[[DisclosureRequest], Facts]


Decider = Callable[[DisclosureRequest, Facts], Decision]
CaseDemo = Callable[[Engine, County], tuple[CaseResult, ...]]  # see demo_case.run_case_demo
CrossCheckDemo = Callable[[Engine, County], CrossCheckShown]  # see demo_crosscheck.run_crosscheck_demo
StudyDemo = Callable[[Engine, County], StudyShown]  # see demo_study.run_study_demo
AtHub = Callable[[County], County]  # the county as the school's node sends it to the hub


def decide_scenarios(county: County, facts_for: FactSource,
                     decider: Decider = decide) -> tuple[DemoResult, ...]:
    """Run every scripted situation through `decider` on the facts `facts_for` assembles."""
    out = []
    for s in scenarios(county):
        facts = facts_for(s.request)
        if s.state is not None:  # the situation is about a different state election
            facts = replace(facts, state=s.state)
        out.append(result_of(s, decider(s.request, facts), county))
    return tuple(out)


def _report(county: County, results: tuple[DemoResult, ...], stored_in: str | None,
            ledger: LedgerSummary | None = None) -> DemoReport:
    return DemoReport(as_of=county.as_of.isoformat(), seed=county.seed,
                      county=summarize(county), results=results, persisted_to=stored_in,
                      ledger=ledger)


def run_demo(engine: Engine | None, *, as_of: date, seed: int = 7, students: int = 3000,
             key: Ed25519PrivateKey | None = None, witnesses: Path | None = None,
             cases: CaseDemo | None = None, crosscheck: CrossCheckDemo | None = None,
             study: StudyDemo | None = None, at_hub: AtHub | None = None,
             mark: Path | None = None) -> DemoReport:
    """Build the county; with an engine, store it (as `at_hub` gives it: the school's node
    renames its students to their pseudonyms, ADR 0022), decide on facts read back from the
    database and record every decision in the ledger; with `cases`, then run the case-level
    releases from files (given the county as the agencies know it), and with `crosscheck` the
    eligibility cross-check, and with `study` a research study's question; with a key too, end by
    signing a checkpoint, handing copies to the agencies (under `witnesses`) and verifying the
    ledger (keeping the verification's signed mark at `mark`, for the office's dashboard). Without an
    engine, decide on the county in memory."""
    county = build_county(seed, students, as_of=as_of)
    if engine is None:
        return _report(county, decide_scenarios(county, index_of(county).facts_for), None)
    known = county  # as the agencies know it; the hub holds what the school's node sends
    county = at_hub(known) if at_hub is not None else known
    store_county(engine, county)
    factory = make_session_factory(engine)
    with session_scope(factory) as session:
        results = decide_scenarios(
            county, lambda request: load_facts(session, request),
            lambda request, facts: decide_and_record(session, request, facts)[0])
    released = cases(engine, known) if cases is not None else ()
    crosschecked = crosscheck(engine, known) if crosscheck is not None else None
    studied = study(engine, known) if study is not None else None
    summary = None
    if key is not None and witnesses is not None:
        with session_scope(factory) as session:
            summary = _sign_and_verify(session, key, witnesses, mark)
    report = _report(county, results, engine.url.render_as_string(hide_password=True), summary)
    return replace(report, cases=released, crosscheck=crosschecked, study=studied)


def _sign_and_verify(session: Session, key: Ed25519PrivateKey, witnesses: Path,
                     mark: Path | None) -> LedgerSummary:
    cp, copies = checkpoint(session, key, witnesses)
    report = verify(session, [(f"witness {p}", cp) for p in copies], cp.public_key)
    if mark is not None:
        keep_mark(report, key, mark)
    first = report.first
    return LedgerSummary(entries=report.entries, root=report.root, key_id=cp.key_id,
                         signed_at=cp.signed_at, verified=report.ok, witness_copies=len(copies),
                         first_problem=None if first is None else first.text)
