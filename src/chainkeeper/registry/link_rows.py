"""Supply links as rows of the columns the enterprise page shows (issue 15): both ends' id, USCC and name and the
product's name from one Core select, no ORM entities (a link was loaded with two whole enterprises and its
product).

The statements are built once per caller's scope and direction with the enterprise, frontier and page bound
(:mod:`chainkeeper.core.rows`) and run on the session's connection; a page that is not full needs no count."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from functools import lru_cache

from sqlalchemy import Select, bindparam, func, select
from sqlalchemy.orm import Session, aliased

from chainkeeper.auth.roles import Principal
from chainkeeper.auth.scope import link_scope
from chainkeeper.registry.models import Enterprise, Product, SupplyLink
from chainkeeper.registry.service import Page, page_bounds, page_total

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


def _near(upstream: bool):
    """The link's column that holds the enterprise whose suppliers (``upstream``) or customers are read."""
    return SupplyLink.customer_id if upstream else SupplyLink.supplier_id


@lru_cache(maxsize=256)
def _page_statements(principal: Principal, upstream: bool) -> tuple[Select, Select]:
    """A page of one enterprise's links (``enterprise_id``, ``offset`` and ``limit`` bound) in the principal's
    scope, and their count."""
    scope, near = link_scope(principal), _near(upstream)
    rows = (ROWS.where(scope, near == bindparam("enterprise_id")).order_by(*LARGEST_FIRST)
            .offset(bindparam("offset")).limit(bindparam("limit")))
    ids = select(SupplyLink.id).where(scope, near == bindparam("enterprise_id"))
    return rows, select(func.count()).select_from(ids.subquery())


def link_page(session: Session, enterprise_id: int, *, upstream: bool, principal: Principal, page: int = 1,
              page_size: int = 50) -> Page:
    """One page of the links into (``upstream``: its suppliers) or out of the enterprise inside the principal's
    scope (:func:`~chainkeeper.auth.scope.link_scope`), largest first, and their total: the page and total of
    :func:`service.list_links` for that supplier or customer."""
    page, page_size = page_bounds(page, page_size)
    rows, count = _page_statements(principal, upstream)
    params = {"enterprise_id": enterprise_id, "offset": (page - 1) * page_size, "limit": page_size}
    items = [_link(row) for row in session.connection().execute(rows, params)]
    return Page(items, page_total(session, count, page, page_size, len(items), params), page, page_size)


@lru_cache(maxsize=256)
def _largest_statement(principal: Principal, upstream: bool) -> Select:
    frontier = bindparam("frontier", expanding=True)
    return (ROWS.where(_near(upstream).in_(frontier), link_scope(principal)).order_by(*LARGEST_FIRST)
            .limit(bindparam("limit")))


def largest_links(session: Session, frontier: Collection[int], *, upstream: bool, limit: int,
                  principal: Principal) -> list[LinkRow]:
    """The ``limit`` largest links inside the principal's scope into (``upstream``) or out of the ``frontier``
    enterprises."""
    params = {"frontier": list(frontier), "limit": limit}
    return [_link(row) for row in session.connection().execute(_largest_statement(principal, upstream), params)]
