"""Default key industrial chains (重点产业链) as sets of GB/T 4754-2017 classes.

These seed the ``key_chain`` table; administrators may edit the stored copy.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ChainDefinition:
    """A key chain: its code, names and the industry codes (divisions, groups or classes) it covers."""

    code: str
    name_zh: str
    name_en: str
    industry_codes: tuple[str, ...]


def _division_range(first: int, last: int) -> tuple[str, ...]:
    return tuple(str(d) for d in range(first, last + 1))


DEFAULT_CHAINS: tuple[ChainDefinition, ...] = (
    ChainDefinition("auto", "汽车产业链", "Automobile", ("36",)),
    ChainDefinition(
        "ic",
        "集成电路产业链",
        "Integrated circuits",
        # manufacturing and packaging, discrete devices, design, electronic materials, fab equipment
        ("3973", "3972", "6520", "3985", "3562"),
    ),
    ChainDefinition(
        "medical",
        "医疗物资产业链",
        "Medical supplies",
        ("358", "2770", "1781"),
    ),
    ChainDefinition("biomedicine", "生物医药产业链", "Biomedicine", ("27",)),
    ChainDefinition(
        "equipment", "装备制造产业链", "Equipment manufacturing", _division_range(33, 40)
    ),
)
"""An industry covered by several chains derives to the most specific code (3973 is IC, not equipment's 39);
on a tie, to the chain listed first."""


def derive_chain(industry_code: str, prefixes: list[tuple[str, str]]) -> str | None:
    """The chain of the longest ``(industry prefix, chain)`` pair covering ``industry_code``; earlier pairs win ties.

    >>> derive_chain("3973", [("39", "equipment"), ("3973", "ic")])
    'ic'
    """
    best: tuple[int, str] | None = None
    for prefix, chain in prefixes:
        if industry_code.startswith(prefix) and (best is None or len(prefix) > best[0]):
            best = (len(prefix), chain)
    return best[1] if best else None


def chain_for_industry(industry_code: str, chains=DEFAULT_CHAINS) -> str | None:
    """The chain derived for ``industry_code`` from the default chains, or None.

    >>> chain_for_industry("3670"), chain_for_industry("3973"), chain_for_industry("3411"), chain_for_industry("0111")
    ('auto', 'ic', 'equipment', None)
    """
    return derive_chain(industry_code, [(code, chain.code) for chain in chains for code in chain.industry_codes])
