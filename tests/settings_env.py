"""Settings built as the command line builds them, from exactly the ACCORD_ variables a test gives."""

from __future__ import annotations

import os

import pytest

from accord.config import Settings, load_settings


def settings_from(monkeypatch: pytest.MonkeyPatch, **env: str) -> Settings:
    """The settings from `env` alone: every other ACCORD_ variable of the process is unset."""
    for name in [n for n in os.environ if n.startswith("ACCORD_")]:
        monkeypatch.delenv(name)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return load_settings()
