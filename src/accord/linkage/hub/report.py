"""A run's report: one self-contained HTML file a data engineer opens in a browser, offline.

It shows the run's figures (figures.py) and its training steps: file names, counts, encodings and
comparison names, probabilities, m and u. It is built from `LinkRun.training` and
`LinkRun.figures` only, never from the result, so no record id can reach it.

The charts are Splink's own Vega-Lite specs, and one of the links by band; they are drawn by the
Vega, Vega-Lite and Vega-Embed bundles that Splink ships for its offline charts, written into the
file (about 0.9 MB), so the file loads nothing from the network. The tables carry the same figures
for a reader without JavaScript.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any

# Splink inlines these bundles in `SplinkChart.to_html(inline=True)`; taken once here rather than
# once per chart. A private name, pinned by splink>=5,<6; the report's test fails if it moves.
from splink.internals.html_utils import load_chart_libraries

from accord.linkage.file_contract import atomic_path

if TYPE_CHECKING:
    from accord.linkage.hub.figures import RunFigures
    from accord.linkage.hub.link import LinkRun

TITLES = {"link": "Linking two files one-to-one", "dedupe": "Duplicates within one file",
          "cluster": "Clustering the records of several files"}
STYLE = """body{font-family:system-ui,sans-serif;margin:2rem auto;max-width:60rem;color:#222}
table{border-collapse:collapse;margin:.5rem 0 1.5rem}th,td{border:1px solid #ccc;padding:.25rem .6rem}
th{text-align:left;background:#f4f4f4}td.n{text-align:right;font-variant-numeric:tabular-nums}
.chart{margin:1rem 0 2rem}"""


def _table(head: tuple[str, ...], rows: list[tuple[object, ...]], table_id: str = "") -> str:
    """An HTML table; numbers right-aligned, every cell escaped."""
    def cell(value: object) -> str:
        if isinstance(value, int):
            return f'<td class="n">{value:,}</td>'
        return f"<td>{escape(str(value))}</td>"
    ident = f' id="{table_id}"' if table_id else ""
    header = "".join(f"<th>{escape(h)}</th>" for h in head)
    body = "".join(f"<tr>{''.join(cell(v) for v in row)}</tr>" for row in rows)
    return f"<table{ident}><tr>{header}</tr>{body}</table>"


def _pairs(figures: RunFigures) -> str:
    rows: list[tuple[object, ...]] = [
        ("candidate pairs compared (from the blocking rules)", figures.compared),
        (f"scored below the threshold ({figures.threshold:g})", figures.below),
        (f"scored at or above the threshold ({figures.threshold:g})", figures.scored)]
    if figures.run == "link":
        rows.append(("of those, set aside by the one-to-one assignment", figures.set_aside))
    return _table(("pairs", "how many"), rows, "pairs")


def _band_spec(figures: RunFigures) -> dict[str, Any]:
    """A bar chart of the bands, drawn from the counts alone."""
    values = [{"band": "below threshold", "pairs": figures.below},
              *({"band": band, "pairs": n} for band, n in figures.bands)]
    return {"$schema": "https://vega.github.io/schema/vega-lite/v5.json",
            "title": f"Candidate pairs below the threshold, and {figures.kept} by match probability",
            "data": {"values": values}, "mark": "bar", "width": 400,
            "encoding": {
                "x": {"field": "band", "type": "nominal", "sort": None, "title": "match probability"},
                "y": {"field": "pairs", "type": "quantitative", "title": "pairs"}}}


def _levels(figures: RunFigures) -> str:
    def number(value: float | None) -> str:
        return "–" if value is None else f"{value:.4g}"
    rows: list[tuple[object, ...]] = [(comparison, level, *(number(v) for v in values))
                                      for comparison, level, *values in figures.levels]
    return _table(("comparison", "level", "m", "u", "match weight"), rows, "levels")


def _script_json(value: object) -> str:
    """JSON inside a script element: no "<", ">" or "&" that could end it."""
    return json.dumps(value).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _sized(spec: dict[str, Any]) -> dict[str, Any]:
    """The spec with the default view size Splink's own chart pages give (300 x 300)."""
    config = spec.get("config", {})
    view = {"continuousWidth": 300, "continuousHeight": 300, **config.get("view", {})}
    return {**spec, "config": {**config, "view": view}}


def _charts(specs: list[tuple[str, dict[str, Any]]]) -> str:
    parts = []
    for i, (title, spec) in enumerate(specs):
        parts.append(f'<h3>{escape(title)}</h3><div class="chart" data-spec="spec-{i}"></div>'
                     f'<script type="application/json" id="spec-{i}">{_script_json(_sized(spec))}</script>')
    return "".join(parts)


# Every chart div is drawn from its spec; actions off, since they offer to send the spec to the online
# Vega editor.
DRAW = """<script>document.querySelectorAll("div.chart").forEach(function (div) {
  var spec = JSON.parse(document.getElementById(div.dataset.spec).textContent);
  vegaEmbed(div, spec, {actions: false}).catch(function (err) { div.textContent = String(err); });
});</script>"""


def render(run: LinkRun) -> str:
    """The report of `run` as one HTML document."""
    figures = run.figures
    bundles = load_chart_libraries()  # type: ignore[no-untyped-call]
    libraries = "".join(f"<script>{source}</script>" for source in bundles.values())
    written = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return "".join([
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">',
        f"<title>Accord linkage report</title><style>{STYLE}</style></head><body>",
        f"<h1>Accord linkage report: {escape(TITLES[figures.run])}</h1>",
        f"<p>Written {written}. Figures only: file names, counts, encoding and comparison names, "
        "probabilities, m and u; no record id and no encoding value.</p>",
        "<h2>Files</h2>", _table(("file", "records"), list(figures.files), "files"),
        "<h2>What every file carries</h2><p>", escape(", ".join(figures.carried)), "</p>",
        "<h2>Training</h2>", _table(("step", "outcome"), list(run.training.steps), "training"),
        "<h2>Pairs</h2>", _pairs(figures),
        f"<h2>{escape(figures.kept.capitalize())} by match probability</h2>",
        _table(("match probability", figures.kept), list(figures.bands), "bands"),
        "<h2>Model: m, u and match weight of each comparison level</h2>", _levels(figures),
        "<noscript><p>The charts below need JavaScript; the tables above give the same figures.</p>",
        "</noscript>",
        "<h2>Charts</h2>", libraries,
        _charts([("Pairs by match probability", _band_spec(figures)), *figures.charts]),
        DRAW, "</body></html>"])


def write_report(run: LinkRun, target: Path) -> None:
    """Write the report of `run` to `target`, whole or not at all (as the links file is)."""
    with atomic_path(target) as temp:
        temp.write_text(render(run), encoding="utf-8")
