"""Every package the project's code imports is declared in pyproject.toml, as a dependency or in an
extra (a backend imported lazily, as Spark's): a package that comes only as another's dependency can
vanish with that one's next release."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _name(requirement: str) -> str:
    return re.split(r"[\s<>=!~\[;]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def test_every_imported_package_is_declared() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    extras = [r for group in project["optional-dependencies"].values() for r in group]
    declared = {_name(r) for r in [*project["dependencies"], *extras]}
    distributions = packages_distributions()
    undeclared: dict[str, set[str]] = {}
    for path in (ROOT / "src" / "accord").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            absolute = isinstance(node, ast.ImportFrom) and node.module and node.level == 0
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [str(getattr(node, "module", ""))] if absolute else [])
            for top in {n.split(".")[0] for n in names}:
                if top in sys.stdlib_module_names or top == "accord":
                    continue
                owners = {d.lower().replace("_", "-") for d in distributions.get(top, [top])}
                if not owners & declared:
                    undeclared.setdefault(top, set()).add(path.name)
    assert not undeclared, f"imported but not declared in pyproject.toml: {undeclared}"
