"""Which of the workflows' refusals a page can show, and the code each carries, read from the source
(test_refusal_reach.py): from every route of accord.web.pages (and what it `Depends` on), the calls
followed into the functions they name, and each `raise` of an AccordError met on the way that no
`except` on the way swallows. An `except` that reads the error it caught (to word it, or to hand it on
as an outcome's code) lets it through: the page shows it. A route's decorators are read with it (the
role check of `for_roles` is one).

What the reading follows: a call of a function or class by the name it was imported or defined under
(`f(...)`, `module.f(...)`, `Class.method(...)`, `self.method(...)`; a class's `__init__` and
`__post_init__`), and an error made by a function that returns one (`raise bad_spec(...)`); a nested
function or lambda is read where it is written. What it cannot see: a method of a value
(`hub.study_dir(...)`, a backend's), a function handed over as an argument and called elsewhere (an
`except` around that call is not seen either), an error kept in a variable and raised later, an error
class handed to a helper that raises it (`read_secret(path, ContentKeyError, ...)`); so it finds more
than nothing, not everything. A class that gives all its refusals one code covers the last case."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass, field, replace

from tests.web.source_codes import called, modules
from tests.web.source_index import Function, Target, class_code, error_class, kinds, resolved, source


@dataclass(frozen=True)
class Raised:
    """A `raise` of an AccordError: where, the error's class, its code ("" for none; "?" for one the
    reading cannot see) and the names of the error's classes (for the `except`s on the way)."""

    module: str
    function: str
    line: int
    error: str
    code: str
    kinds: frozenset[str] = field(compare=False)


def _shows(handler: ast.ExceptHandler) -> bool:
    """An `except` that reads the error it caught (other than as the cause of another) passes it on."""
    causes = {id(n.cause) for n in ast.walk(handler) if isinstance(n, ast.Raise) and n.cause is not None}
    return bool(handler.name) and any(isinstance(n, ast.Name) and n.id == handler.name and id(n) not in causes
                                      for n in ast.walk(handler))


def _caught(module: str, handler: ast.ExceptHandler) -> set[str]:
    if handler.type is None:
        return {"BaseException"}
    types = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    found = (resolved(module, t, "") for t in types)
    return {t[1] if t else getattr(e, "id", "") for e, t in zip(types, found, strict=True)}


def _steps(module: str, node: ast.AST, caught: frozenset[str]) -> Iterator[tuple[ast.AST, frozenset[str]]]:
    """Each raise and call under `node`, with the names of the errors an enclosing `except` swallows."""
    if isinstance(node, ast.Try | ast.TryStar):
        inner = caught | {n for h in node.handlers if not _shows(h) for n in _caught(module, h)}
        for child in node.body:
            yield from _steps(module, child, inner)
        for child in [*node.handlers, *node.orelse, *node.finalbody]:
            yield from _steps(module, child, caught)
        return
    if isinstance(node, ast.Raise | ast.Call):
        yield node, caught
    for child in ast.iter_child_nodes(node):
        yield from _steps(module, child, caught)


def _made(module: str, call: ast.Call, where: tuple[str, str, int]) -> list[Raised]:
    """The errors `raise call` raises at `where` (module, function, line): the class called, or those a
    called function returns, with the code given them there (`.coded(...)`) or by their class."""
    made = call.func.value if isinstance(call.func, ast.Attribute) else None
    if called(call) == "coded" and isinstance(made, ast.Call):
        code = call.args[0] if call.args else None
        given = str(code.value) if isinstance(code, ast.Constant) else "?"
        return [replace(r, code=given) for r in _made(module, made, where)]
    error = error_class(module, call.func)
    if error:
        return [Raised(*where, error[1], class_code(*error), kinds(*error))]
    maker = resolved(module, call.func, "")
    if maker is None or maker[1] not in source()[maker[0]].functions:
        return []
    returns = (n.value for n in ast.walk(source()[maker[0]].functions[maker[1]])
               if isinstance(n, ast.Return) and isinstance(n.value, ast.Call))
    return [found for value in returns for found in _made(maker[0], value, where)]


def _callees(target: Target) -> list[Target]:
    """A called class means its `__init__` and `__post_init__`."""
    module, name = target
    if name in source()[module].functions:
        return [target]
    return [(module, f"{name}.{m}") for m in ("__init__", "__post_init__")
            if f"{name}.{m}" in source()[module].functions]


_DONE: dict[Target, list[Raised]] = {}
_BUSY: set[Target] = set()


def raised(module: str, name: str) -> list[Raised]:
    """The AccordErrors that can leave the function `name` of `module` (a class's method: "Class.method").
    A function calling back into one being read adds nothing of it a second time."""
    if (module, name) in _DONE or (module, name) in _BUSY:
        return _DONE.get((module, name), [])
    _BUSY.add((module, name))
    within = name.split(".")[0] if "." in name else ""
    found: list[Raised] = []
    for node, caught in _steps(module, source()[module].functions[name], frozenset()):
        if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call):
            found += [r for r in _made(module, node.exc, (module, name, node.lineno)) if not r.kinds & caught]
        elif isinstance(node, ast.Call) and (target := resolved(module, node.func, within)):
            for callee in _callees(target):
                found += [r for r in raised(*callee) if not r.kinds & caught]
    _BUSY.discard((module, name))
    _DONE[(module, name)] = found
    return found


def _routes(module: str, tree: ast.Module) -> Iterator[Target]:
    """A page module's routes (functions under a `@router.` decorator) and the functions it hands to
    `Depends(...)`: what a request runs."""
    for node in ast.walk(tree):
        if isinstance(node, Function) and any(isinstance(d, ast.Call) and isinstance(d.func, ast.Attribute)
                                              and getattr(d.func.value, "id", "") == "router"
                                              for d in node.decorator_list):
            yield module, node.name
        elif isinstance(node, ast.Call) and called(node) == "Depends" and node.args:
            found = resolved(module, node.args[0], "")
            yield from [found] if found else []


def page_refusals() -> dict[Raised, set[str]]:
    """Every AccordError a page can show, with the pages (module names) showing it: from each page
    module's routes and dependencies, and the dependencies every page shares (accord.web.deps's, named
    "deps")."""
    shown: dict[Raised, set[str]] = {}
    for name, tree in modules("web"):
        module = name.removesuffix(".__init__")
        if not module.startswith("accord.web.pages.") and module != "accord.web.deps":
            continue
        for root in _routes(module, tree):
            for refusal in raised(*root):
                shown.setdefault(refusal, set()).add(module.rsplit(".", 1)[-1])
    return shown
