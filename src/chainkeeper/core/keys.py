"""Ed25519 signing keys, kept as files outside the database.

Layout of a key directory (``<data_dir>/keys`` by default, mode 0700)::

    <kid>.key   the private key, PKCS#8 PEM, mode 0600 (never printed, never logged)
    <kid>.pub   its public key, SubjectPublicKeyInfo PEM
    CURRENT     the key id that signs new credentials

The key id (``kid``) is the first 8 hex digits of SHA-256 over the raw 32-byte public key, so a verifier derives
it from the key itself and never trusts a file name. Rotation writes a new key and moves ``CURRENT``; old keys
stay, so everything they signed keeps verifying. Checkpoints get the ``*.pub`` files (``keys export-public``).
"""

from __future__ import annotations

import hashlib
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from chainkeeper.datadir import private_dir, write_private
from chainkeeper.errors import ValidationFailed

KEYS_SUBDIR = "keys"
CURRENT_FILE = "CURRENT"
PRIVATE_SUFFIX, PUBLIC_SUFFIX = ".key", ".pub"


class KeyProblem(ValidationFailed):
    """A key is missing, already present, or unreadable."""

    code = "key_error"


class NoSigningKey(KeyProblem):
    """No signing key exists yet (run ``chainkeeper keys generate``)."""

    code = "no_signing_key"


@dataclass(frozen=True)
class SigningKey:
    """The private key that signs, with its id; its repr never shows key material."""

    key_id: str
    private_key: Ed25519PrivateKey = field(repr=False)

    def sign(self, data: bytes) -> bytes:
        """The 64-byte Ed25519 signature of ``data``."""
        return self.private_key.sign(data)


def default_keys_dir() -> Path:
    """``<data_dir>/keys`` of the configured settings."""
    from chainkeeper.config import get_settings

    return get_settings().data_dir / KEYS_SUBDIR


def key_id(public_key: Ed25519PublicKey) -> str:
    """The id of a public key: 8 hex digits of SHA-256 over its raw bytes."""
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:8]


def public_pem(public_key: Ed25519PublicKey) -> str:
    """The PEM text of a public key."""
    return public_key.public_bytes(serialization.Encoding.PEM,
                                   serialization.PublicFormat.SubjectPublicKeyInfo).decode("ascii")


def _write_private(path: Path, key: Ed25519PrivateKey) -> None:
    data = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(data)
    os.chmod(path, 0o600)


def _set_current(directory: Path, kid: str) -> None:
    temporary = directory / f".{CURRENT_FILE}.tmp"
    write_private(temporary, (kid + "\n").encode("ascii"))
    temporary.replace(directory / CURRENT_FILE)


def _new_key(directory: Path) -> str:
    private_dir(directory)
    private = Ed25519PrivateKey.generate()
    kid = key_id(private.public_key())
    _write_private(directory / f"{kid}{PRIVATE_SUFFIX}", private)
    write_private(directory / f"{kid}{PUBLIC_SUFFIX}", public_pem(private.public_key()).encode("ascii"))
    _set_current(directory, kid)
    return kid


def current_key_id(directory: Path) -> str | None:
    """The id of the signing key, or None when there is none."""
    marker = directory / CURRENT_FILE
    if not marker.is_file():
        return None
    kid = marker.read_text(encoding="ascii").strip()
    return kid if (directory / f"{kid}{PRIVATE_SUFFIX}").is_file() else None


def generate_key(directory: Path) -> str:
    """Create the first signing key; refuses when one exists (use :func:`rotate_key`)."""
    if current_key_id(directory) is not None:
        raise KeyProblem("a signing key exists already; use 'chainkeeper keys rotate' for a new one")
    return _new_key(directory)


def rotate_key(directory: Path) -> str:
    """Create a new signing key; the old ones stay for verification."""
    return _new_key(directory)


def ensure_signing_key(data_dir: Path) -> str:
    """The signing key id under ``data_dir/keys``, generating the first key when none exists (the demo)."""
    directory = Path(data_dir) / KEYS_SUBDIR
    return current_key_id(directory) or _new_key(directory)


def signing_key(directory: Path | None = None) -> SigningKey:
    """The current private key, or :class:`NoSigningKey`."""
    directory = directory or default_keys_dir()
    kid = current_key_id(directory)
    if kid is None:
        raise NoSigningKey("no signing key exists; run 'chainkeeper keys generate' first")
    data = (directory / f"{kid}{PRIVATE_SUFFIX}").read_bytes()
    private = serialization.load_pem_private_key(data, password=None)
    if not isinstance(private, Ed25519PrivateKey) or key_id(private.public_key()) != kid:
        raise KeyProblem(f"the key file of {kid} is not the Ed25519 key it is named after")
    return SigningKey(kid, private)


def _load_public(path: Path) -> Ed25519PublicKey:
    key = serialization.load_pem_public_key(path.read_bytes())
    if not isinstance(key, Ed25519PublicKey):
        raise KeyProblem(f"{path.name} is not an Ed25519 public key")
    return key


def load_public_keys(path: Path | None = None) -> dict[str, Ed25519PublicKey]:
    """Public keys by id from a ``.pub`` PEM file or every ``*.pub`` of a directory (missing → none)."""
    path = path or default_keys_dir()
    if path.is_file():
        files = [path]
    elif path.is_dir():
        files = sorted(path.glob(f"*{PUBLIC_SUFFIX}"))
    else:
        return {}
    try:
        keys = [_load_public(file) for file in files]
    except ValueError as error:
        raise KeyProblem(f"a public key file cannot be read: {error}") from None
    return {key_id(key): key for key in keys}


def export_public(directory: Path, out_dir: Path) -> list[Path]:
    """Copy every public key (never a private one) to ``out_dir`` for checkpoints; returns the files written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for source in sorted(directory.glob(f"*{PUBLIC_SUFFIX}")):
        target = out_dir / source.name
        shutil.copyfile(source, target)
        written.append(target)
    return written
