"""What each side of linkage may import.

The agency side (normalise, encode, roster, pipeline) imports no framework and no matcher; only
the Parquet writer touches pyarrow. The hub side may use Splink, DuckDB and pyarrow, but never
the agency side's encoder, normalisers or key handling: the hub has no key and sees no clear text.
pyspark is imported only inside the Spark backend, and only lazily (inside a function).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

LINKAGE = Path(__file__).resolve().parents[3] / "src" / "accord" / "linkage"
FRAMEWORKS = {"typer", "rich", "sqlalchemy", "alembic", "psycopg", "pydantic", "fastapi"}
MATCHERS = {"duckdb", "splink", "pyspark"}
ARROW_ALLOWED = {"parquet_out.py"}
AGENCY_SIDE = ("accord.linkage.encode", "accord.linkage.normalise", "accord.linkage.roster",
               "accord.linkage.pipeline", "accord.linkage.parquet_out")
HUB = LINKAGE / "hub"


def _modules(path: Path, top_level_only: bool = False) -> set[str]:
    tree = ast.parse(path.read_text())
    nodes = tree.body if top_level_only else list(ast.walk(tree))
    found: set[str] = set()
    for node in nodes:
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def _roots(names: set[str]) -> set[str]:
    return {n.split(".")[0] for n in names}


AGENCY_FILES = sorted(p for p in LINKAGE.rglob("*.py") if HUB not in p.parents)
HUB_FILES = sorted(HUB.rglob("*.py"))


@pytest.mark.parametrize("path", AGENCY_FILES, ids=lambda p: str(p.relative_to(LINKAGE)))
def test_agency_side_imports_no_framework_or_matcher(path: Path) -> None:
    roots = _roots(_modules(path))
    assert not roots & (FRAMEWORKS | MATCHERS)
    if path.name not in ARROW_ALLOWED:
        assert "pyarrow" not in roots


@pytest.mark.parametrize("path", HUB_FILES, ids=lambda p: str(p.relative_to(LINKAGE)))
def test_hub_never_imports_the_encoder_or_a_framework(path: Path) -> None:
    modules = _modules(path)
    assert not _roots(modules) & FRAMEWORKS
    assert not [m for m in modules if m.startswith(AGENCY_SIDE)], "the hub must not hold the encoder or key"
    assert "pyspark" not in _roots(_modules(path, top_level_only=True)), "pyspark only lazily"


def test_the_checks_see_real_imports() -> None:
    assert "splink" in _roots(_modules(HUB / "link.py"))
    assert "pyspark.sql" in _modules(HUB / "backends.py")
    assert "accord.linkage.encode.record" in _modules(LINKAGE / "pipeline.py")
