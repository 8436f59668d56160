"""Read queries of the pages, always inside the principal's scope: dashboard counts, sorted registry search, names."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from markupsafe import Markup

from sqlalchemy import bindparam, case, func, select
from sqlalchemy.orm import Session

from chainkeeper.auth.roles import Principal
from chainkeeper.auth.scope import enterprise_scope, link_scope
from chainkeeper.core.rows import Memo
from chainkeeper.errors import NotFound
from chainkeeper.i18n import _, translate
from chainkeeper.reference import cache
from chainkeeper.reference.models import Industry, Region
from chainkeeper.registry import service as registry
from chainkeeper.registry import uscc as uscc_codes
from chainkeeper.registry.name_search import name_index_kind
from chainkeeper.registry.rows import LABELS
from chainkeeper.registry.models import Enterprise, EnterpriseLabel, Label, SizeClass, SupplyLink

LABEL_NAMES = {
    Label.leading: _("leading enterprise"),
    Label.key_node: _("key node enterprise"),
    Label.specialized: _("specialised and innovative SME"),
    Label.little_giant: _("little giant"),
    Label.single_champion: _("single champion"),
    Label.foreign_invested: _("foreign-invested"),
}
SIZE_NAMES = {
    SizeClass.large: _("large"), SizeClass.medium: _("medium"), SizeClass.small: _("small"),
    SizeClass.micro: _("micro"),
}
_NAMES = {"labels": LABEL_NAMES, "sizes": SIZE_NAMES}
SIZE_ORDER = case({"large": 0, "medium": 1, "small": 2, "micro": 3}, value=Enterprise.size)
ROW_COLUMNS = (Enterprise.id, Enterprise.uscc, Enterprise.name, Enterprise.county_code, Enterprise.industry_code,
               Enterprise.size, Enterprise.chain_code, LABELS)
"""The columns of the registry list's rows, the label codes aggregated in the same statement (no second one)."""
ENTERPRISE_SORTS = {
    "name": Enterprise.name, "uscc": Enterprise.uscc, "region": Enterprise.county_code,
    "industry": Enterprise.industry_code, "size": SIZE_ORDER, "chain": Enterprise.chain_code,
}


def search_enterprises(session: Session, principal: Principal, where: registry.EnterpriseFilter, *, sort: str,
                       descending: bool, page: int, page_size: int) -> registry.Page:
    """The registry search of :func:`registry.list_enterprises` (same filters, same scope), sorted by ``sort``,
    as rows of :data:`ROW_COLUMNS` (the columns the list shows; no ORM entities). The two statements are built
    once per caller, filters, order and kind of database (:data:`_SEARCHES`) and run on the session's connection;
    a page that is not full is not counted (issue 15)."""
    page, page_size = registry.page_bounds(page, page_size)
    column = ENTERPRISE_SORTS.get(sort, Enterprise.name)
    kind = name_index_kind(session) if where.q else None
    rows, count = _SEARCHES.get((principal, where, kind, sort, descending), lambda: registry.enterprise_statements(
        session, ROW_COLUMNS, where, enterprise_scope(principal), [column.desc() if descending else column.asc()]))
    params = {"offset": (page - 1) * page_size, "limit": page_size}
    items = session.connection().execute(rows, params).all()
    return registry.Page(items, registry.page_total(session, count, page, page_size, len(items)), page, page_size)


_SEARCHES = Memo(256)
"""The registry list's statements by (principal, filter, kind of name index, sort, descending)."""
_STATEMENTS = Memo(512)
"""The pages' other prebuilt statements by (what they select, principal)."""


@dataclass(frozen=True, slots=True)
class Record:
    """One enterprise as its page shows it: :class:`Enterprise`'s attribute names, the labels as codes in the order
    of :attr:`Enterprise.labels`."""

    id: int
    uscc: str
    name: str
    county_code: str
    city_code: str
    province_code: str
    industry_code: str
    size: SizeClass
    chain_code: str | None
    contact_person: str
    contact_phone: str
    updated_at: datetime
    labels: tuple[Label, ...]


RECORD_COLUMNS = (Enterprise.id, Enterprise.uscc, Enterprise.name, Enterprise.county_code, Enterprise.city_code,
                  Enterprise.province_code, Enterprise.industry_code, Enterprise.size, Enterprise.chain_code,
                  Enterprise.contact_person, Enterprise.contact_phone, Enterprise.updated_at, LABELS)


def _record_statement(principal: Principal):
    """The select of one enterprise's shown columns by its (bound) USCC in the principal's scope, built once
    (:data:`_STATEMENTS`)."""
    return _STATEMENTS.get(("record", principal), lambda: select(*RECORD_COLUMNS).where(
        Enterprise.uscc == bindparam("uscc"), enterprise_scope(principal)))


def enterprise_record(session: Session, principal: Principal, uscc: str) -> Record:
    """The enterprise with this USCC inside the principal's scope, or :class:`NotFound` (also when out of scope), as
    :func:`registry.get_enterprise` finds it — in one select of the shown columns with its labels, no entity, on
    the session's connection."""
    row = session.connection().execute(_record_statement(principal), {"uscc": uscc_codes.normalize(uscc)}).first()
    if row is None:
        raise NotFound(f"no enterprise with code {uscc}")
    data = row._asdict()
    data["labels"] = tuple(Label[code] for code in sorted(row.labels.split(","))) if row.labels else ()
    return Record(**data)


@lru_cache(maxsize=256)
def shown_text(message: str, language: str) -> Markup:
    """``message`` as a template's ``_()`` shows it in ``language``: marked safe and %-formatted as Jinja's
    new-style gettext does."""
    return Markup(translate(message, language)) % {}


@lru_cache(maxsize=8)
def shown_names(kind: str, language: str) -> dict:
    """:data:`LABEL_NAMES` (``kind`` "labels") or :data:`SIZE_NAMES` ("sizes") as a template's ``_()`` shows them,
    once per language."""
    return {key: shown_text(text, language) for key, text in _NAMES[kind].items()}


@lru_cache(maxsize=8)
def filter_options(kind: str, language: str) -> tuple[tuple[str, str], ...]:
    """The (code, name) options of a label or size filter in ``language`` (the templates' ``options()``)."""
    return tuple((code.value, translate(name, language)) for code, name in _NAMES[kind].items())


def names_of(session: Session, model, codes: Iterable[str | None]) -> dict[str, str]:
    """Names of reference rows (regions, industries) by code."""
    wanted = {code for code in codes if code}
    if not wanted:
        return {}
    known = cache.reference_names(session, model)
    if known is not None:
        return {code: known[code] for code in wanted if code in known}
    return dict(session.execute(select(model.code, model.name).where(model.code.in_(wanted))).all())


def chain_names(session: Session, language: str) -> dict[str, str]:
    """Key chain names in ``language``, in display order."""
    return {code: name_en if language == "en" else name_zh for code, name_zh, name_en in cache.chains(session)}


def provinces(session: Session) -> dict[str, str]:
    """Province names by 2-digit code."""
    return dict(cache.province_names(session))


def visible_ids(session: Session, principal: Principal, ids: Iterable[int]) -> set[int]:
    """Which of ``ids`` the principal may open (a national principal: all of them, without asking)."""
    wanted = set(ids)
    if not wanted or principal.is_national:  # enterprise_scope() is true() for them
        return wanted
    return set(session.connection().execute(_visible_statement(principal), {"ids": list(wanted)}).scalars())


def _visible_statement(principal: Principal):
    """Which of the (bound) ``ids`` lie in the principal's scope, built once per principal (:data:`_STATEMENTS`)."""
    return _STATEMENTS.get(("visible", principal), lambda: select(Enterprise.id).where(
        Enterprise.id.in_(bindparam("ids", expanding=True)), enterprise_scope(principal)))


def _grouped(session: Session, query) -> dict:
    return {key: count for key, count in session.execute(query).all()}


def dashboard_numbers(session: Session, principal: Principal) -> dict:
    """Enterprises and links by province, enterprises by key chain and by label, and the totals."""
    scope, links = enterprise_scope(principal), link_scope(principal)
    count = func.count()
    firms = _grouped(session, select(Enterprise.province_code, count).where(scope)
                     .group_by(Enterprise.province_code))
    supplied = _grouped(session, select(Enterprise.province_code, count).select_from(SupplyLink)
                        .join(Enterprise, SupplyLink.supplier_id == Enterprise.id).where(links)
                        .group_by(Enterprise.province_code))
    chains = _grouped(session, select(Enterprise.chain_code, count).where(scope).group_by(Enterprise.chain_code))
    labels = _grouped(session, select(EnterpriseLabel.label, count).join(Enterprise).where(scope)
                      .group_by(EnterpriseLabel.label))
    totals = {
        "enterprises": sum(firms.values()),
        "links": session.scalar(select(count).select_from(SupplyLink).where(links)) or 0,
        "essential": session.scalar(select(count).select_from(SupplyLink).where(links, SupplyLink.essential)) or 0,
    }
    return {"firms": firms, "supplied": supplied, "chains": chains, "labels": labels, "totals": totals}


def enterprise_total(session: Session, principal: Principal) -> int:
    """How many enterprises the principal may see (the figure home shows of :func:`dashboard_numbers`: one COUNT
    instead of its six grouped statements; issue 15)."""
    return session.scalar(select(func.count()).select_from(Enterprise).where(enterprise_scope(principal))) or 0


def industry_names(session: Session, codes: Iterable[str | None]) -> dict[str, str]:
    """Industry names by code."""
    return names_of(session, Industry, codes)


def enterprise_names(session: Session, ids: Iterable[int | None]) -> dict[int, str]:
    """Enterprise names by id."""
    wanted = {i for i in ids if i}
    if not wanted:
        return {}
    return dict(session.execute(select(Enterprise.id, Enterprise.name).where(Enterprise.id.in_(wanted))).all())


def region_names(session: Session, codes: Iterable[str | None]) -> dict[str, str]:
    """Region names by code."""
    return names_of(session, Region, codes)
