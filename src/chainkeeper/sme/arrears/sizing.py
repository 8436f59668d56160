"""The creditor's size class, by the size self-test (:func:`chainkeeper.sme.size.classify`) from the figures the
creditor gives as at the contract's signing (Art. 3), or else from its registry entry; the sector is the size
standard's row either way, so statistics by sector use one key."""

from __future__ import annotations

from dataclasses import dataclass

from chainkeeper.registry.models import Enterprise, SizeClass
from chainkeeper.sme.size import classify
from chainkeeper.sme.size.standard import Sector, find_sector

SME_CLASSES = (SizeClass.medium, SizeClass.small, SizeClass.micro)


@dataclass(frozen=True)
class Figures:
    """What the self-test needs (None = not given)."""

    employees: int | None = None
    revenue_wan: float | None = None
    assets_wan: float | None = None

    @property
    def given(self) -> bool:
        """Whether the creditor gave any figure (then the self-test decides, and names a missing one)."""
        return any(v is not None for v in (self.employees, self.revenue_wan, self.assets_wan))


def creditor_size(enterprise: Enterprise, figures: Figures) -> tuple[SizeClass, str, str]:
    """``(size, sector, how)``: by the self-test when figures are given (its errors name the missing field),
    otherwise the registry's size class; ``how`` is ``"self_test"`` or ``"registry"``."""
    if figures.given:
        verdict = classify(industry_code=enterprise.industry_code, employees=figures.employees,
                           revenue_wan=figures.revenue_wan, assets_wan=figures.assets_wan)
        return verdict.size, verdict.sector, "self_test"
    return SizeClass(enterprise.size), sector_of(enterprise.industry_code), "registry"


def sector_of(industry_code: str) -> str:
    """The size standard's row key for ``industry_code`` ('' when the standard does not decide it)."""
    row = find_sector(industry_code or "")
    return row.key if isinstance(row, Sector) else ""
