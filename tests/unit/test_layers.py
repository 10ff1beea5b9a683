"""Nothing below imports anything above it; the core imports no framework."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "accord"

# Which accord packages each package may import (besides itself).
ALLOWED: dict[str, set[str]] = {
    "domain": set(),
    "policy": {"domain"},
    "synth": {"domain", "policy"},
    # The agency's node (ADR 0014, P1): the encoder and its readers; nothing of the hub's.
    "node": {"domain", "linkage", "intake", "config"},
    "ledger": {"domain", "policy"},
    # The agency-side encoder stands alone but for the domain's list of the fields withheld from the
    # hub (domain.withheld), which its hub copy and the hub's readers share.
    "linkage": {"domain"},
    # Disclosure control of research studies (issue 18): pure numpy and SciPy, no store, no I/O.
    "disclosure": {"domain"},
    "intake": {"domain"},  # pure readers  # the agency-side encoder stands alone: it runs at each agency
    "store": {"domain", "policy", "ledger", "config"},
    # Workflows use the hub side of linkage only (test_workflows_never_encode, below).
    "workflows": {"domain", "policy", "ledger", "intake", "linkage", "store", "synth", "config",
                  "disclosure"},
    "cli": {"domain", "policy", "ledger", "intake", "linkage", "store", "synth", "workflows", "config",
            "node", "disclosure", "api", "web"},
    # The service (issue 20): a face like the command line, over the same workflows.
    # It may read the policy's result types (a preview's lines) to write them out, as the CLI does.
    "api": {"domain", "policy", "store", "workflows", "config"},
    # The pages (issue 21): a face over the same workflows, served beside the API and signed in with
    # its sessions, so it may use the API's dependency aliases and app factory; the API never imports it.
    "web": {"domain", "policy", "store", "workflows", "config", "api"},
}
FRAMEWORKS = {"sqlalchemy", "alembic", "typer", "rich", "fastapi", "pydantic", "duckdb",
              "psycopg", "splink"}
PURE = ("domain", "policy", "ledger", "disclosure")
# The one error base (accord/errors.py) sits below every layer: any package may derive from it.
# So does the one way to create and read a file holding a secret (accord/secret_files.py), and the
# one test of whether a host is this machine (accord/addresses.py).
BASE = {"errors", "secret_files", "addresses"}


def imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


@pytest.mark.parametrize("package", sorted(ALLOWED))
def test_layer_imports(package: str) -> None:
    for path in (SRC / package).rglob("*.py"):
        for name in imports(path):
            parts = name.split(".")
            if parts[0] == "accord" and len(parts) > 1:
                assert parts[1] in ALLOWED[package] | BASE | {package}, f"{path.name} imports {name}"
            if package in PURE:
                assert parts[0] not in FRAMEWORKS, f"{path.name} imports {name}"


def test_error_base_imports_nothing() -> None:
    """errors.py is below every layer, so it may import no accord module and no framework;
    secret_files.py only the error base."""
    for name in imports(SRC / "errors.py"):
        assert name.split(".")[0] not in {"accord", *FRAMEWORKS}, f"errors.py imports {name}"
    for name in imports(SRC / "addresses.py"):
        assert name.split(".")[0] not in {"accord", *FRAMEWORKS}, f"addresses.py imports {name}"
    for name in imports(SRC / "secret_files.py"):
        assert name == "accord.errors" or name.split(".")[0] not in {"accord", *FRAMEWORKS}, name


def test_workflows_never_encode() -> None:
    """Encoding needs the agencies' shared key, which the hub never holds: the workflows (hub
    side) reach linkage only through `accord.linkage.hub`."""
    for path in (SRC / "workflows").rglob("*.py"):
        for name in imports(path):
            if name.startswith("accord.linkage"):
                assert name.startswith("accord.linkage.hub"), f"{path.name} imports {name}"


# The agency node's commands: the only faces that hold the shared key (ADR 0014, P1). The demo plays
# every party in one process, so it encodes too until it runs nodes and hub apart.
NODE_FACES = {"node.py", "demo_cases.py"}


def test_the_node_has_one_home() -> None:
    """The agency side's work lives in `accord.node` (issue 16): its faces reach the encoder only
    through it, and nothing of the hub (workflows, store, the other faces) imports it."""
    for path in (SRC / "cli").rglob("*.py"):
        for name in imports(path):
            if path.name in NODE_FACES:
                assert not name.startswith("accord.linkage"), f"{path.name} imports {name}: use accord.node"
            else:
                assert not name.startswith("accord.node"), f"{path.name} imports {name}"


def test_hub_commands_never_hold_the_key() -> None:
    """Every command but the node's reaches linkage through `accord.linkage.hub` only: no hub
    command can read a key file or encode (intake and case requests take the agency's encodings)."""
    for path in (SRC / "cli").rglob("*.py"):
        if path.name in NODE_FACES:
            continue
        for name in imports(path):
            if name.startswith("accord.linkage"):
                assert name.startswith("accord.linkage.hub"), f"{path.name} imports {name}"


# What a face may take from the store: the session it opens per command (db), the schema it creates
# (migrate), the keys it loads (crypto). Repositories and rows only through workflows, so that the
# coming API calls the same services and no rule lives in a face (issue 16).
FACE_STORE = {"accord.store.db", "accord.store.migrate", "accord.store.crypto"}


def test_faces_reach_the_store_only_through_workflows() -> None:
    for path in [p for face in ("cli", "api", "web") for p in (SRC / face).rglob("*.py")]:
        for name in imports(path):
            if name.startswith("accord.store"):
                assert name in FACE_STORE, f"{path.name} imports {name}: go through a workflow"


def test_the_api_never_imports_the_pages() -> None:
    """The pages stand on the API (its sessions, its app); the API stands alone, without them."""
    for path in (SRC / "api").rglob("*.py"):
        for name in imports(path):
            assert not name.startswith("accord.web"), f"{path.name} imports {name}"


def test_workflows_work_on_domain_objects_not_rows() -> None:
    """ADR 0002: the store's rows stay inside its repositories; workflows see domain objects."""
    for path in (SRC / "workflows").rglob("*.py"):
        for name in imports(path):
            assert not name.startswith("accord.store.models"), f"{path.name} imports {name}"


def _reads_environment(path: Path) -> list[str]:
    """What in `path` reads the process environment or builds the settings from it."""
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Attribute) and node.attr in {"environ", "getenv", "environb"}:
            found.append(f"os.{node.attr}")
        elif isinstance(node, ast.ImportFrom) and node.module == "accord.config":
            found += [a.name for a in node.names if a.name != "Settings" and not a.name.isupper()]
    return found


def test_only_the_faces_read_the_environment() -> None:
    """One settings object (accord.config.Settings), built at the face and passed in: nothing
    below the command line reads an ACCORD_ variable or the settings loader (issue 16). Constants
    (file names) and the Settings type may be imported anywhere config may."""
    for path in SRC.rglob("*.py"):
        if path.parent.name == "cli" or path.name == "config.py":
            continue
        assert not _reads_environment(path), f"{path.relative_to(SRC)} reads {_reads_environment(path)}"


def test_the_environment_rule_catches_a_deep_read(tmp_path: Path) -> None:
    sneaky = tmp_path / "sneaky.py"
    sneaky.write_text("import os\nfrom accord.config import load_settings\nWHERE = os.environ.get('X')\n")
    assert sorted(_reads_environment(sneaky)) == ["load_settings", "os.environ"]
