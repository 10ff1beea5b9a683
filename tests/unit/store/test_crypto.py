"""Content at rest: AES-256-GCM round trips, refuses a wrong key, altered data or wrong AAD,
and the key file is made once, owner-only, and read with clear errors that never show a key."""

from __future__ import annotations

import base64
import hashlib
import os
import stat
from pathlib import Path

import pytest

from accord.store.crypto import (
    KEY_BYTES,
    NONCE_BYTES,
    TAG_BYTES,
    ContentCipher,
    ContentKeyError,
    generate_content_key_file,
    load_content_cipher,
)
from tests.settings_env import settings_from

KEY = bytes(range(32))
AAD = b"lea|r-1|attendance|2026-01-15"
PLAIN = b'{"event":"Unexcused Absence"}'


def test_round_trip_and_layout() -> None:
    c = ContentCipher(KEY)
    sealed = c.seal(PLAIN, AAD)
    assert len(sealed) == NONCE_BYTES + len(PLAIN) + TAG_BYTES
    assert PLAIN not in sealed
    assert c.open(sealed, AAD) == PLAIN
    assert c.seal(PLAIN, AAD)[:NONCE_BYTES] != sealed[:NONCE_BYTES]  # a fresh nonce each time


def test_seal_many_matches_seal() -> None:
    c = ContentCipher(KEY)
    blobs = c.seal_many([(PLAIN, AAD), (b"", b"other")])
    assert [c.open(blobs[0], AAD), c.open(blobs[1], b"other")] == [PLAIN, b""]
    assert blobs[0][:NONCE_BYTES] != blobs[1][:NONCE_BYTES]


def test_key_id_is_a_sha256_fingerprint() -> None:
    assert ContentCipher(KEY).key_id == hashlib.sha256(KEY).hexdigest()[:16]
    assert ContentCipher(KEY).key_id != ContentCipher(os.urandom(32)).key_id
    assert KEY.hex() not in repr(ContentCipher(KEY))


def test_wrong_key_is_refused() -> None:
    sealed = ContentCipher(KEY).seal(PLAIN, AAD)
    with pytest.raises(ContentKeyError, match="does not open") as err:
        ContentCipher(os.urandom(32)).open(sealed, AAD)
    assert "Unexcused" not in str(err.value)


@pytest.mark.parametrize("position", [0, NONCE_BYTES, -1])
def test_a_tampered_byte_is_refused(position: int) -> None:
    c = ContentCipher(KEY)
    sealed = bytearray(c.seal(PLAIN, AAD))
    sealed[position] ^= 0x01
    with pytest.raises(ContentKeyError):
        c.open(bytes(sealed), AAD)


def test_wrong_aad_and_truncation_are_refused() -> None:
    c = ContentCipher(KEY)
    sealed = c.seal(PLAIN, AAD)
    with pytest.raises(ContentKeyError):
        c.open(sealed, AAD + b"x")
    with pytest.raises(ContentKeyError, match="truncated"):
        c.open(sealed[:NONCE_BYTES + TAG_BYTES - 1], AAD)


def test_a_key_must_be_32_bytes() -> None:
    with pytest.raises(ContentKeyError, match="32 bytes"):
        ContentCipher(b"short")


def test_generated_key_file_is_owner_only_one_line_and_loads(tmp_path: Path) -> None:
    path = tmp_path / "keys" / "content.key"
    made = generate_content_key_file(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    lines = path.read_text().splitlines()
    assert len(lines) == 1 and len(base64.b64decode(lines[0], validate=True)) == KEY_BYTES
    loaded = ContentCipher.from_key_file(path)
    assert loaded.key_id == made.key_id
    assert loaded.open(made.seal(PLAIN, AAD), AAD) == PLAIN


def test_generate_refuses_to_overwrite(tmp_path: Path) -> None:
    path = tmp_path / "content.key"
    generate_content_key_file(path)
    before = path.read_bytes()
    with pytest.raises(ContentKeyError, match="refusing"):
        generate_content_key_file(path)
    assert path.read_bytes() == before


def test_missing_key_file_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "nope.key"
    with pytest.raises(ContentKeyError, match="no content key file") as err:
        ContentCipher.from_key_file(path)
    assert str(path) in str(err.value)


@pytest.mark.parametrize(("text", "message"), [
    (base64.b64encode(bytes(16)).decode(), "16 bytes; it must be 32"),
    ("not*base64!\n", "not valid base64"),
    (base64.b64encode(KEY).decode() + "\nextra\n", "exactly one line"),
    ("", "exactly one line"),
])
def test_malformed_key_files_are_refused_without_showing_the_key(
        tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "content.key"
    path.write_text(text)
    path.chmod(0o600)
    with pytest.raises(ContentKeyError, match=message) as err:
        ContentCipher.from_key_file(path)
    assert str(path) in str(err.value)
    assert base64.b64encode(KEY).decode() not in str(err.value)


def test_a_binary_key_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "content.key"
    path.write_bytes(b"\xff\xfe" + KEY)
    path.chmod(0o600)
    with pytest.raises(ContentKeyError, match="not a content key file"):
        ContentCipher.from_key_file(path)


def test_the_environment_variable_wins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settings = settings_from(monkeypatch, ACCORD_CONTENT_KEY=base64.b64encode(KEY).decode(),
                         ACCORD_CONTENT_KEY_FILE=str(tmp_path / "missing.key"))
    assert load_content_cipher(settings).key_id == ContentCipher(KEY).key_id


def test_a_bad_environment_key_names_the_variable_only(monkeypatch: pytest.MonkeyPatch) -> None:
    inline = base64.b64encode(b"x" * 31).decode()
    settings = settings_from(monkeypatch, ACCORD_CONTENT_KEY=inline)
    assert inline not in repr(settings)  # a secret, not shown
    with pytest.raises(ContentKeyError, match="ACCORD_CONTENT_KEY: the content key is 31 bytes") as err:
        load_content_cipher(settings)
    assert inline not in str(err.value)


def test_key_file_from_the_variable_else_the_data_dir(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    explicit = tmp_path / "elsewhere.key"
    made = generate_content_key_file(explicit)
    settings = settings_from(monkeypatch, ACCORD_CONTENT_KEY_FILE=str(explicit))
    assert load_content_cipher(settings).key_id == made.key_id
    default = generate_content_key_file(tmp_path / "data" / "content.key")
    settings = settings_from(monkeypatch, ACCORD_DATA_DIR=str(tmp_path / "data"))
    assert settings.content_key_file == tmp_path / "data" / "content.key"
    assert load_content_cipher(settings).key_id == default.key_id
    assert settings_from(monkeypatch).content_key_file == Path("accord-data") / "content.key"
    with pytest.raises(ContentKeyError, match="no content key file"):
        load_content_cipher(settings_from(monkeypatch, ACCORD_DATA_DIR=str(tmp_path / "empty")))
