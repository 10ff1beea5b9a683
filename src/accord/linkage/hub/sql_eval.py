"""The model's level conditions and blocking rules, evaluated in Python on one pair of records.

A case request scores one child against a few roster records. Handing DuckDB the model's SQL costs
more in planning (about 0.1 s for the 40 kB of conditions) than the scoring itself, so the lookup
parses each condition once, with sqlglot (Splink's own parser), into a Python function of a pair.

Only what the hub's model writes is understood (`linkage/hub/model.py`): columns, numbers, NULL,
booleans, comparisons, AND / OR / NOT, IS NULL, coalesce, casts to whole numbers, `&`, bit_count and
arithmetic. Anything else is refused when the model is loaded, never guessed at. SQL's three-valued
logic is kept (None is NULL; a condition holds only when True), and decimal literals are exact
fractions, as DuckDB's DECIMAL is: `0.7 * 20` must equal 14, not 14.000000000000002.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from fractions import Fraction
from typing import Any, Protocol

import sqlglot
from sqlglot import expressions as exp


class Pair(Protocol):
    """Two records: a column of the left one as "<column>_l", of the right one as "<column>_r"."""

    def __getitem__(self, key: str, /) -> Any: ...


Evaluate = Callable[[Pair], Any]
_WORD = (1 << 64) - 1

_COMPARE: dict[type[exp.Expression], Callable[[Any, Any], bool]] = {
    exp.EQ: operator.eq, exp.NEQ: operator.ne, exp.GT: operator.gt, exp.GTE: operator.ge,
    exp.LT: operator.lt, exp.LTE: operator.le}
_ARITHMETIC: dict[type[exp.Expression], Callable[[Any, Any], Any]] = {
    exp.Add: operator.add, exp.Sub: operator.sub, exp.Mul: operator.mul, exp.BitwiseAnd: operator.and_}


class UnsupportedCondition(ValueError):
    """A condition uses SQL the lookup does not evaluate (a model this code was not written for)."""


def compile_condition(sql: str) -> Evaluate:
    """A function of a pair giving the condition's SQL value (True, False or None for NULL)."""
    return _compile(sqlglot.parse_one(sql, dialect="duckdb"))


def equality_column(sql: str) -> str | None:
    """The column a blocking rule requires equal on both sides (`l.x = r.x` among its top-level
    ANDs), which an index can look up; None when it has none."""
    node = sqlglot.parse_one(sql, dialect="duckdb")
    parts = list(node.flatten()) if isinstance(node, exp.And) else [node]
    for part in parts:
        if not (isinstance(part, exp.EQ) and isinstance(part.left, exp.Column)
                and isinstance(part.right, exp.Column)):
            continue
        if {part.left.table, part.right.table} == {"l", "r"} and part.left.name == part.right.name:
            return str(part.left.name)
    return None


def _strict(function: Callable[[Any, Any], Any], left: Evaluate, right: Evaluate) -> Evaluate:
    def apply(pair: Pair) -> Any:
        a, b = left(pair), right(pair)
        return None if a is None or b is None else function(a, b)
    return apply


def _and(left: Evaluate, right: Evaluate) -> Evaluate:
    def apply(pair: Pair) -> bool | None:
        a = left(pair)
        if a is False:
            return False
        b = right(pair)
        return False if b is False else None if a is None or b is None else True
    return apply


def _or(left: Evaluate, right: Evaluate) -> Evaluate:
    def apply(pair: Pair) -> bool | None:
        a = left(pair)
        if a is True:
            return True
        b = right(pair)
        return True if b is True else None if a is None or b is None else False
    return apply


def _column(node: exp.Column) -> Evaluate:
    side = node.table
    name = f"{node.name}_{side}" if side in ("l", "r") else node.name
    return lambda pair: pair[name]


def _literal(node: exp.Literal) -> Evaluate:
    value: Any = node.this if node.is_string else Fraction(node.this) if "." in node.this else int(node.this)
    return lambda _pair: value


def _compile(node: Any) -> Evaluate:  # noqa: C901, PLR0911 - one arm per kind of node (sqlglot's nodes)
    kind = type(node)
    if kind is exp.Paren:
        return _compile(node.this)
    if kind is exp.Column:
        return _column(node)
    if kind is exp.Literal:
        return _literal(node)
    if kind is exp.Null:
        return lambda _pair: None
    if kind is exp.Boolean:
        value = bool(node.this)
        return lambda _pair: value
    if kind in _COMPARE:
        return _strict(_COMPARE[kind], _compile(node.left), _compile(node.right))
    if kind in _ARITHMETIC:
        return _strict(_ARITHMETIC[kind], _compile(node.left), _compile(node.right))
    if kind is exp.And:
        return _and(_compile(node.left), _compile(node.right))
    if kind is exp.Or:
        return _or(_compile(node.left), _compile(node.right))
    if kind is exp.Not:
        inner = _compile(node.this)
        return lambda pair: None if (v := inner(pair)) is None else not v
    if kind is exp.Is and isinstance(node.expression, exp.Null):
        inner = _compile(node.this)
        return lambda pair: inner(pair) is None
    if kind is exp.Coalesce:
        parts = [_compile(node.this), *(_compile(e) for e in node.expressions)]
        return lambda pair: next((v for part in parts if (v := part(pair)) is not None), None)
    if kind is exp.Cast and node.to.this in (exp.DataType.Type.INT, exp.DataType.Type.BIGINT):
        inner = _compile(node.this)
        return lambda pair: None if (v := inner(pair)) is None else int(v)
    if kind is exp.Anonymous and str(node.this).lower() == "bit_count" and len(node.expressions) == 1:
        inner = _compile(node.expressions[0])
        return lambda pair: None if (v := inner(pair)) is None else (int(v) & _WORD).bit_count()
    raise UnsupportedCondition(f"the lookup cannot evaluate SQL of kind {kind.__name__}: {node.sql()[:80]}")
