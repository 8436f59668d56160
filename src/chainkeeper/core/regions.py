"""How administrative divisions nest: a 6-digit county code lies in its 4-digit city and 2-digit province."""

from __future__ import annotations


def within(code: str, ancestor: str) -> bool:
    """True when region ``code`` lies inside ``ancestor`` ('' is the whole country). Codes nest by prefix.

    >>> within("320583", "3205"), within("320583", "31"), within("310114", "")
    (True, False, True)
    """
    return code.startswith(ancestor)
