"""The linkage core imports no framework, and only the Parquet writer touches pyarrow."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

LINKAGE = Path(__file__).resolve().parents[3] / "src" / "accord" / "linkage"
FRAMEWORKS = {"typer", "rich", "sqlalchemy", "alembic", "psycopg", "pydantic", "fastapi", "duckdb", "splink"}
ARROW_ALLOWED = {"parquet_out.py"}


def _imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found


@pytest.mark.parametrize("path", sorted(LINKAGE.rglob("*.py")), ids=lambda p: str(p.relative_to(LINKAGE)))
def test_no_framework(path: Path) -> None:
    names = _imports(path)
    assert not names & FRAMEWORKS
    if path.name not in ARROW_ALLOWED:
        assert "pyarrow" not in names
