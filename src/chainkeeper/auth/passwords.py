"""Password hashing with argon2id, and the password rules."""

from __future__ import annotations

from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from chainkeeper.errors import ValidationFailed

MIN_LENGTH = 10


@lru_cache(maxsize=1)
def _hasher() -> PasswordHasher:
    return PasswordHasher()


def hash_password(password: str) -> str:
    """The argon2id hash of an acceptable password (raises :class:`ValidationFailed` otherwise)."""
    check_strength(password)
    return _hasher().hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """True when ``password`` matches ``password_hash``."""
    try:
        return _hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """True when the hash was made with weaker parameters than today's."""
    return _hasher().check_needs_rehash(password_hash)


def check_strength(password: str) -> None:
    """At least 10 characters, with letters and digits."""
    if len(password) < MIN_LENGTH or not any(c.isdigit() for c in password) or not any(c.isalpha() for c in password):
        raise ValidationFailed(
            f"a password needs at least {MIN_LENGTH} characters, with letters and digits",
            [{"field": "password", "code": "weak_password"}],
        )
