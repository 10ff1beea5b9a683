"""The demo's case-level part on the command line: the agency side's encoder and keys, and how
the three case requests are shown (students by internal id only)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from rich.console import Console
from sqlalchemy import Engine

from accord.config import content_key_file
from accord.domain.elements import CATALOG
from accord.linkage.encode.keys import generate_key
from accord.linkage.hub_copy import write_hub_copy
from accord.linkage.pipeline import encode_people
from accord.store.crypto import ContentCipher, generate_content_key_file, load_content_cipher
from accord.synth import County
from accord.workflows.demo_case import CaseResult, Node, run_case_demo
from accord.workflows.demo_report import DemoReport


def _cipher() -> ContentCipher:
    path = content_key_file()
    return load_content_cipher() if path.exists() else generate_content_key_file(path)


def case_demo(engine: Engine, county: County) -> tuple[CaseResult, ...]:
    """Run the case-level demo with a fresh shared linkage key (the agencies' side) and the
    hub's content key (made on first use, beside the database)."""
    key = generate_key()

    def encode(people: list[dict[str, str]], out: Path, agreement: str) -> None:
        encode_people(people, out, key, agreement=agreement)

    # The agencies' own files (identities in the clear) live only for the run, never at the hub.
    with tempfile.TemporaryDirectory(prefix="accord-demo-agencies-") as folder:
        return run_case_demo(engine, county, Node(encode, write_hub_copy), _cipher(), Path(folder))


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
