"""Unified social credit codes (统一社会信用代码), GB 32100-2015.

An 18-character code: registration authority (1), institution type (1), administrative division (6),
organisation code (9) and a check character computed over the first 17 characters modulo 31.
"""

from __future__ import annotations

import random

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_VALUE = {char: value for value, char in enumerate(ALPHABET)}
LENGTH = 18


class USCCError(ValueError):
    """A code that is not a valid USCC; ``code`` names the problem, ``expected`` the right check character."""

    def __init__(self, code: str, message: str, *, expected: str | None = None):
        super().__init__(message)
        self.code = code
        self.expected = expected


def check_character(body: str) -> str:
    """The check character for the first 17 characters ``body``.

    >>> check_character("91350100M000100Y4")
    '3'
    """
    if len(body) != LENGTH - 1:
        raise USCCError("length", f"expected 17 characters, got {len(body)}")
    total = 0
    for position, char in enumerate(body):
        if char not in _VALUE:
            raise USCCError("character", f"character {char!r} at position {position + 1} is not allowed")
        total += _VALUE[char] * WEIGHTS[position]
    return ALPHABET[(31 - total % 31) % 31]


def normalize(code: str) -> str:
    """Strip surrounding whitespace and upper-case; full-width characters become half-width."""
    code = "".join(chr(ord(c) - 0xFEE0) if "\uff01" <= c <= "\uff5e" else c for c in code)
    return code.strip().upper()


def validate(code: str) -> str:
    """Return the normalised code, or raise :class:`USCCError` saying what is wrong.

    >>> validate("91350100m000100y43")
    '91350100M000100Y43'
    """
    code = normalize(code)
    if len(code) != LENGTH:
        raise USCCError("length", f"a USCC has 18 characters, got {len(code)}")
    if not code[2:8].isdigit():
        raise USCCError("region", "characters 3-8 must be the 6-digit administrative division code")
    expected = check_character(code[:17])
    if code[17] != expected:
        raise USCCError(
            "check", f"check character is {code[17]!r}, expected {expected!r}", expected=expected
        )
    return code


def is_valid(code: str) -> bool:
    """True when ``code`` is a valid USCC."""
    try:
        validate(code)
    except USCCError:
        return False
    return True


def generate(county_code: str, rng: random.Random, *, authority: str = "9", kind: str = "1") -> str:
    """A syntactically valid USCC for a company registered in ``county_code`` (for demo data and tests)."""
    org = "".join(rng.choice(ALPHABET) for _ in range(9))
    body = f"{authority}{kind}{county_code}{org}"
    return body + check_character(body)
