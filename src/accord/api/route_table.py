"""The service's route table as a page a records officer can review: every operation, who may call
it, and what it does, read from the published schema (so the page cannot drift from the code: a
test compares docs/api-routes.md with it). `python -m accord.api.route_table` writes it."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from typing import Any

from accord.api.app import API, create_app
from accord.config import Settings

HEADER = """# The service's routes

Generated from the published schema (`/openapi.json`) by `python -m accord.api.route_table >
docs/api-routes.md`; a test fails when this page and the code disagree. "Who" is the route's
`x-accord-roles`: the roles it serves (a signed-in person of another role gets 403), `agency-node`
for an agency node's machine client, `public` for anyone. Every route that names an object serves
only the objects of the caller's own agency, family or study; another's is "not found" (ADR 0027).

| method | path | who | what it does |
| --- | --- | --- | --- |
"""


def _what(op: dict[str, Any]) -> str:
    text = (op.get("description") or op.get("summary") or "").strip()
    return " ".join(text.split()).replace("|", "/")


def route_table(schema: dict[str, Any]) -> str:
    rows = []
    for path, item in sorted(schema["paths"].items()):
        for method, op in sorted(item.items()):
            who = ", ".join(op.get("x-accord-roles", []))
            rows.append(f"| {method.upper()} | `{path.removeprefix(API) or '/'}` | {who} | {_what(op)} |")
    return HEADER + "\n".join(rows) + f"\n\nPaths are under `{API}` unless they start at the root.\n"


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings.model_validate({"data_dir": Path(folder)})  # nothing is opened
        sys.stdout.write(route_table(create_app(settings, log_stream=sys.stderr).openapi()))


if __name__ == "__main__":
    main()
