"""Supply links as rows of the columns the enterprise page shows (issue 15): both ends' id, USCC and name and the
product's name from one Core select, no ORM entities (a link was loaded with two whole enterprises and its
product)."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, select
from sqlalchemy.orm import Session, aliased

from chainkeeper.registry.models import Enterprise, Product, SupplyLink
from chainkeeper.registry.service import ALL, Page, _bounds, _count

LARGEST_FIRST = (SupplyLink.annual_value.desc(), SupplyLink.id)
"""The order of links on the pages: largest annual value first (as :func:`service.list_links`)."""


@dataclass(frozen=True, slots=True)
class End:
    """One end of a link as the pages show it."""

    id: int
    uscc: str
    name: str


@dataclass(frozen=True, slots=True)
class ProductName:
    """A link's product as the pages show it."""

    name: str


@dataclass(frozen=True, slots=True)
class LinkRow:
    """A supply link with the attributes the pages read (the names of :class:`SupplyLink`'s)."""

    id: int
    supplier_id: int
    customer_id: int
    annual_value: float
    lead_time_days: float | None
    inventory_days: float | None
    essential: bool
    supplier: End
    customer: End
    product: ProductName | None


def _rows_query() -> Select:
    supplier, customer = aliased(Enterprise), aliased(Enterprise)  # aliases: a scope's subquery stays uncorrelated
    return (select(SupplyLink.id, SupplyLink.supplier_id, SupplyLink.customer_id, SupplyLink.annual_value,
                   SupplyLink.lead_time_days, SupplyLink.inventory_days, SupplyLink.essential, SupplyLink.product_id,
                   supplier.uscc, supplier.name, customer.uscc, customer.name, Product.name)
            .select_from(SupplyLink)
            .join(supplier, supplier.id == SupplyLink.supplier_id)
            .join(customer, customer.id == SupplyLink.customer_id)
            .outerjoin(Product, Product.id == SupplyLink.product_id))


ROWS = _rows_query()
"""The links with their ends and product, built once (an ``aliased()`` per request cost more than the ORM load)."""


def _link(row) -> LinkRow:
    (link_id, supplier_id, customer_id, value, lead, stock, essential, product_id,
     supplier_uscc, supplier_name, customer_uscc, customer_name, product_name) = row
    return LinkRow(link_id, supplier_id, customer_id, value, lead, stock, essential,
                   End(supplier_id, supplier_uscc, supplier_name), End(customer_id, customer_uscc, customer_name),
                   ProductName(product_name) if product_id is not None else None)


def link_page(session: Session, enterprise_id: int, *, upstream: bool, scope: ColumnElement[bool] = ALL,
              page: int = 1, page_size: int = 50) -> Page:
    """One page of the links into (``upstream``: its suppliers) or out of the enterprise inside ``scope``, largest
    first, and their total: the page and total of :func:`service.list_links` for that supplier or customer."""
    page, page_size = _bounds(page, page_size)
    near = SupplyLink.customer_id if upstream else SupplyLink.supplier_id
    rows = session.execute(ROWS.where(scope, near == enterprise_id).order_by(*LARGEST_FIRST)
                           .offset((page - 1) * page_size).limit(page_size))
    total = _count(session, select(SupplyLink.id).where(scope, near == enterprise_id))
    return Page([_link(row) for row in rows], total, page, page_size)


def largest_links(session: Session, frontier: Collection[int], *, upstream: bool, limit: int,
                  scope: ColumnElement[bool] = ALL) -> list[LinkRow]:
    """The ``limit`` largest links inside ``scope`` into (``upstream``) or out of the ``frontier`` enterprises."""
    near = SupplyLink.customer_id if upstream else SupplyLink.supplier_id
    query = ROWS.where(near.in_(frontier), scope).order_by(*LARGEST_FIRST).limit(limit)
    return [_link(row) for row in session.execute(query)]
