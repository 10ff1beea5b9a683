"""The demo's case-level part on the command line: the agencies' nodes (each in its own folder
beside the hub's data directory, with its copy of the linkage key, its files and what it sent the
hub), and how the three case requests are shown (students by internal id only)."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import partial
from pathlib import Path

from rich.console import Console
from rich.table import Table
from sqlalchemy import Engine

from accord.cli.common import settings
from accord.config import LINKAGE_KEY_FILENAME, PSEUDONYM_KEY_FILENAME
from accord.domain.elements import CATALOG
from accord.node import (
    Pseudonymiser,
    copy_for_hub,
    encode_people_for,
    keep_node_key,
    make_node_key,
    make_school_pseudonym_key,
    node_pseudonyms,
    resolve_results,
)
from accord.store.crypto import ContentCipher, generate_content_key_file, load_content_cipher
from accord.synth import County
from accord.workflows.demo_case import SCHOOL, CaseResult, Node, run_case_demo
from accord.workflows.demo_crosscheck import AGREEMENT as CROSSCHECK
from accord.workflows.demo_crosscheck import PROGRAM_AGENCY, CrossCheckShown, run_crosscheck_demo
from accord.workflows.demo_report import DemoReport
from accord.workflows.demo_study import StudyShown, run_study_demo
from accord.workflows.hub_files import HubFiles


def _cipher() -> ContentCipher:
    config = settings()
    path = config.content_key_file
    return load_content_cipher(config) if path.exists() else generate_content_key_file(path)


DEMO_NODES = "accord-demo-nodes"


def demo_nodes() -> Path:
    """Where the demo's agency nodes live: beside the hub's data directory, never inside it."""
    return settings().data_dir.absolute().parent / DEMO_NODES


def school_node() -> Pseudonymiser:
    """Set up the demo's nodes afresh (the last demo's hold synthetic files only) with the school's
    pseudonym key in its node: the hub is to hold the county under those pseudonyms (ADR 0022)."""
    config = settings()
    nodes = demo_nodes()
    shutil.rmtree(nodes, ignore_errors=True)
    key = nodes / SCHOOL / PSEUDONYM_KEY_FILENAME
    make_school_pseudonym_key(key, config.data_dir)
    return node_pseudonyms(key, config.data_dir)


def _nodes(school: Pseudonymiser) -> Node:
    """The agencies' nodes for the demo: one shared linkage key (made by the first node that needs
    it, a copy in each node's folder), the school's `pseudonyms` (from `school_node`), and for the
    program agency of the cross-check a pseudonym key of its own: its list reaches the hub under
    pseudonyms too (case numbers are identifiers)."""
    config = settings()
    shared: list[bytes] = []
    own = {SCHOOL: school}

    def pseudonyms(agency: str) -> Pseudonymiser | None:
        if agency == PROGRAM_AGENCY and agency not in own:
            key = demo_nodes() / agency / PSEUDONYM_KEY_FILENAME
            make_school_pseudonym_key(key, config.data_dir)
            own[agency] = node_pseudonyms(key, config.data_dir)
        return own.get(agency)

    def encode(agency: str, people: list[dict[str, str]], out: Path, agreement: str) -> None:
        held = out.parent / LINKAGE_KEY_FILENAME  # each node holds its copy of the agencies' secret
        if not shared:
            shared.append(make_node_key(held, config.data_dir))
        elif not held.exists():
            keep_node_key(shared[0], held, config.data_dir)
        encode_people_for(people, out, shared[0], agreement, pseudonyms(agency))

    def hub_copy(agency: str, source: Path, out: Path) -> int:
        # Months of turning 18 only when near, as every node's copy gives them (ADR 0030).
        return copy_for_hub(source, out, pseudonyms(agency), date.today())

    return Node(encode, hub_copy)


def case_demo(node: Node, engine: Engine, county: County) -> tuple[CaseResult, ...]:
    """Run the case-level demo with the agencies' `node`s and the hub's content key (made on
    first use, beside the database)."""
    return run_case_demo(engine, HubFiles(settings().hub_dir), county, node, _cipher(), demo_nodes())


def crosscheck_demo(node: Node, school: Pseudonymiser, engine: Engine, county: County) -> CrossCheckShown:
    """Run the demo's cross-check; the school's node resolves its results (with `school`, its
    pseudonyms) into the list its meal-benefit system imports."""
    def resolve(results: Path, own_file: Path, out: Path) -> int:
        return resolve_results(results, own_file, school, out)

    return run_crosscheck_demo(engine, HubFiles(settings().hub_dir), county, node, demo_nodes(), resolve)


def study_demo(node: Node, engine: Engine, county: County) -> StudyShown:
    """Run the demo's study (after the cross-check: the department's node sends the same list)."""
    return run_study_demo(engine, HubFiles(settings().hub_dir), county, node, demo_nodes(), _cipher())


@dataclass(frozen=True, slots=True)
class DemoParties:
    """The demo's parts that run as the agencies' nodes and the hub would, sharing the nodes."""

    cases: Callable[[Engine, County], tuple[CaseResult, ...]]
    crosscheck: Callable[[Engine, County], CrossCheckShown]
    study: Callable[[Engine, County], StudyShown]


def demo_parties(school: Pseudonymiser) -> DemoParties:
    node = _nodes(school)
    return DemoParties(partial(case_demo, node), partial(crosscheck_demo, node, school),
                       partial(study_demo, node))


def show_where(console: Console) -> None:
    """What lives where: the hub's directory and each agency node's."""
    console.rule("[bold]Where things live: the hub and the agencies' nodes, apart")
    console.print(f"The hub: {settings().data_dir} (database, content key, ledger signing key, each "
                  "agreement's encoded school roster and lookup models). No linkage key, no name, no "
                  "birth date.",
                  highlight=False)
    for node in sorted(p for p in demo_nodes().iterdir() if p.is_dir()) if demo_nodes().exists() else []:
        console.print(f"Agency node {node.name}: {node} (its copy of the linkage key, its files with "
                      "names, and what it sent the hub: encodings and copies without names)",
                      highlight=False)


def show_cases(report: DemoReport, console: Console) -> None:
    """Each case request: how the child was found, what was decided and handed over."""
    if not report.cases:
        return
    console.rule("[bold]Case-level releases: files in, one child found by linkage, records out")
    console.print("The school loaded its students (identities encoded on its side, once per partner "
                  "agreement), attendance, marks and programs; the partners loaded their rosters, which the "
                  "hub linked once with the school's to learn how each records a child, then deleted (a run "
                  "in the ledger). Each request below describes the child as the partner knows them; the "
                  "hub matched the encodings, never the names.")
    for i, case in enumerate(report.cases, 1):
        o = case.outcome
        verdict = "[green]RELEASED[/]" if o.permitted else "[red]REFUSED[/]"
        console.print(f"\n[bold]{i}. {verdict}[/] {case.situation}")
        console.print(f"   child identified: {o.identification.value}; ledger entry #{o.entry_seq}")
        if o.decision is None:
            console.print(f"   [red]not met:[/] {o.refusal}")
            continue
        counts: dict[str, int] = {}
        for item in o.released:
            counts[item.element] = counts.get(item.element, 0) + 1
        handed = ", ".join(f"{CATALOG[e].label} ({n} item{'s' if n > 1 else ''})" for e, n in counts.items())
        console.print(f"   handed over: {handed or 'nothing'}")
        for reason in o.decision.failures:
            console.print(f"   [red]not met:[/] {reason.text} [dim]({reason.citation})[/]")
        if o.officer_notified:
            console.print("   the school's records officer was notified of this emergency release")
        if o.notice:
            console.print("   the redisclosure notice went with the records")


def show_crosscheck(report: DemoReport, console: Console) -> None:
    """The cross-check's report: counts only; the certified list stays at the school's node."""
    shown = report.crosscheck
    if shown is None:
        return
    r = shown.report
    console.rule("[bold]Eligibility cross-check: direct certification for school meals")
    console.print("The Department of Social Services and the school each encoded their list at their own "
                  "node and sent it under their own pseudonyms; the hub linked the encodings, decided each "
                  "child's release (the state's recorded lists: SNAP and TANF), recorded it, and deleted "
                  "both submissions. The school learns only \"directly certified\" and the program; the "
                  "department learns nothing under this agreement.")
    rate = r["match_rate"]
    console.print(f"   run {shown.run_id}: rosters {r['rosters']}; matches {r['matches']}", highlight=False)
    console.print(f"   certified: {r['certified']} ({r['by_program']}; by basis {r['by_basis']}); refused "
                  f"by the policy: {r['refused_by_policy'] or 'none'}", highlight=False)
    console.print(f"   match rate (school-age SNAP children found in enrollment): "
                  f"{rate['found_in_enrollment']} of {rate['snap_school_age']} = {rate['rate']}",
                  highlight=False)
    console.print(f"   the school's node resolved its results to its own student ids: {shown.certified_list} "
                  f"(`accord crosscheck report {shown.run_id}` shows the report again)", highlight=False)
    waiting = r["matches"]["review_pending"]
    if waiting:
        console.print(f"   {waiting} uncertain match(es) wait for the records officer's clerical review "
                      "(the department wrote one child's birth date day first, and the family moved): "
                      f"/crosschecks/{CROSSCHECK}/reviews, or `accord crosscheck review list --agreement "
                      f"{CROSSCHECK}`", highlight=False)


def show_study(report: DemoReport, console: Console) -> None:
    """The study's question and its released table: suppressed cells shown as such."""
    shown = report.study
    if shown is None:
        return
    console.rule("[bold]A research study: a policy question, answered with a safe table")
    console.print(f"Study {shown.study_id}: {shown.records:,} children under the study's own pseudonyms, "
                  "built after the school and the department each approved it. The university's analyst "
                  "asked: average attendance of children on SNAP or TANF and of the others, by grade. Cells "
                  "of fewer than ten children are suppressed, with any cell that would give one away.")
    rows, cells = shown.result["rows"], shown.result["cells"]
    status = {(c["row"], c["measure"]): c["status"] for c in cells}
    view = Table(title=f"Released (ledger entry #{shown.ledger_seq})", title_justify="left")
    for column in (*shown.question["group_by"], "children", "attendance rate"):
        view.add_column(column)
    for i, row in enumerate(rows):
        count, rate = row.get("count"), row.get("mean:attendance_rate")
        view.add_row(*(str(row[d]) for d in shown.question["group_by"]),
                     "suppressed" if count is None else f"{count:g}",
                     f"suppressed ({status.get((i, 'mean:attendance_rate'), '')})" if rate is None
                     else f"{rate:.1%}")
    console.print(view)
    if shown.held_release:
        console.print(f"The analyst's second question (by program alone) waits for output review as "
                      f"release {shown.held_release} ({'; '.join(shown.held_reasons)}): a records officer of "
                      "the school or the department approves or rejects it at /office/reviews; two approvals "
                      "release it.", highlight=False)
    if shown.private is not None:
        _show_private(shown, console)


def _show_private(shown: StudyShown, console: Console) -> None:
    """The same question to the study under differential privacy: noised figures, their intervals,
    the budget left."""
    result = shown.private
    assert result is not None
    errors = {(c["row"], c["measure"]): c["error"] for c in result["cells"]}
    console.print("The same question to a second study under differential privacy: no cell suppressed, "
                  "every figure noised by OpenDP's Gaussian mechanism, shown with its 95% interval.")
    view = Table(title=f"Released under differential privacy (ledger entry #{shown.private_seq})",
                 title_justify="left")
    for column in (*shown.question["group_by"], "children", "attendance rate"):
        view.add_column(column)
    for i, row in enumerate(result["rows"]):
        count, rate = row.get("count"), row.get("mean:attendance_rate")
        view.add_row(*(str(row[d]) for d in shown.question["group_by"]),
                     f"{count:g} +/- {errors[(i, 'count')]:.0f}",
                     "-" if rate is None else f"{rate:.1%} +/- {errors[(i, 'mean:attendance_rate')]:.1%}")
    console.print(view)
    budget = result["budget"]
    console.print(f"This table spent {budget['spent']:.2g} of the study's {budget['accounting']} budget; "
                  f"{budget['study_remaining']:.2g} is left (`accord study budget`).", highlight=False)
