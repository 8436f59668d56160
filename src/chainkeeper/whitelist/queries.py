"""Reading white-list applications: the filtered, paged list (page and API) and counts, inside the caller's scope
(:func:`chainkeeper.whitelist.service.application_scope`)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, func, or_, select
from sqlalchemy.orm import Session

from chainkeeper.auth.roles import Principal
from chainkeeper.registry.models import Enterprise
from chainkeeper.registry.service import Page
from chainkeeper.whitelist.models import AppState, Application, Entry
from chainkeeper.whitelist.service import application_scope

MAX_PAGE_SIZE = 200


@dataclass(frozen=True)
class ApplicationFilter:
    """The filters of the application list; empty fields do not filter."""

    state: AppState | None = None
    list_id: int | None = None
    batch_id: int | None = None  # the batch that published it
    region: str = ""  # the applicant's region (a 2, 4 or 6-digit code prefix)
    q: str = ""  # part of the applicant's name, or its USCC


def _conditions(principal: Principal, where: ApplicationFilter) -> list[ColumnElement[bool]]:
    clauses = [application_scope(principal)]
    if where.state is not None:
        clauses.append(Application.state == where.state)
    if where.list_id is not None:
        clauses.append(Application.list_id == where.list_id)
    if where.batch_id is not None:
        clauses.append(Application.id.in_(select(Entry.application_id).where(Entry.batch_id == where.batch_id)))
    if where.region:
        clauses.append(Application.enterprise_id.in_(
            select(Enterprise.id).where(Enterprise.county_code.startswith(where.region))))
    text = where.q.strip()
    if text:
        firms = select(Enterprise.id).where(or_(Enterprise.name.contains(text, autoescape=True),
                                                Enterprise.uscc == text.upper()))
        clauses.append(Application.enterprise_id.in_(firms))
    return clauses


def find_applications(*, session: Session, principal: Principal, where: ApplicationFilter = ApplicationFilter(),
                      page: int = 1, page_size: int = 20) -> Page:
    """One page of the applications the principal may see, newest first, with the total count."""
    page, page_size = max(page, 1), min(max(page_size, 1), MAX_PAGE_SIZE)
    conditions = _conditions(principal, where)
    query = select(Application).where(*conditions).order_by(Application.id.desc())
    items = list(session.scalars(query.offset((page - 1) * page_size).limit(page_size)))
    return Page(items, count_applications(session=session, principal=principal, where=where), page, page_size)


def count_applications(*, session: Session, principal: Principal,
                       where: ApplicationFilter = ApplicationFilter()) -> int:
    """How many applications the principal may see match ``where``."""
    return session.scalar(count_query(principal, where)) or 0


def count_query(principal: Principal, where: ApplicationFilter = ApplicationFilter()) -> Select:
    """:func:`count_applications`' statement."""
    return select(func.count()).select_from(Application).where(*_conditions(principal, where))


def counts_by_state(*, session: Session, principal: Principal) -> dict[AppState, int]:
    """How many visible applications are in each state."""
    rows = session.execute(select(Application.state, func.count()).where(application_scope(principal))
                           .group_by(Application.state))
    return {state: count for state, count in rows}
