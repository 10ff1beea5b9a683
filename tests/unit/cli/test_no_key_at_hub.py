"""No hub command takes the agencies' linkage key (ADR 0014, P1): only the node's commands do.

Walked from the command tree, so a new command cannot be forgotten; the layer test
(`test_hub_commands_never_hold_the_key`) checks the same from the imports."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import typer
from typer.core import TyperGroup

from accord.cli.app import app

# The agency node's command group, and the demo, which plays every party in one process.
NODE_GROUP = "node"
NODE_COMMANDS = {("demo",)}


def _commands(group: TyperGroup, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Any]]:
    for name, command in group.commands.items():
        if isinstance(command, TyperGroup):
            yield from _commands(command, (*path, name))
        else:
            yield (*path, name), command


def test_no_hub_command_takes_a_key_file() -> None:
    tree = typer.main.get_command(app)
    assert isinstance(tree, TyperGroup)
    commands = dict(_commands(tree))
    assert ("intake", "load") in commands and ("case", "request") in commands and ("link",) in commands
    holding = sorted(" ".join(path) for path, command in commands.items()
                     if path[0] != NODE_GROUP and path not in NODE_COMMANDS
                     and any("key" in (p.name or "") for p in command.params))
    assert not holding, holding
    assert any(p.name == "key_file" for p in commands[("node", "encode")].params)  # the walk sees a key
