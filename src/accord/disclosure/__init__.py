"""Disclosure control for research studies (issue 18): every aggregate result of a study passes
primary suppression, complementary suppression (an exact MILP), query auditing against the study's
earlier releases and rounding before anyone sees it. Pure: numpy and SciPy, no store, no I/O.

A release (`Released`) is a table plus one outcome per cell, whichever engine produced it.
"""

from accord.disclosure.control import control
from accord.disclosure.history import AuditHistory, HistoryUnreadable, Relabel
from accord.disclosure.labels import RecordLabels
from accord.disclosure.outcome import CellOutcome, Released, ReleasedRow, Status
from accord.disclosure.rules import Rules, RuleSetInvalid
from accord.disclosure.table import Contributions, Measure, Parts, Row, Table, TableInvalid

__all__ = ["AuditHistory", "CellOutcome", "Contributions", "HistoryUnreadable", "Measure", "Parts",
           "RecordLabels", "Relabel", "Released", "ReleasedRow", "Row", "RuleSetInvalid", "Rules", "Status",
           "Table", "TableInvalid", "control"]
