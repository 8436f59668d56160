"""The API's enterprises as plain rows: Core selects of the columns the API shows, no ORM entities.

The JSON API (``registry/api.py``) needs the same enterprises as :func:`service.list_enterprises` and
:func:`service.get_enterprise` (same filters, scope, order, page and count) but only as data: loading ORM entities
(identity map, instance state, the ``selectin`` load of labels) cost most of an API call. Each enterprise here is
a dict with the keys of :class:`~chainkeeper.registry.schemas.EnterpriseOut`, read with its labels in one statement.
"""

from __future__ import annotations

from functools import lru_cache

from sqlalchemy import Select, bindparam, func, or_, select
from sqlalchemy.orm import Session, aliased

from chainkeeper.auth.roles import Principal
from chainkeeper.auth.scope import enterprise_scope, link_scope
from chainkeeper.core.rows import Memo, dicts
from chainkeeper.errors import NotFound
from chainkeeper.registry import uscc as uscc_codes
from chainkeeper.registry.name_search import name_index_kind
from chainkeeper.registry.link_rows import LARGEST_FIRST
from chainkeeper.registry.models import Enterprise, EnterpriseLabel, Label, Product, SupplyLink
from chainkeeper.registry import service
from chainkeeper.registry.service import EnterpriseFilter, Page

LABELS = (select(func.aggregate_strings(EnterpriseLabel.label, ","))
          .where(EnterpriseLabel.enterprise_id == Enterprise.id).scalar_subquery().label("labels"))
"""The enterprise's label codes as one string (comma-separated, in no order): no second statement for them."""
COLUMNS = (Enterprise.uscc, Enterprise.name, Enterprise.county_code, Enterprise.city_code, Enterprise.province_code,
           Enterprise.industry_code, Enterprise.size, Enterprise.chain_code, Enterprise.chain_set_by_hand, LABELS,
           Enterprise.contact_person, Enterprise.contact_phone)


_LABEL_CODES = {label.name: label.value for label in Label}


def _as_dict(data: dict) -> dict:
    """A row of :data:`COLUMNS` (as a dict) as the API's enterprise (labels sorted, as ``Enterprise.label_codes``
    orders them)."""
    data["size"] = data["size"].value
    labels = data["labels"]
    data["labels"] = sorted(_LABEL_CODES[name] for name in labels.split(",")) if labels else []
    return data


def list_enterprises(*, session: Session, principal: Principal, where: EnterpriseFilter = EnterpriseFilter(),
                     page: int = 1, page_size: int = 50) -> Page:
    """:func:`service.list_enterprises` (by name, then id) in the principal's scope, each item an API dict.

    The page's two statements are built once per caller, filters and kind of database (:data:`_PAGES`) and run on
    the session's connection (:func:`~chainkeeper.core.rows.dicts`): building them again cost about a third of
    the call (issue 15)."""
    page, page_size = service.page_bounds(page, page_size)
    kind = name_index_kind(session) if where.q else None
    rows, count = _PAGES.get((principal, where, kind), lambda: service.enterprise_statements(
        session, COLUMNS, where, enterprise_scope(principal), (Enterprise.name,)))
    items = dicts(session, rows, {"offset": (page - 1) * page_size, "limit": page_size})
    total = service.page_total(session, count, page, page_size, len(items))
    return Page([_as_dict(item) for item in items], total, page, page_size)


_PAGES = Memo(256)
"""The enterprises page's statements by (principal, filter, kind of name index)."""


@lru_cache(maxsize=256)
def _one(principal: Principal):
    """The select of one enterprise by its (bound) USCC in the principal's scope, built once per principal."""
    return select(*COLUMNS).where(Enterprise.uscc == bindparam("uscc"), enterprise_scope(principal))


def get_enterprise(*, session: Session, uscc: str, principal: Principal) -> dict:
    """:func:`service.get_enterprise` as an API dict, or :class:`NotFound` (also when out of the principal's
    scope, :func:`~chainkeeper.auth.scope.enterprise_scope`)."""
    found = dicts(session, _one(principal), {"uscc": uscc_codes.normalize(uscc)})
    if not found:
        raise NotFound(f"no enterprise with code {uscc}")
    return _as_dict(found[0])


def _link_query() -> Select:
    supplier, customer = aliased(Enterprise), aliased(Enterprise)  # aliases: a scope's subquery stays uncorrelated
    return (select(SupplyLink.id, supplier.uscc.label("supplier_uscc"), supplier.name.label("supplier_name"),
                   supplier.county_code.label("supplier_county"), customer.uscc.label("customer_uscc"),
                   customer.name.label("customer_name"), customer.county_code.label("customer_county"),
                   Product.code.label("product_code"), Product.name.label("product_name"), SupplyLink.annual_value,
                   SupplyLink.lead_time_days, SupplyLink.inventory_days, SupplyLink.essential)
            .select_from(SupplyLink)
            .join(supplier, supplier.id == SupplyLink.supplier_id)
            .join(customer, customer.id == SupplyLink.customer_id)
            .outerjoin(Product, Product.id == SupplyLink.product_id))


LINKS = _link_query()
"""The API's columns of a link, its ends and its product (a link was loaded as an ORM entity with two whole
enterprises and its product joined)."""


def _as_link(data: dict) -> dict:
    """A row of :data:`LINKS` as the API's link (:class:`~chainkeeper.registry.schemas.LinkOut`, its keys in the
    model's order)."""
    return {"id": data["id"],
            "supplier": {"uscc": data["supplier_uscc"], "name": data["supplier_name"],
                         "county_code": data["supplier_county"]},
            "customer": {"uscc": data["customer_uscc"], "name": data["customer_name"],
                         "county_code": data["customer_county"]},
            "product_code": data["product_code"], "product_name": data["product_name"],
            "annual_value": data["annual_value"], "lead_time_days": data["lead_time_days"],
            "inventory_days": data["inventory_days"], "essential": data["essential"]}


def _link_statements(session: Session, principal: Principal, supplier: str | None, customer: str | None,
                     region: str | None, essential: bool | None) -> tuple[Select, Select]:
    """The page (offset and limit bound) and count of :func:`service.list_links`' links with these filters."""
    conditions = [link_scope(principal)]
    if supplier:
        conditions.append(SupplyLink.supplier_id == service._enterprise_id(session, supplier))  # noqa: SLF001
    if customer:
        conditions.append(SupplyLink.customer_id == service._enterprise_id(session, customer))  # noqa: SLF001
    if essential is not None:
        conditions.append(SupplyLink.essential == essential)
    if region:
        ends = select(Enterprise.id).where(service.region_clause(region))
        conditions.append(or_(SupplyLink.supplier_id.in_(ends), SupplyLink.customer_id.in_(ends)))
    rows = (LINKS.where(*conditions).order_by(*LARGEST_FIRST)
            .offset(bindparam("offset")).limit(bindparam("limit")))
    return rows, select(func.count()).select_from(select(SupplyLink.id).where(*conditions).subquery())


def list_links(*, session: Session, principal: Principal, supplier: str | None = None, customer: str | None = None,
               region: str | None = None, essential: bool | None = None, page: int = 1, page_size: int = 50) -> Page:
    """:func:`service.list_links` (same filters, scope, order, page and total; a 404 for an unknown supplier or
    customer) with each item an API dict; the statements kept per caller and filters."""
    page, page_size = service.page_bounds(page, page_size)
    key = (principal, supplier, customer, region, essential)
    if supplier or customer:  # an end's id is looked up (and may be unknown): not kept
        rows, count = _link_statements(session, principal, supplier, customer, region, essential)
    else:
        rows, count = _LINK_PAGES.get(key, lambda: _link_statements(session, *key))
    items = dicts(session, rows, {"offset": (page - 1) * page_size, "limit": page_size})
    total = service.page_total(session, count, page, page_size, len(items))
    return Page([_as_link(item) for item in items], total, page, page_size)


_LINK_PAGES = Memo(256)
"""The links page's statements by (principal, filters) when no end is named."""


@lru_cache(maxsize=256)
def _one_link(principal: Principal) -> Select:
    return LINKS.where(SupplyLink.id == bindparam("link_id"), link_scope(principal))


def get_link(*, session: Session, link_id: int, principal: Principal) -> dict:
    """:func:`service.get_link` as an API dict, or :class:`NotFound` (also when out of the principal's scope)."""
    found = dicts(session, _one_link(principal), {"link_id": link_id})
    if not found:
        raise NotFound(f"no supply link {link_id}")
    return _as_link(found[0])
