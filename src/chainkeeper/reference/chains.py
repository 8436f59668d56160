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
"""Order matters: an industry in several chains is derived to the first one (3973 is IC, not equipment)."""


def chain_for_industry(industry_code: str, chains=DEFAULT_CHAINS) -> str | None:
    """The first chain whose industry prefixes cover ``industry_code``, or None.

    >>> chain_for_industry("3670"), chain_for_industry("3973"), chain_for_industry("3411"), chain_for_industry("0111")
    ('auto', 'ic', 'equipment', None)
    """
    for chain in chains:
        if any(industry_code.startswith(prefix) for prefix in chain.industry_codes):
            return chain.code
    return None
