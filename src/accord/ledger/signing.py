"""The ledger's Ed25519 signing key: kept in a key file beside the data, never in the database.

A database administrator who can rewrite rows still cannot sign a checkpoint over them.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from accord.errors import AccordError
from accord.secret_files import create_secret, read_secret


class SigningKeyError(AccordError, RuntimeError):
    """The key file is missing, unreadable or not an Ed25519 key."""

    code = "signing_key_unusable"


def create_key_file(path: Path) -> Ed25519PrivateKey:
    """Write a new private key (PEM, owner-only permissions); refuse to overwrite one."""
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    create_secret(path, pem, SigningKeyError, "ledger signing key")
    return key


def load_key_file(path: Path) -> Ed25519PrivateKey:
    pem = read_secret(path, SigningKeyError, "ledger signing key")
    try:
        key = serialization.load_pem_private_key(pem, password=None)
    except ValueError:
        raise SigningKeyError(f"{path}: the ledger signing key is not a PEM private key") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise SigningKeyError(f"{path} is not an Ed25519 private key")
    return key


def public_hex(key: Ed25519PublicKey) -> str:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw).hex()


def key_id(public: str) -> str:
    """A short fingerprint of a public key (hex), as shown to partner agencies."""
    return hashlib.sha256(bytes.fromhex(public)).hexdigest()[:16]


def sign(key: Ed25519PrivateKey, message: str) -> str:
    return key.sign(message.encode("utf-8")).hex()


def signature_holds(public: str, message: str, signature: str) -> bool:
    try:
        Ed25519PublicKey.from_public_bytes(bytes.fromhex(public)).verify(
            bytes.fromhex(signature), message.encode("utf-8"))
    except (InvalidSignature, ValueError):
        return False
    return True
