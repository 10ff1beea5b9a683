"""Policy decisions: pure, default-deny, every reason with its citation."""

from accord.policy.decide import decide
from accord.policy.decision import Decision, Effect, Obligation, ObligationKind, Reason
from accord.policy.request import DisclosureRequest, Facts, StateLaw

__all__ = [
    "Decision", "DisclosureRequest", "Effect", "Facts", "Obligation", "ObligationKind",
    "Reason", "StateLaw", "decide",
]
