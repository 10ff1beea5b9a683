"""The agency's node: everything an agency does on its own side before anything reaches a hub.

It holds the agencies' shared linkage key (in the node's own directory, never a hub's) and the
agency's people in the clear; it encodes a file's identities for one agreement and writes the
hub's copy of the file without them (ADR 0014, P1 and P2; ADR 0015). The hub's code never imports
this package (tests/unit/test_layers.py): what crosses to the hub is files.

- `keys`: make the key, keep another node's copy of it, read it; refuse one inside a hub's data
  directory.
- `submission`: a roster CSV or an Ed-Fi students resource encoded for an agreement, with the
  hub's copy; a file of records copied for the hub; and a handful of people (a caseworker's
  description of one child, the demo's agencies) encoded the same way.
- `pseudonyms`: the school's keyed pseudonyms, the only ids its students have at the hub
  (ADR 0022).
- `results`: what a hub sent back under those pseudonyms, resolved to the node's own ids (a
  cross-check's certified list, ADR 0023).
"""

from accord.linkage.encode.keys import key_id
from accord.linkage.pipeline import ENCODED_FIELDS
from accord.node.keys import (
    NodeKeyError,
    keep_node_key,
    make_node_key,
    make_school_pseudonym_key,
    node_key,
    node_pseudonyms,
)
from accord.node.pseudonyms import Pseudonymiser
from accord.node.results import resolve_results
from accord.node.submission import copy_for_hub, encode_file, encode_people_for

__all__ = ["ENCODED_FIELDS", "NodeKeyError", "Pseudonymiser", "copy_for_hub", "encode_file",
           "encode_people_for", "keep_node_key", "key_id", "make_node_key", "make_school_pseudonym_key",
           "node_key", "node_pseudonyms", "resolve_results"]
