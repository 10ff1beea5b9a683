"""The demo workflow: build a synthetic county, store it, and run scripted decisions.

Every decision goes through `accord.policy.decide`, on the facts a real request would get:
read from the database with `load_facts` when the county is stored, or assembled by the
FactIndex when the demo runs in memory (tests, previews).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date

from sqlalchemy import Engine

from accord.policy import DisclosureRequest, Facts, decide
from accord.store.db import make_session_factory, session_scope
from accord.store.facts import load_facts
from accord.synth import County, build_county
from accord.workflows.demo_report import DemoReport, DemoResult, result_of, summarize
from accord.workflows.demo_script import scenarios
from accord.workflows.demo_store import index_of, store_county

FactSource = Callable[[DisclosureRequest], Facts]


def decide_scenarios(county: County, facts_for: FactSource) -> tuple[DemoResult, ...]:
    """Run every scripted situation through decide() on the facts `facts_for` assembles."""
    out = []
    for s in scenarios(county):
        facts = facts_for(s.request)
        if s.state is not None:  # the situation is about a different state election
            facts = replace(facts, state=s.state)
        out.append(result_of(s, decide(s.request, facts), county))
    return tuple(out)


def _report(county: County, results: tuple[DemoResult, ...], stored_in: str | None) -> DemoReport:
    return DemoReport(as_of=county.as_of.isoformat(), seed=county.seed,
                      county=summarize(county), results=results, persisted_to=stored_in)


def run_demo(engine: Engine | None, *, as_of: date, seed: int = 7,
             students: int = 3000) -> DemoReport:
    """Build the county; with an engine, store it and decide on facts read back from the
    database, otherwise decide on the county in memory."""
    county = build_county(seed, students, as_of=as_of)
    if engine is None:
        return _report(county, decide_scenarios(county, index_of(county).facts_for), None)
    store_county(engine, county)
    with session_scope(make_session_factory(engine)) as session:
        results = decide_scenarios(county, lambda request: load_facts(session, request))
    return _report(county, results, engine.url.render_as_string(hide_password=True))
