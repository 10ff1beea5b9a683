"""The node's keys: its copy of the agencies' linkage key (made once, shared with the other
agencies' nodes, never with a hub), and the school's own pseudonym key (ADR 0022). A key file
inside a hub's data directory would be the key at the hub (ADR 0014, P1), so it is refused
whichever way it got there."""

from __future__ import annotations

from pathlib import Path

from accord.errors import AccordError
from accord.linkage.encode.keys import generate_key, read_key_file, write_key_file
from accord.node.pseudonyms import Pseudonymiser, make_pseudonym_key, pseudonymiser, read_pseudonym_key

# What stays off a hub: the agencies' shared linkage key; the school's own pseudonym key.
SHARED = "the linkage key stays at the agencies' nodes"
SCHOOL_ONLY = "the pseudonym key stays at the school's node"


class NodeKeyError(AccordError, ValueError):
    """The key's file is where a hub would hold it, or its folder cannot be made."""


def _outside_the_hub(path: Path, hub_data_dir: Path, what: str = SHARED) -> None:
    if path.resolve().is_relative_to(hub_data_dir.resolve()):
        raise NodeKeyError(f"{path}: inside the hub's data directory ({hub_data_dir}); {what} (set "
                           "ACCORD_NODE_DIR, or keep the key file elsewhere)")


def make_node_key(out: Path, hub_data_dir: Path) -> bytes:
    """A new key in `out` (mode 0600, never over a file); returns it."""
    return keep_node_key(generate_key(), out, hub_data_dir)


def keep_node_key(key: bytes, out: Path, hub_data_dir: Path) -> bytes:
    """Another node's copy of the agencies' `key`, in `out` (mode 0600, never over a file)."""
    _outside_the_hub(out, hub_data_dir)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise NodeKeyError(f"{out.parent}: cannot create the node's directory ({err.strerror})") from None
    write_key_file(out, key)
    return key


def node_key(path: Path, hub_data_dir: Path) -> bytes:
    """The key in `path`, once it is known not to sit in the hub's data directory."""
    _outside_the_hub(path, hub_data_dir)
    return read_key_file(path)


def make_school_pseudonym_key(out: Path, hub_data_dir: Path) -> None:
    """The school's pseudonym key in `out` (mode 0600, never over a file): its own, shared with no
    one, never at a hub."""
    _outside_the_hub(out, hub_data_dir, SCHOOL_ONLY)
    make_pseudonym_key(out)


def node_pseudonyms(path: Path, hub_data_dir: Path) -> Pseudonymiser:
    """The pseudonyms under the key in `path`, once it is known not to sit in the hub's data
    directory."""
    _outside_the_hub(path, hub_data_dir, SCHOOL_ONLY)
    return pseudonymiser(read_pseudonym_key(path))
