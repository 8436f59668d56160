"""Read services of the registry: search enterprises and links, probable duplicates."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, bindparam, func, or_, select, true
from sqlalchemy.orm import Session, aliased, joinedload

from chainkeeper.errors import NotFound
from chainkeeper.registry import uscc as uscc_codes
from chainkeeper.registry.models import Enterprise, EnterpriseLabel, Label, SupplyLink
from chainkeeper.registry.name_search import name_contains
from chainkeeper.registry.names import normalize_name

MAX_PAGE_SIZE = 500
LINK_ENDS = (joinedload(SupplyLink.supplier).lazyload(Enterprise.labels),
             joinedload(SupplyLink.customer).lazyload(Enterprise.labels))
"""Loader options of links: both ends in the same query, without their labels (links never show them)."""
ALL = true()
"""The scope that lets everything through (national callers, the CLI)."""


@dataclass(frozen=True)
class EnterpriseFilter:
    """Filters of the enterprise search; a region code of any level matches everything inside it."""

    q: str | None = None
    region: str | None = None
    industry: str | None = None
    chain: str | None = None
    label: Label | None = None
    size: str | None = None


@dataclass(frozen=True)
class Page:
    """A page of results with the total count."""

    items: list
    total: int
    page: int
    page_size: int


def region_clause(code: str):
    """The condition 'enterprise lies in region ``code``' (province 2, prefecture 4 or county 6 digits)."""
    column = {2: Enterprise.province_code, 4: Enterprise.city_code}.get(len(code), Enterprise.county_code)
    return column == code


def in_scope(query: Select, scope: ColumnElement[bool]) -> Select:
    """``query`` limited to ``scope``; the scope that lets everything through (:data:`ALL`, a national caller's)
    adds no condition: SQLite counts a table without one from its b-tree's pages (0.02 ms at 100,000 firms), but
    reads every index entry under ``WHERE 1 = 1`` (1.3 ms)."""
    return query if scope is ALL else query.where(scope)


def _filtered(session: Session, query: Select, where: EnterpriseFilter) -> Select:
    if where.q:
        text = where.q.strip()
        code = uscc_codes.normalize(text)
        if uscc_codes.is_valid(code):  # a code: one index lookup instead of a scan of every name
            query = query.where(Enterprise.uscc == code)
        else:
            query = query.where(name_contains(session, normalize_name(text)))
    if where.region:
        query = query.where(region_clause(where.region))
    if where.industry:
        query = query.where(Enterprise.industry_code.startswith(where.industry, autoescape=True))
    if where.chain:
        query = query.where(Enterprise.chain_code == where.chain)
    if where.size:
        query = query.where(Enterprise.size == where.size)
    if where.label:
        labelled = select(EnterpriseLabel.enterprise_id).where(EnterpriseLabel.label == where.label)
        query = query.where(Enterprise.id.in_(labelled))
    return query


def page_bounds(page: int, page_size: int) -> tuple[int, int]:
    """``page`` and ``page_size`` as every listing uses them: the page at least 1, the size between 1 and
    :data:`MAX_PAGE_SIZE`."""
    return max(page, 1), min(max(page_size, 1), MAX_PAGE_SIZE)


def _count(session: Session, query: Select) -> int:
    return session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0


def page_total(session: Session, count: Select, page: int, page_size: int, shown: int,
               params: dict | None = None) -> int:
    """The total of a page of ``shown`` rows: counted (``count`` run with ``params`` on the session's connection)
    only when the page is full or a later page is empty — a page with fewer rows than ``page_size`` (the first
    one even with none) is the last one, so the total is the rows before it plus its own."""
    if shown < page_size and (shown or page == 1):
        return (page - 1) * page_size + shown
    return session.connection().execute(count, params or {}).scalar() or 0


def paginate(session: Session, query: Select, page: int, page_size: int) -> Page:
    """One page of ``query`` and the total count of its rows."""
    page, page_size = page_bounds(page, page_size)
    items = list(session.scalars(query.offset((page - 1) * page_size).limit(page_size)).unique())
    return Page(items, _count(session, query), page, page_size)


def list_enterprises(
    *, session: Session, where: EnterpriseFilter = EnterpriseFilter(), scope: ColumnElement[bool] = ALL,
    order_by: Sequence[ColumnElement] = (Enterprise.name,), page: int = 1, page_size: int = 50,
) -> Page:
    """Enterprises matching ``where`` inside ``scope``, ordered by ``order_by`` (then id, for a stable order).

    The page's ids are found first (through the indexes only) and then its rows: skipping rows of a deep page
    does not read them.
    """
    page, page_size = page_bounds(page, page_size)
    order = (*order_by, Enterprise.id)
    ids = _filtered(session, in_scope(select(Enterprise.id), scope), where).order_by(*order)
    paged = ids.offset((page - 1) * page_size).limit(page_size).correlate(None)
    items = list(session.scalars(select(Enterprise).where(Enterprise.id.in_(paged)).order_by(*order)))
    return Page(items, _count(session, ids), page, page_size)


def get_enterprise(*, session: Session, uscc: str, scope: ColumnElement[bool] = ALL) -> Enterprise:
    """The enterprise with this USCC inside ``scope``, or :class:`NotFound` (also when out of scope)."""
    query = select(Enterprise).where(Enterprise.uscc == uscc_codes.normalize(uscc), scope)
    enterprise = session.scalar(query)
    if enterprise is None:
        raise NotFound(f"no enterprise with code {uscc}")
    return enterprise


def _enterprise_id(session: Session, uscc: str) -> int:
    found = session.scalar(select(Enterprise.id).where(Enterprise.uscc == uscc_codes.normalize(uscc)))
    if found is None:
        raise NotFound(f"no enterprise with code {uscc}")
    return found


def list_links(
    *, session: Session, supplier: str | None = None, customer: str | None = None, region: str | None = None,
    essential: bool | None = None, scope: ColumnElement[bool] = ALL, page: int = 1, page_size: int = 50,
) -> Page:
    """Supply links inside ``scope``, optionally of one supplier or customer (by USCC) or touching a region."""
    query = select(SupplyLink).options(*LINK_ENDS).where(scope)
    if supplier:
        query = query.where(SupplyLink.supplier_id == _enterprise_id(session, supplier))
    if customer:
        query = query.where(SupplyLink.customer_id == _enterprise_id(session, customer))
    if essential is not None:
        query = query.where(SupplyLink.essential == essential)
    if region:
        ends = select(Enterprise.id).where(region_clause(region))
        query = query.where(or_(SupplyLink.supplier_id.in_(ends), SupplyLink.customer_id.in_(ends)))
    return paginate(session, query.order_by(SupplyLink.annual_value.desc(), SupplyLink.id), page, page_size)


def get_link(*, session: Session, link_id: int, scope: ColumnElement[bool] = ALL) -> SupplyLink:
    """The supply link with this id inside ``scope``, or :class:`NotFound`."""
    link = session.scalar(select(SupplyLink).where(SupplyLink.id == link_id, scope))
    if link is None:
        raise NotFound(f"no supply link {link_id}")
    return link


def probable_duplicates(*, session: Session) -> list[list[Enterprise]]:
    """Groups of enterprises with different USCCs but the same normalised name and county."""
    other = aliased(Enterprise)
    keys = (
        select(Enterprise.normalized_name, Enterprise.county_code)
        .group_by(Enterprise.normalized_name, Enterprise.county_code)
        .having(func.count() > 1)
        .subquery()
    )
    query = (
        select(other)
        .join(keys, (other.normalized_name == keys.c.normalized_name) & (other.county_code == keys.c.county_code))
        .order_by(other.county_code, other.normalized_name, other.uscc)
    )
    groups: dict[tuple[str, str], list[Enterprise]] = {}
    for enterprise in session.scalars(query):
        groups.setdefault((enterprise.normalized_name, enterprise.county_code), []).append(enterprise)
    return list(groups.values())


def registry_counts(*, session: Session) -> dict[str, int]:
    """How many enterprises and links the registry holds."""
    return {
        "enterprises": session.scalar(select(func.count()).select_from(Enterprise)) or 0,
        "links": session.scalar(select(func.count()).select_from(SupplyLink)) or 0,
    }


def enterprise_statements(session: Session, columns: Sequence[ColumnElement], where: EnterpriseFilter,
                          scope: ColumnElement[bool], order_by: Sequence[ColumnElement]) -> tuple[Select, Select]:
    """The page of :func:`list_enterprises` (same filters, scope, order and total) as two selects of ``columns`` of
    :class:`Enterprise` (no ORM entities, no labels, for the pages and calls that show a few columns): a page of
    rows (offset and limit bound as ``offset`` and ``limit``) and the total count. They depend on ``session`` only
    through its database's kind (the name index, :func:`~chainkeeper.registry.name_search.name_contains`), so a
    caller may build them once and run them again."""
    order = (*order_by, Enterprise.id)
    ids = _filtered(session, in_scope(select(Enterprise.id), scope), where).order_by(*order)
    paged = ids.offset(bindparam("offset")).limit(bindparam("limit")).correlate(None)
    rows = select(*columns).where(Enterprise.id.in_(paged)).order_by(*order)
    return rows, select(func.count()).select_from(ids.order_by(None).subquery())


def label_rows(session: Session, enterprise_ids: Sequence[int]) -> dict[int, list[Label]]:
    """The labels of each of ``enterprise_ids`` in the order :attr:`Enterprise.labels` has them (one query)."""
    found: dict[int, list[Label]] = {}
    if enterprise_ids:
        query = (select(EnterpriseLabel.enterprise_id, EnterpriseLabel.label)
                 .where(EnterpriseLabel.enterprise_id.in_(enterprise_ids)).order_by(EnterpriseLabel.label))
        for enterprise_id, label in session.execute(query):
            found.setdefault(enterprise_id, []).append(label)
    return found
