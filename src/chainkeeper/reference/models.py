"""ORM models of the reference tables: regions, region groups, industries, key chains."""

from __future__ import annotations

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from chainkeeper.db import Base


class Region(Base):
    """An administrative division: province (level 1, 2 digits), prefecture (2, 4 digits), county (3, 6 digits)."""

    __tablename__ = "region"

    code: Mapped[str] = mapped_column(String(6), primary_key=True)
    name: Mapped[str] = mapped_column(String(64))
    level: Mapped[int] = mapped_column(Integer)
    parent_code: Mapped[str | None] = mapped_column(ForeignKey("region.code"), index=True)
    province_code: Mapped[str] = mapped_column(String(2), index=True)
    city_code: Mapped[str | None] = mapped_column(String(4), index=True)


class RegionGroup(Base):
    """A named group of regions used in coordination, e.g. the Yangtze River Delta."""

    __tablename__ = "region_group"

    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    name_zh: Mapped[str] = mapped_column(String(64))
    name_en: Mapped[str] = mapped_column(String(64))
    members: Mapped[list[RegionGroupMember]] = relationship(cascade="all, delete-orphan")


class RegionGroupMember(Base):
    """Membership of a region (province or prefecture) in a region group."""

    __tablename__ = "region_group_member"

    group_code: Mapped[str] = mapped_column(ForeignKey("region_group.code"), primary_key=True)
    region_code: Mapped[str] = mapped_column(ForeignKey("region.code"), primary_key=True)


class Industry(Base):
    """A GB/T 4754-2017 code: section (level 1), division (2), group (3) or class (4)."""

    __tablename__ = "industry"

    code: Mapped[str] = mapped_column(String(4), primary_key=True)
    name: Mapped[str] = mapped_column(String(128))
    level: Mapped[int] = mapped_column(Integer)
    section: Mapped[str] = mapped_column(String(1))
    parent_code: Mapped[str | None] = mapped_column(ForeignKey("industry.code"))


class KeyChain(Base):
    """A key industrial chain (重点产业链), a named set of industry codes."""

    __tablename__ = "key_chain"

    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    name_zh: Mapped[str] = mapped_column(String(64))
    name_en: Mapped[str] = mapped_column(String(64))
    position: Mapped[int] = mapped_column(Integer, default=0)
    industries: Mapped[list[KeyChainIndustry]] = relationship(
        cascade="all, delete-orphan", order_by="KeyChainIndustry.industry_code"
    )


class KeyChainIndustry(Base):
    """An industry code (any level) that belongs to a key chain."""

    __tablename__ = "key_chain_industry"

    chain_code: Mapped[str] = mapped_column(ForeignKey("key_chain.code"), primary_key=True)
    industry_code: Mapped[str] = mapped_column(ForeignKey("industry.code"), primary_key=True)
