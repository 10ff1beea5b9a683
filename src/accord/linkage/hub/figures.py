"""What a run measured, for its report (`report.py`): counts, probabilities, m and u, never a record.

The figures are taken inside the run, while Splink's tables still exist (the backend closes when the
run returns), and hold nothing that names a record: file names, the encodings carried, counts of
pairs, counts of links by band of match probability, and Splink's own charts of the model (Vega-Lite
specs whose data are comparison and level names, SQL conditions on column names, m, u and weights)
and of the scored pairs' match weights (counts per bin).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from splink.internals.splink_dataframe import SplinkDataFrame

from accord.linkage.hub.query import count_rows

if TYPE_CHECKING:
    from accord.linkage.hub.link import Job

# The bands a data engineer reads links by; those at or below the run's threshold are left out.
BAND_EDGES = (0.9, 0.99)
# The links file writes probabilities to six decimals; links are banded as written, so the
# report's counts are those anyone recounts from the file.
DECIMALS = 6


# (comparison, level, m, u, match weight); None where Splink has no estimate
Level = tuple[str, str, float | None, float | None, float | None]
Chart = tuple[str, dict[str, Any]]  # (title, Vega-Lite spec as plain JSON data)


@dataclass(frozen=True, slots=True)
class RunFigures:
    """A run's figures: what it read, what it compared and what it kept, and Splink's charts."""

    run: str  # what was asked: "link", "dedupe" or "cluster"
    files: tuple[tuple[str, int], ...]  # (file name, records)
    carried: tuple[str, ...]  # encodings with values in enough records of every file
    threshold: float
    compared: int  # candidate pairs the blocking rules gave, each scored once
    scored: int  # of them, at or above the threshold
    kept: str  # what the bands count: "links", "duplicate pairs", "scored pairs"
    bands: tuple[tuple[str, int], ...]  # (band of match probability, how many)
    levels: tuple[Level, ...]  # m, u and match weight of every comparison level
    charts: tuple[Chart, ...]  # Splink's charts

    @property
    def below(self) -> int:
        """Candidate pairs scored below the threshold."""
        return self.compared - self.scored

    @property
    def set_aside(self) -> int:
        """Pairs at or above the threshold that the assignment did not keep (one-to-one links)."""
        return self.scored - sum(n for _, n in self.bands)


def band_limits(threshold: float) -> list[tuple[float, float]]:
    """[low, high) bands from the threshold up; the last one closed at 1."""
    edges = [threshold, *(e for e in BAND_EDGES if e > threshold)]
    return list(zip(edges, [*edges[1:], math.inf], strict=True))


def band_label(low: float, high: float) -> str:
    return f"≥ {low:g}" if math.isinf(high) else f"{low:g} – {high:g}"


def bands(probabilities: Iterable[float], threshold: float) -> tuple[tuple[str, int], ...]:
    """How many of `probabilities` fall in each band, read at the links file's precision."""
    limits = band_limits(threshold)
    counts = [0] * len(limits)
    for p in probabilities:
        # Every kept pair is at or above the threshold, whatever rounding does to a threshold
        # given with more decimals than the file has.
        written = max(round(float(p), DECIMALS), threshold)
        for i, (low, high) in enumerate(limits):
            if low <= written < high:
                counts[i] += 1
                break
    return tuple((band_label(low, high), n) for (low, high), n in zip(limits, counts, strict=True))


def _plain(value: Any) -> Any:
    """JSON data as the browser's JSON.parse reads it: DuckDB's Decimal bins as numbers, and an
    infinite or undefined weight (a level no pair reached) as null."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, Decimal):
        value = float(value)
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if hasattr(value, "item"):  # numpy scalars from pandas
        return _plain(value.item())
    return value


def splink_charts(job: Job, predictions: SplinkDataFrame, scored: int) -> tuple[Chart, ...]:
    """Splink's charts of the trained model, and its histogram of the scored pairs' match weights
    (only pairs at or above the threshold are scored into a table; none, no histogram)."""
    charts = job.linker.visualisations
    found = [("Match weights of each comparison level", charts.match_weights_chart().chart_dict),
             ("m and u of each comparison level", charts.m_u_parameters_chart().chart_dict)]
    if scored:
        found.append(("Match weights of the pairs at or above the threshold",
                      charts.match_weights_histogram(predictions).chart_dict))
    return tuple((title, _plain(spec)) for title, spec in found)


def levels(match_weights: dict[str, Any]) -> tuple[Level, ...]:
    """The comparison levels of the data of Splink's match-weights chart (the prior left out)."""
    return tuple((r["comparison_name"], r["label_for_charts"], r["m_probability"], r["u_probability"],
                  r["log2_bayes_factor"]) for r in match_weights["data"]["values"]
                 if r["comparison_name"] != "probability_two_random_records_match")


def measure(job: Job, run: str, names: list[str], compared: int, predictions: SplinkDataFrame,
            kept: str, probabilities: Iterable[float], threshold: float) -> RunFigures:
    """The figures of a run whose blocking gave `compared` pairs, scored into `predictions` (pairs
    at or above `threshold`), of which it kept `kept` ("links"...) with these `probabilities`."""
    scored = count_rows(job.linker, predictions.physical_name)
    charts = splink_charts(job, predictions, scored)
    return RunFigures(run=run, files=tuple(zip(names, job.carried.rows, strict=True)),
                      carried=tuple(sorted(job.carried.columns)), threshold=threshold,
                      compared=compared, scored=scored, kept=kept, bands=bands(probabilities, threshold),
                      levels=levels(charts[0][1]), charts=charts)
