"""The demo workflow: build a synthetic county, store it, and run scripted decisions.

Every decision goes through `accord.policy.decide`, on facts assembled by the FactIndex
exactly as a real request would get them.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from accord.policy import decide
from accord.policy.fact_index import FactIndex
from accord.synth import County, build_county
from accord.workflows.demo_report import DemoReport, DemoResult, result_of, summarize
from accord.workflows.demo_script import scenarios
from accord.workflows.demo_store import index_of, persist_and_reload


def decide_scenarios(county: County, index: FactIndex) -> tuple[DemoResult, ...]:
    """Run every scripted situation through decide() on the facts the index assembles."""
    out = []
    for s in scenarios(county):
        facts = index.facts_for(s.request)
        if s.state is not None:  # the situation is about a different state election
            facts = replace(facts, state=s.state)
        out.append(result_of(s, decide(s.request, facts), county))
    return tuple(out)


def run_county_demo(county: County, index: FactIndex,
                    persisted_to: str | None = None) -> DemoReport:
    """The report for a county whose facts are already indexed."""
    return DemoReport(as_of=county.as_of.isoformat(), seed=county.seed,
                      county=summarize(county), results=decide_scenarios(county, index),
                      persisted_to=persisted_to)


def run_demo(engine: object | None, *, as_of: date, seed: int = 7,
             students: int = 3000) -> DemoReport:
    """Build the county, store it through the store's repositories when an engine is given,
    read the facts back from the store, and decide every scripted situation on them."""
    county = build_county(seed, students, as_of=as_of)
    if engine is None:
        return run_county_demo(county, index_of(county))
    index, where = persist_and_reload(engine, county)
    return run_county_demo(county, index, where)
