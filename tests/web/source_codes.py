"""Reading the codes the source gives its refusals, for the tests that every one has words on the
pages (test_policy_words.py, test_refusal_words.py): the constant at one argument of every call to some
names, and where that argument is no constant (a code the reading cannot see)."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import accord

SOURCE = Path(accord.__file__).parent


@dataclass
class Found:
    codes: dict[str, list[ast.Call]] = field(default_factory=dict)  # code -> the calls that give it
    unread: list[tuple[str, str]] = field(default_factory=list)  # (module, function) of a code not constant


def modules(package: str = "") -> Iterator[tuple[str, ast.Module]]:
    """(dotted name, parsed source) of every module of accord, or of one of its packages."""
    root = SOURCE.joinpath(*package.split(".")) if package else SOURCE
    for path in sorted(root.rglob("*.py")):
        name = ".".join(("accord", *path.relative_to(SOURCE).with_suffix("").parts))
        yield name, ast.parse(path.read_text(encoding="utf-8"))


def called(node: ast.Call) -> str:
    return node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")


def _enclosing(tree: ast.Module) -> dict[ast.AST, str]:
    """Each node of `tree` -> the name of the innermost function around it ("" at module level)."""
    inside: dict[ast.AST, str] = {}
    for function in (n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)):
        for node in ast.walk(function):  # ast.walk goes outer before inner: the innermost name stays
            inside[node] = function.name
    return inside


def read_codes(name: str, tree: ast.Module, callees: dict[str, int], found: Found) -> None:
    """Add to `found` the code at position `callees[callee]` (or keyword `code`) of every call in `tree`
    of a callee."""
    inside = _enclosing(tree)
    for node in (n for n in ast.walk(tree) if isinstance(n, ast.Call) and called(n) in callees):
        given = {k.arg: k.value for k in node.keywords}
        index = callees[called(node)]
        code = node.args[index] if len(node.args) > index else given.get("code")
        if isinstance(code, ast.Constant) and isinstance(code.value, str):
            found.codes.setdefault(code.value, []).append(node)
        else:
            found.unread.append((name, inside.get(node, "")))
