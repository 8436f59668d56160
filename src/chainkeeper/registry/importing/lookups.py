"""What validation needs to know from the database, read once per import."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sqlalchemy import Column, select
from sqlalchemy.orm import Session

from chainkeeper.reference.chains import derive_chain
from chainkeeper.reference.models import Industry, KeyChain, KeyChainIndustry, Region
from chainkeeper.registry.models import Enterprise, Product

if TYPE_CHECKING:
    from chainkeeper.registry.importing.access import WriteAccess


@dataclass
class Lookups:
    """Reference codes and existing keys, as plain dicts for fast row checks."""

    counties: dict[str, tuple[str, str]] = field(default_factory=dict)  # county → (city, province)
    industry_classes: set[str] = field(default_factory=set)
    chains: dict[str, str] = field(default_factory=dict)  # code or name → code
    chain_prefixes: list[tuple[str, str]] = field(default_factory=list)  # (industry prefix, chain), ordered
    enterprise_ids: dict[str, int] = field(default_factory=dict)  # uscc → id
    product_ids: dict[str, int] = field(default_factory=dict)  # code → id
    product_values: dict[str, tuple] = field(default_factory=dict)  # code → (name, industry), for a restricted caller
    access: WriteAccess | None = None  # what the caller may change (None: everything)

    def chain_for_industry(self, industry_code: str) -> str | None:
        """The key chain derived from an industry class (the most specific matching code wins)."""
        return derive_chain(industry_code, self.chain_prefixes)


def load_reference(session: Session, lookups: Lookups) -> None:
    """Regions, industries and key chains."""
    counties = session.execute(select(Region.code, Region.city_code, Region.province_code).where(Region.level == 3))
    lookups.counties = {code: (city, province) for code, city, province in counties}
    lookups.industry_classes = set(session.scalars(select(Industry.code).where(Industry.level == 4)))
    for chain in session.scalars(select(KeyChain).order_by(KeyChain.position)):
        for key in (chain.code, chain.name_zh, chain.name_en):
            lookups.chains[key.lower()] = chain.code
    members = session.execute(
        select(KeyChainIndustry.industry_code, KeyChainIndustry.chain_code)
        .join(KeyChain)
        .order_by(KeyChain.position, KeyChainIndustry.industry_code)
    )
    lookups.chain_prefixes = [(industry, chain) for industry, chain in members]


def load_enterprise_ids(session: Session, lookups: Lookups) -> None:
    """Every stored USCC and its id."""
    lookups.enterprise_ids = _pairs(session, Enterprise.__table__.c.uscc, Enterprise.__table__.c.id)


def load_product_ids(session: Session, lookups: Lookups, *, values: bool = False) -> None:
    """Every stored product code and its id (and, with ``values``, its name and industry)."""
    lookups.product_ids = _pairs(session, Product.__table__.c.code, Product.__table__.c.id)
    if values:
        rows = session.execute(select(Product.code, Product.name, Product.industry_code))
        lookups.product_values = {code: (name, industry) for code, name, industry in rows}


def _pairs(session: Session, key: Column, value: Column) -> dict:
    """``{key: value}`` over a whole table, read in the session's transaction with the driver's own cursor: no
    result row object per row (a registry holds hundreds of thousands of enterprises)."""
    sql = f"SELECT {key.name}, {value.name} FROM {key.table.name}"
    cursor = session.connection().connection.driver_connection.cursor()
    try:
        cursor.execute(sql)
        return dict(cursor.fetchall())
    finally:
        cursor.close()
