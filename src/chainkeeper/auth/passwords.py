"""Password hashing with argon2id, and the password rules (MLPS 2.0 level 3: length, character classes, no common
or username-derived passwords; reuse of recent passwords is checked by the account service with the history)."""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING

from chainkeeper.config import get_settings
from chainkeeper.errors import ValidationFailed

if TYPE_CHECKING:
    from argon2 import PasswordHasher

MIN_LENGTH = 10
MIN_CLASSES = 3  # of: lower-case letters, upper-case letters, digits, anything else
MIN_REST = 3  # letters a password must keep besides the username it contains (and digits and symbols)
_AFFIXES = re.compile(r"^[\W\d_]+|[\W\d_]+$")
RULES = {
    "too_short": f"a password needs at least {MIN_LENGTH} characters",
    "too_simple": f"a password needs at least {MIN_CLASSES} of: lower-case letters, upper-case letters, digits, "
                  "other characters",
    "common_password": "this password is among the most common ones",
    "from_username": "a password must not be made from the username",
}


def _hasher() -> PasswordHasher:
    """The argon2id hasher of the configured cost (``password_hash_*`` settings; argon2's defaults)."""
    settings = get_settings()
    return _hasher_of(settings.password_hash_time_cost, settings.password_hash_memory_kib,
                      settings.password_hash_parallelism)


@lru_cache(maxsize=4)
def _hasher_of(time_cost: int, memory_kib: int, parallelism: int) -> PasswordHasher:
    from argon2 import PasswordHasher  # its C library on the first sign-in, not at start-up

    return PasswordHasher(time_cost=time_cost, memory_cost=memory_kib, parallelism=parallelism)


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    """The 10,000 most common passwords (``data/common-passwords.txt``, see its PROVENANCE.md), lower-cased."""
    text = resources.files("chainkeeper.auth").joinpath("data/common-passwords.txt").read_text(encoding="utf-8")
    return frozenset(line.strip().lower() for line in text.splitlines() if line.strip())


def hash_password(password: str, username: str | None = None) -> str:
    """The argon2id hash of an acceptable password (raises :class:`ValidationFailed` otherwise)."""
    check_strength(password, username)
    return _hasher().hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """True when ``password`` matches ``password_hash``."""
    from argon2.exceptions import InvalidHashError, VerificationError

    try:
        return _hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """True when the hash was made with weaker parameters than today's."""
    return _hasher().check_needs_rehash(password_hash)


def _classes(password: str) -> int:
    kinds = (str.islower, str.isupper, str.isdigit)
    found = {index for c in password for index, kind in enumerate(kinds) if kind(c)}
    return len(found) + any(not (c.islower() or c.isupper() or c.isdigit()) for c in password)


def _is_common(password: str) -> bool:
    """The password, or its letters without leading/trailing digits and symbols (``Password12!``), is common."""
    lowered = password.lower()
    return lowered in common_passwords() or _AFFIXES.sub("", lowered) in common_passwords()


def _from_username(password: str, username: str) -> bool:
    """The username (or its reverse) makes up the password but for digits, symbols and fewer than
    :data:`MIN_REST` other characters (``kunshan2022!``, ``Kunshan@2022x``); ``kunshan-demo-2022`` keeps enough."""
    name, lowered = username.strip().lower(), password.lower()
    if len(name) < 3:
        return False
    for form in (name, name[::-1]):
        if form in lowered:
            rest = lowered.replace(form, "")
            if len(_AFFIXES.sub("", rest)) < MIN_REST:
                return True
    return False


def check_strength(password: str, username: str | None = None) -> None:
    """Every rule the password breaks, as one :class:`ValidationFailed` (its message names the first)."""
    broken = []
    if len(password) < MIN_LENGTH:
        broken.append("too_short")
    if _classes(password) < MIN_CLASSES:
        broken.append("too_simple")
    if _is_common(password):
        broken.append("common_password")
    if username and _from_username(password, username):
        broken.append("from_username")
    if broken:
        raise ValidationFailed(RULES[broken[0]], [{"field": "password", "code": code, "message": RULES[code]}
                                                  for code in broken])
