"""The one way secrets are written and read (accord/secret_files.py), for each of the three keys:
created 0600 and never over another file; refused when others can read them, missing, or empty."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from accord.errors import AccordError
from accord.ledger.signing import SigningKeyError, create_key_file, load_key_file
from accord.linkage.encode.keys import KeyFileError, generate_key, read_key_file, write_key_file
from accord.store.crypto import ContentCipher, ContentKeyError, generate_content_key_file

KEYS: dict[str, tuple[Callable[[Path], object], Callable[[Path], object], type[AccordError], str]] = {
    "linkage": (lambda p: write_key_file(p, generate_key()), read_key_file, KeyFileError, "linkage key file"),
    "content": (generate_content_key_file, ContentCipher.from_key_file, ContentKeyError, "content key file"),
    "ledger": (create_key_file, load_key_file, SigningKeyError, "ledger signing key"),
}


@pytest.mark.parametrize("kind", sorted(KEYS))
def test_each_key_file_is_owner_only_and_never_overwritten(kind: str, tmp_path: Path) -> None:
    create, read, error, what = KEYS[kind]
    path = tmp_path / "sub" / "secret.key"
    create(path)
    assert path.stat().st_mode & 0o777 == 0o600
    read(path)
    first = path.read_bytes()
    with pytest.raises(error, match=f"already exists; refusing to overwrite a {what}"):
        create(path)
    assert path.read_bytes() == first


@pytest.mark.parametrize("kind", sorted(KEYS))
@pytest.mark.parametrize("mode", [0o644, 0o640, 0o604])
def test_a_key_file_others_can_read_is_refused(kind: str, mode: int, tmp_path: Path) -> None:
    create, read, error, what = KEYS[kind]
    path = tmp_path / "secret.key"
    create(path)
    path.chmod(mode)
    with pytest.raises(error, match=f"the {what} can be read by other users \\(mode {mode:o}\\)"):
        read(path)


@pytest.mark.parametrize("kind", sorted(KEYS))
def test_a_missing_empty_or_truncated_key_file_is_one_clear_error(kind: str, tmp_path: Path) -> None:
    create, read, error, what = KEYS[kind]
    with pytest.raises(error, match=f"no {what} here"):
        read(tmp_path / "missing.key")
    path = tmp_path / "secret.key"
    create(path)
    path.write_bytes(path.read_bytes()[:20])
    with pytest.raises(error):
        read(path)
    path.write_bytes(b"")
    with pytest.raises(error):
        read(path)
