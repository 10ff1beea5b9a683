"""The disclosure ledger: an append-only, hash-chained, Merkle-checkpointed record of every
request, decision, release and change of authority (34 CFR 99.32)."""
