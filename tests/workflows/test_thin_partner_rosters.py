"""Partner rosters as they come (issue 16): two rows, no postcode column, or one placeholder ZIP
everywhere. Each loads and links on what it carries; the lookup model is trained, the run is in
the ledger, and the partner's encodings are deleted, as for any roster."""

from __future__ import annotations

import csv

import pytest

from tests.workflows.intake_hub import Hub, body
from tests.workflows.test_stopped_loads import _students


def _thin(cols: list[str], rows: list[list[str]], case: str) -> tuple[list[str], list[list[str]]]:
    i = cols.index("postcode")
    if case == "two rows":
        return cols, rows[:2]
    if case == "no postcode column":
        return cols[:i] + cols[i + 1:], [r[:i] + r[i + 1:] for r in rows]
    return cols, [[*r[:i], "00000", *r[i + 1:]] for r in rows]


@pytest.mark.parametrize("case", ["two rows", "no postcode column", "ZIP 00000 everywhere"])
def test_a_thin_partner_roster_loads_and_links(hub: Hub, case: str) -> None:
    copy, encodings = _students(hub, 600)
    hub.ok("intake", "load", "--agency", "lea", "--kind", "students", "--in", str(copy),
           "--encoded", str(encodings))
    with (hub.root / "students-0.csv").open(encoding="utf-8", newline="") as handle:
        header, *rows = list(csv.reader(handle))
    cols, kept = _thin(header[:-1], [[f"H{r[0]}", *r[1:-1]] for r in rows[:150]], case)
    copy, encodings = hub.submission(hub.write_csv("health.csv", cols, kept))
    shown = hub.ok("intake", "load", "--agency", "health", "--kind", "roster", "--element",
                   "clinical_conditions", "--in", str(copy), "--encoded", str(encodings))
    assert "Traceback" not in shown
    assert (hub.roster("lea").parent / "lookup-health.json").exists() and not hub.roster("health").exists()
    [run] = [body(e) for e in hub.ledger() if e["kind"] == "linkage_run"]
    assert run["rosters"] == {"health": len(kept), "lea": 600}
