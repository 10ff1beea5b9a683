"""Workflows: one module per purpose, each sending every release through policy.decide."""
