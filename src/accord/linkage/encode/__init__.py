"""Keyed encodings of normalised identity fields: Bloom filters and blocking tokens.

Everything here is keyed with the agencies' shared secret (see `keys`); without the key, the
encodings cannot be recomputed from a guessed name, and bit positions of one q-gram cannot be
predicted from another's (unlike double hashing).
"""
