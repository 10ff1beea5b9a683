"""docs/api-routes.md is the route table a records officer reviews: generated from the published
schema, so it must match the code, and every operation must say what it does."""

from __future__ import annotations

import io
from pathlib import Path

from accord.api import create_app
from accord.api.route_table import route_table
from accord.config import Settings

PAGE = Path(__file__).resolve().parents[2] / "docs" / "api-routes.md"


def _schema(tmp_path: Path) -> dict[str, object]:
    settings = Settings(data_dir=tmp_path, database_url=f"sqlite:///{tmp_path / 'unused.db'}")
    return create_app(settings, log_stream=io.StringIO()).openapi()


def test_every_operation_says_what_it_does(tmp_path: Path) -> None:
    schema = _schema(tmp_path)
    silent = [f"{m.upper()} {p}" for p, item in schema["paths"].items()  # type: ignore[attr-defined]
              for m, op in item.items() if not op.get("description")]
    assert not silent, f"routes without a docstring: {silent}"


def test_the_route_table_page_is_current(tmp_path: Path) -> None:
    assert PAGE.read_text(encoding="utf-8") == route_table(_schema(tmp_path)), (
        "docs/api-routes.md is stale: .venv/bin/python -m accord.api.route_table > docs/api-routes.md")
