"""ORM models of the registry: enterprises, their labels, products and supply links."""

from __future__ import annotations

import enum
from datetime import datetime, timezone

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Enum,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from chainkeeper.db import Base, UTCDateTime


def _now() -> datetime:
    return datetime.now(timezone.utc)


class SizeClass(str, enum.Enum):
    """Enterprise size class (大型 / 中型 / 小型 / 微型)."""

    large = "large"
    medium = "medium"
    small = "small"
    micro = "micro"


class Label(str, enum.Enum):
    """Enterprise labels."""

    leading = "leading"  # 龙头企业
    key_node = "key_node"  # 关键节点企业
    specialized = "specialized"  # 专精特新
    little_giant = "little_giant"  # 专精特新"小巨人"
    single_champion = "single_champion"  # 制造业单项冠军
    foreign_invested = "foreign_invested"  # 外资企业


class Enterprise(Base):
    """An enterprise, identified by its unified social credit code."""

    __tablename__ = "enterprise"
    __table_args__ = (  # ordered lists: by name, also inside a province or a chain (migrations 0007, 0008)
        Index("ix_enterprise_name_id", "name", "id"),
        Index("ix_enterprise_province_name", "province_code", "name", "id"),
        Index("ix_enterprise_chain_name", "chain_code", "name", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uscc: Mapped[str] = mapped_column(String(18), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    normalized_name: Mapped[str] = mapped_column(String(200), index=True)
    county_code: Mapped[str] = mapped_column(ForeignKey("region.code"), index=True)
    city_code: Mapped[str] = mapped_column(String(4), index=True)
    province_code: Mapped[str] = mapped_column(String(2), index=True)
    industry_code: Mapped[str] = mapped_column(ForeignKey("industry.code"), index=True)
    size: Mapped[SizeClass] = mapped_column(Enum(SizeClass, native_enum=False, length=16))
    chain_code: Mapped[str | None] = mapped_column(ForeignKey("key_chain.code"), index=True)
    chain_set_by_hand: Mapped[bool] = mapped_column(Boolean, default=False)
    contact_person: Mapped[str] = mapped_column(String(64), default="")
    contact_phone: Mapped[str] = mapped_column(String(32), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=_now)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=_now, onupdate=_now)

    labels: Mapped[list[EnterpriseLabel]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="EnterpriseLabel.label"
    )

    @property
    def label_codes(self) -> list[str]:
        """The enterprise's label codes, sorted."""
        return [item.label.value for item in self.labels]


class EnterpriseLabel(Base):
    """One label of an enterprise."""

    __tablename__ = "enterprise_label"

    enterprise_id: Mapped[int] = mapped_column(
        ForeignKey("enterprise.id", ondelete="CASCADE"), primary_key=True
    )
    label: Mapped[Label] = mapped_column(Enum(Label, native_enum=False, length=32), primary_key=True)


class Product(Base):
    """A product or input that moves along supply links."""

    __tablename__ = "product"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    industry_code: Mapped[str | None] = mapped_column(ForeignKey("industry.code"))


class SupplyLink(Base):
    """Supplier sells (a product) to customer: annual value, lead time and the customer's stock of it."""

    __tablename__ = "supply_link"
    __table_args__ = (
        CheckConstraint("supplier_id <> customer_id", name="ck_supply_link_not_self"),
        CheckConstraint("annual_value >= 0", name="ck_supply_link_value"),
        CheckConstraint("lead_time_days >= 0", name="ck_supply_link_lead_time"),
        CheckConstraint("inventory_days >= 0", name="ck_supply_link_inventory"),
        Index(
            "uq_supply_link_key",
            "supplier_id",
            "customer_id",
            text("coalesce(product_id, 0)"),
            unique=True,
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    supplier_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id", ondelete="CASCADE"))
    customer_id: Mapped[int] = mapped_column(
        ForeignKey("enterprise.id", ondelete="CASCADE"), index=True
    )
    product_id: Mapped[int | None] = mapped_column(ForeignKey("product.id"))
    annual_value: Mapped[float] = mapped_column(Float, default=0.0)
    lead_time_days: Mapped[float | None] = mapped_column(Float)
    inventory_days: Mapped[float | None] = mapped_column(Float)
    essential: Mapped[bool] = mapped_column(Boolean, default=False)

    supplier: Mapped[Enterprise] = relationship(foreign_keys=[supplier_id], lazy="joined")
    customer: Mapped[Enterprise] = relationship(foreign_keys=[customer_id], lazy="joined")
    product: Mapped[Product | None] = relationship(lazy="joined")


Index("ix_supply_link_value_id", SupplyLink.annual_value.desc(), SupplyLink.id)  # the lists' order (issue 15)
