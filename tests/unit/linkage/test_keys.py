"""The key file: format, permissions, refusal to overwrite, clear errors."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from accord.linkage.encode.keys import (
    KeyFileError,
    agreement_key,
    generate_key,
    key_id,
    read_key_file,
    write_key_file,
)


def test_round_trip_and_mode(tmp_path: Path) -> None:
    key = generate_key()
    path = tmp_path / "shared.key"
    write_key_file(path, key)
    assert read_key_file(path) == key
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert len(key) == 32 and generate_key() != key


def test_refuses_to_overwrite(tmp_path: Path) -> None:
    path = tmp_path / "shared.key"
    write_key_file(path, generate_key())
    before = path.read_bytes()
    with pytest.raises(KeyFileError, match="refusing to overwrite"):
        write_key_file(path, generate_key())
    assert path.read_bytes() == before


@pytest.mark.parametrize("content", ["", "hello\n", "accord-linkage-key v1\nnot-hex\n",
                                     "accord-linkage-key v1\nabcd\n"])
def test_bad_key_files(tmp_path: Path, content: str) -> None:
    path = tmp_path / "bad.key"
    path.write_text(content)
    with pytest.raises(KeyFileError, match="bad.key"):
        read_key_file(path)


def test_missing_key_file(tmp_path: Path) -> None:
    with pytest.raises(KeyFileError, match="no linkage key file here"):
        read_key_file(tmp_path / "absent.key")


def test_key_id_is_stable_and_distinct() -> None:
    a, b = generate_key(), generate_key()
    assert key_id(a) == key_id(a) != key_id(b)


def test_each_agreement_has_its_own_key_and_the_hub_sees_which() -> None:
    # ADR 0015: HKDF of the secret and the agreement id; stable, distinct per agreement and per
    # secret, never the secret itself.
    secret, other = bytes(range(32)), bytes(range(1, 33))
    health, court = agreement_key(secret, "dsa-health"), agreement_key(secret, "dsa-court")
    assert health == agreement_key(secret, "dsa-health") and len(health) == 32
    assert len({secret, health, court, agreement_key(other, "dsa-health")}) == 4
    assert len({key_id(secret), key_id(health), key_id(court)}) == 3
    with pytest.raises(KeyFileError, match="an agreement id is needed"):
        agreement_key(secret, "")
