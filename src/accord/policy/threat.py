"""What counts as a stated threat for the emergency exception."""

from __future__ import annotations

# 34 CFR 99.36(c) asks for an "articulable and significant threat": a few real words, not a
# checkbox or a placeholder.
_PLACEHOLDERS = frozenset({"emergency", "n/a", "na", "none", "urgent", "threat", "-", "tbd"})
MIN_WORDS = 4


def threat_is_articulated(threat: str | None) -> bool:
    """True when the threat is described in at least a short sentence."""
    if threat is None:
        return False
    text = threat.strip()
    if text.lower() in _PLACEHOLDERS:
        return False
    return len(text.split()) >= MIN_WORDS
