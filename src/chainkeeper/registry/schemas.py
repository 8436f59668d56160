"""API shapes of the registry."""

from __future__ import annotations

from typing import Generic, TypeVar

from pydantic import BaseModel, ConfigDict

T = TypeVar("T")


class EnterpriseOut(BaseModel):
    """An enterprise as the API shows it."""

    model_config = ConfigDict(from_attributes=True)

    uscc: str
    name: str
    county_code: str
    city_code: str
    province_code: str
    industry_code: str
    size: str
    chain_code: str | None
    chain_set_by_hand: bool
    labels: list[str]
    contact_person: str
    contact_phone: str


class EnterpriseRef(BaseModel):
    """A short reference to an enterprise inside a link."""

    uscc: str
    name: str
    county_code: str


class LinkOut(BaseModel):
    """A supply link as the API shows it."""

    id: int
    supplier: EnterpriseRef
    customer: EnterpriseRef
    product_code: str | None
    product_name: str | None
    annual_value: float
    lead_time_days: float | None
    inventory_days: float | None
    essential: bool

    @classmethod
    def of(cls, link) -> LinkOut:
        """Build from an ORM supply link."""
        def ref(enterprise) -> EnterpriseRef:
            return EnterpriseRef(uscc=enterprise.uscc, name=enterprise.name, county_code=enterprise.county_code)

        return cls(
            id=link.id, supplier=ref(link.supplier), customer=ref(link.customer),
            product_code=link.product.code if link.product else None,
            product_name=link.product.name if link.product else None,
            annual_value=link.annual_value, lead_time_days=link.lead_time_days,
            inventory_days=link.inventory_days, essential=link.essential,
        )


class PageOut(BaseModel, Generic[T]):
    """A page of items with the total count."""

    items: list[T]
    total: int
    page: int
    page_size: int
