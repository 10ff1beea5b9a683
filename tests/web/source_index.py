"""An index of accord's source for reading which refusals a page can show (source_reach.py): each
module's functions (a class's methods as "Class.method"), classes and imports, and what a name or a
called expression names in a module, through the imports that pass it on; a class's bases by name, and
the code a class gives all its refusals."""

from __future__ import annotations

import ast
import builtins
from dataclasses import dataclass, field
from functools import cache

from tests.web.source_codes import modules

Function = ast.FunctionDef | ast.AsyncFunctionDef
Target = tuple[str, str]  # (module, "function", "Class.method" or "Class")


@dataclass
class _Module:
    functions: dict[str, Function] = field(default_factory=dict)  # top level, and "Class.method"
    classes: dict[str, ast.ClassDef] = field(default_factory=dict)
    imports: dict[str, tuple[str, str]] = field(default_factory=dict)  # name -> (module, attribute or "")


@cache
def source() -> dict[str, _Module]:
    found: dict[str, _Module] = {}
    for name, tree in modules():
        module = found[name.removesuffix(".__init__")] = _Module()
        for node in tree.body:
            if isinstance(node, Function):
                module.functions[node.name] = node
            elif isinstance(node, ast.ClassDef):
                module.classes[node.name] = node
                module.functions |= {f"{node.name}.{f.name}": f for f in node.body if isinstance(f, Function)}
            elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("accord"):
                for alias in node.names:
                    module.imports[alias.asname or alias.name] = (str(node.module), alias.name)
    for module in found.values():  # `from accord.x import y` where y is a module: y names the module
        module.imports |= {k: (f"{m}.{a}", "") for k, (m, a) in module.imports.items() if f"{m}.{a}" in found}
    return found


def lookup(module: str, name: str, hops: int = 0) -> Target | None:
    """Where `name` of `module` is defined, through the imports that pass it on."""
    known = source().get(module)
    if known is None or hops > 10:
        return None
    if name in known.functions or name in known.classes:
        return module, name
    if name in known.imports and known.imports[name][1]:
        return lookup(*known.imports[name], hops + 1)
    return None


def resolved(module: str, expr: ast.expr, within: str) -> Target | None:
    """What a called expression names: a name, a module's attribute, or a method of `within` (self.)."""
    if isinstance(expr, ast.Name):
        return lookup(module, expr.id)
    if isinstance(expr, ast.Attribute) and isinstance(expr.value, ast.Name):
        owner = expr.value.id
        if owner in ("self", "cls") and within:
            return lookup(module, f"{within}.{expr.attr}")
        imported = source()[module].imports.get(owner)
        if imported and not imported[1]:
            return lookup(imported[0], expr.attr)
        cls = lookup(module, owner)  # Class.method(...), a class's own constructor
        if cls and cls[1] in source()[cls[0]].classes:
            return lookup(cls[0], f"{cls[1]}.{expr.attr}")
    return None


@cache
def kinds(module: str, name: str) -> frozenset[str]:
    """The names of a class and of all its bases, the builtins' included."""
    names = {name}
    for base in source()[module].classes[name].bases:
        found = resolved(module, base, "")
        if found and found[1] in source()[found[0]].classes:
            names |= kinds(*found)
        elif isinstance(base, ast.Name) and isinstance(getattr(builtins, base.id, None), type):
            names |= {c.__name__ for c in getattr(builtins, base.id).__mro__}
    return frozenset(names)


def class_code(module: str, name: str) -> str:
    """The code a class gives all its refusals (`code = "..."` in its body or a base's), or ""."""
    for node in source()[module].classes[name].body:
        if (isinstance(node, ast.Assign) and [getattr(t, "id", "") for t in node.targets] == ["code"]
                and isinstance(node.value, ast.Constant) and node.value.value):
            return str(node.value.value)
    bases = (resolved(module, b, "") for b in source()[module].classes[name].bases)
    return next((c for b in bases if b and b[1] in source()[b[0]].classes if (c := class_code(*b))), "")


def error_class(module: str, expr: ast.expr) -> Target | None:
    found = resolved(module, expr, "")
    if found and found[1] in source()[found[0]].classes and "AccordError" in kinds(*found):
        return found
    return None
