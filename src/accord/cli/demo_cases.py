"""The demo's case-level part on the command line: the agencies' nodes (each in its own folder
beside the hub's data directory, with its copy of the linkage key, its files and what it sent the
hub), and how the three case requests are shown (students by internal id only)."""

from __future__ import annotations

import shutil
from pathlib import Path

from rich.console import Console
from sqlalchemy import Engine

from accord.config import LINKAGE_KEY_FILENAME, content_key_file, data_dir
from accord.domain.elements import CATALOG
from accord.linkage.encode.keys import generate_key, write_key_file
from accord.linkage.hub_copy import write_hub_copy
from accord.linkage.pipeline import encode_people
from accord.store.crypto import ContentCipher, generate_content_key_file, load_content_cipher
from accord.synth import County
from accord.workflows.demo_case import CaseResult, Node, run_case_demo
from accord.workflows.demo_report import DemoReport


def _cipher() -> ContentCipher:
    path = content_key_file()
    return load_content_cipher() if path.exists() else generate_content_key_file(path)


DEMO_NODES = "accord-demo-nodes"


def demo_nodes() -> Path:
    """Where the demo's agency nodes live: beside the hub's data directory, never inside it."""
    return data_dir().absolute().parent / DEMO_NODES


def case_demo(engine: Engine, county: County) -> tuple[CaseResult, ...]:
    """Run the case-level demo with a fresh shared linkage key (the agencies' side) and the
    hub's content key (made on first use, beside the database)."""
    key = generate_key()
    nodes = demo_nodes()
    shutil.rmtree(nodes, ignore_errors=True)  # the last demo's nodes: synthetic files only

    def encode(people: list[dict[str, str]], out: Path, agreement: str) -> None:
        held = out.parent / LINKAGE_KEY_FILENAME  # each node holds its copy of the agencies' secret
        if not held.exists():
            write_key_file(held, key)
        encode_people(people, out, key, agreement=agreement)

    return run_case_demo(engine, county, Node(encode, write_hub_copy), _cipher(), nodes)


def show_where(console: Console) -> None:
    """What lives where: the hub's directory and each agency node's."""
    console.rule("[bold]Where things live: the hub and the agencies' nodes, apart")
    console.print(f"The hub: {data_dir()} (database, content key, ledger signing key, each agreement's "
                  "encoded school roster and lookup models). No linkage key, no name, no birth date.",
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
