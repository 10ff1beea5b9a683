"""Record content at rest: AES-256-GCM under a key kept outside the database.

Every sealed value is `nonce || ciphertext || tag` with a fresh random 96-bit nonce. The
caller's associated data (AAD) is authenticated but not stored: the store binds each value to
the record and element it belongs to, so a sealed blob copied onto another row fails to open.

The key comes from ACCORD_CONTENT_KEY (base64 of 32 bytes), else the file named by
ACCORD_CONTENT_KEY_FILE, else `<data dir>/content.key`. Key-file format: one line, base64 of 32
random bytes; created with mode 0600 and never overwritten. Errors name the file, never the key
and never the data. `key_id` is a public fingerprint (first 16 hex digits of SHA-256 of the key)
that stored rows carry, so a row sealed under another key is named as such.

A random nonce is safe for about 2**32 seals under one key (NIST SP 800-38D); rotate the key well
before that (a 10-million-row load uses under 0.3% of it).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
import secrets
from collections.abc import Callable, Iterable
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.hashes import SHA256
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from accord.config import Settings
from accord.errors import AccordError
from accord.secret_files import create_secret, read_secret

KEY_BYTES = 32
NONCE_BYTES = 12
TAG_BYTES = 16
ENV_KEY = "ACCORD_CONTENT_KEY"
ENV_KEY_FILE = "ACCORD_CONTENT_KEY_FILE"


class ContentKeyError(AccordError, ValueError):
    """The content key is missing or malformed, or a sealed value does not open under it.

    Messages name the key file or the key's fingerprint, never the key or the content."""

    code = "content_key_unusable"


def key_id(key: bytes) -> str:
    """A public fingerprint of a content key: the first 16 hex digits of its SHA-256."""
    return hashlib.sha256(key).hexdigest()[:16]


class ContentCipher:
    """AES-256-GCM with a random nonce per value; `seal` and `open` take the same AAD."""

    __slots__ = ("_aead", "_digest_key", "key_id")

    def __init__(self, key: bytes) -> None:
        if len(key) != KEY_BYTES:
            raise ContentKeyError(f"a content key must be {KEY_BYTES} bytes, not {len(key)}")
        self._aead = AESGCM(key)
        # A key of its own for digests, so that the sealing key is used by AES-GCM alone.
        self._digest_key = HKDF(SHA256(), 32, salt=None, info=b"accord content digest v1").derive(key)
        self.key_id: str = key_id(key)

    def digest(self, data: bytes, size: int = 16) -> bytes:
        """A keyed digest of `data` (BLAKE2b, `size` bytes): equal data give equal digests, so a
        reload can tell a corrected value from an unchanged one without opening either; without
        the key, a digest tells nothing about a guessed value (a mark, a behavior)."""
        return self.digester(size)(data)

    def digester(self, size: int = 16) -> Callable[[bytes], bytes]:
        """`digest` with `size` fixed, for millions of calls: the key's block is hashed once and
        the keyed state copied for each value."""
        keyed = hashlib.blake2b(key=self._digest_key, digest_size=size)

        def digest(data: bytes) -> bytes:
            state = keyed.copy()
            state.update(data)
            return state.digest()

        return digest

    def __repr__(self) -> str:
        return f"ContentCipher(key_id={self.key_id!r})"

    def seal(self, plaintext: bytes, aad: bytes) -> bytes:
        """`nonce || ciphertext || tag` for `plaintext`, authenticated together with `aad`."""
        nonce = os.urandom(NONCE_BYTES)
        return nonce + self._aead.encrypt(nonce, plaintext, aad)

    def seal_many(self, pairs: Iterable[tuple[bytes, bytes]]) -> list[bytes]:
        """`seal` for each (plaintext, aad) pair, with the nonces drawn in one read of the OS
        random source (bulk loads seal millions of values)."""
        todo = list(pairs)
        nonces = os.urandom(NONCE_BYTES * len(todo))
        encrypt = self._aead.encrypt
        out = []
        for i, (plaintext, aad) in enumerate(todo):
            nonce = nonces[i * NONCE_BYTES:(i + 1) * NONCE_BYTES]
            out.append(nonce + encrypt(nonce, plaintext, aad))
        return out

    def open(self, sealed: bytes, aad: bytes) -> bytes:
        """The plaintext of `sealed`; ContentKeyError when the key, the data or the AAD differ."""
        if len(sealed) < NONCE_BYTES + TAG_BYTES:
            raise ContentKeyError("a sealed content value is truncated")
        try:
            return self._aead.decrypt(sealed[:NONCE_BYTES], sealed[NONCE_BYTES:], aad)
        except InvalidTag:
            raise ContentKeyError(
                f"a sealed content value does not open under key {self.key_id}: the key is "
                "wrong, or the value was altered or moved to another record") from None

    @classmethod
    def from_base64(cls, text: str, source: str) -> ContentCipher:
        """A cipher from base64 text; `source` (a file name or variable) names it in errors."""
        try:
            key = base64.b64decode(text.strip(), validate=True)
        except (binascii.Error, ValueError):
            raise ContentKeyError(f"{source}: the content key is not valid base64") from None
        if len(key) != KEY_BYTES:
            raise ContentKeyError(
                f"{source}: the content key is {len(key)} bytes; it must be {KEY_BYTES}")
        return cls(key)

    @classmethod
    def from_key_file(cls, path: Path) -> ContentCipher:
        """The cipher for the key in `path` (one line of base64 of 32 bytes)."""
        hint = (f" (create one with `accord intake content-key --out FILE`, or set {ENV_KEY} or "
                f"{ENV_KEY_FILE})")
        try:
            text = read_secret(path, ContentKeyError, "content key file", hint).decode("ascii")
        except UnicodeDecodeError:
            raise ContentKeyError(f"{path}: not a content key file") from None
        if len(text.split()) != 1:
            raise ContentKeyError(f"{path}: a content key file holds exactly one line of base64")
        return cls.from_base64(text, str(path))


def load_content_cipher(settings: Settings) -> ContentCipher:
    """The content cipher: the key itself (ACCORD_CONTENT_KEY), else the key file
    (ACCORD_CONTENT_KEY_FILE, by default `<data dir>/content.key`)."""
    if settings.content_key is not None:
        return ContentCipher.from_base64(settings.content_key.get_secret_value(), ENV_KEY)
    path = settings.content_key_file
    if next_key_file(path).exists():
        raise ContentKeyError(f"{next_key_file(path)}: a rotation of the content key is under way; finish it "
                              "with `accord keys rotate-content` before anything reads or writes content")
    return ContentCipher.from_key_file(path)


def next_key_file(path: Path) -> Path:
    """Where a rotation keeps the new key until every value is sealed under it."""
    return path.with_name(path.name + ".next")


def generate_content_key_file(path: Path) -> ContentCipher:
    """Write a new random key to `path` (mode 0600) and return its cipher; refuse to overwrite."""
    key = secrets.token_bytes(KEY_BYTES)
    create_secret(path, base64.b64encode(key) + b"\n", ContentKeyError, "content key file")
    return ContentCipher(key)
