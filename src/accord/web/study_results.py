"""A study's answer as the page shows it: a table (each cell's figure, or the word "suppressed" and
why) and the geometry of a horizontal bar chart of the same cells, drawn as inline SVG by the
template (studies/_chart.html). Presentation only: what is withheld was decided by disclosure control
before the answer reached the page; here a withheld cell is only drawn as withheld."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

SUPPRESSED = ("suppressed_primary", "suppressed_complementary")
# The chart's frame, in SVG user units (it scales to the page's width).
LABEL_W, BAR_W, VALUE_W, ROW_H, TOP = 170, 360, 150, 30, 10


@dataclass(frozen=True, slots=True)
class Cell:
    value: float | None
    text: str  # "145", "146 (±4)", or "" when withheld
    status: str
    detail: str
    error: float | None

    @property
    def suppressed(self) -> bool:
        return self.value is None and self.status in SUPPRESSED


@dataclass(frozen=True, slots=True)
class Line:
    key: list[str]
    cells: list[Cell]


@dataclass(frozen=True, slots=True)
class Bar:
    label: str
    y: int
    width: float  # 0 for a withheld cell: it is drawn as an outlined empty box with the word
    cell: Cell
    low: float | None = None  # the 95% interval's ends, in user units, under differential privacy
    high: float | None = None


@dataclass(frozen=True, slots=True)
class Shown:
    group_by: list[str]
    measures: list[str]
    lines: list[Line]
    bars: list[Bar]
    height: int
    suppressed: int  # how many cells are withheld
    statuses: list[str]  # the distinct statuses, for the legend
    noised: bool
    synthetic: bool

    @property
    def hidden_bars(self) -> int:
        return sum(b.cell.value is None for b in self.bars)

    label_w: int = LABEL_W
    bar_w: int = BAR_W
    value_w: int = VALUE_W


def _number(value: float, measure: str) -> str:
    if measure == "count" or value == round(value):
        return f"{value:,.0f}"
    return f"{value:,.3f}".rstrip("0").rstrip(".")


def _cell(value: Any, measure: str, outcome: dict[str, Any]) -> Cell:
    status, error = str(outcome.get("status", "released")), outcome.get("error")
    if value is None:
        return Cell(None, "", status, str(outcome.get("detail", "")), None)
    text = _number(float(value), measure)
    if error is not None:
        text += f" (±{_number(float(error), measure)})"
    return Cell(float(value), text, status, str(outcome.get("detail", "")),
                float(error) if error is not None else None)


def shown(spec: dict[str, Any], result: dict[str, Any]) -> Shown:
    """The table and the chart (of the first measure) of an answer to `spec`."""
    group_by, measures = list(spec.get("group_by", [])), list(spec.get("measures", []))
    outcomes = {(c["row"], c["measure"]): c for c in result.get("cells", [])}
    lines = [Line([str(row.get(d, "")) for d in group_by],
                  [_cell(row.get(m), m, outcomes.get((i, m), {})) for m in measures])
             for i, row in enumerate(result.get("rows", []))]
    cells = [c for line in lines for c in line.cells]
    return Shown(group_by, measures, lines, _bars(lines), TOP * 2 + ROW_H * max(1, len(lines)),
                 sum(c.suppressed for c in cells), sorted({c.status for c in cells}),
                 any(c.error is not None for c in cells), bool(result.get("twin")))


def _bars(lines: list[Line]) -> list[Bar]:
    firsts = [line.cells[0] for line in lines if line.cells]
    top = max([(c.value or 0.0) + (c.error or 0.0) for c in firsts] + [0.0])
    scale = BAR_W / top if top > 0 else 0.0
    bars = []
    for i, line in enumerate(lines):
        if not line.cells:
            continue
        cell, y = line.cells[0], TOP + i * ROW_H
        label = " · ".join(line.key)  # empty: one figure over everyone (named by the template)
        if cell.value is None:
            bars.append(Bar(label, y, 0.0, cell))
            continue
        value = max(cell.value, 0.0)
        low = high = None
        if cell.error is not None:
            low, high = max(0.0, cell.value - cell.error) * scale, (cell.value + cell.error) * scale
        bars.append(Bar(label, y, value * scale, cell, low, high))
    return bars
