"""The needs list of the API as plain rows in one statement: the shown columns of the needs the caller may read,
their good's code joined and what published plans took of each need as a correlated sum (the same rule as
:func:`chainkeeper.docking.plans.open_quantities`), so no ``Need`` entity, no lazy load and no second read of the
needs' quantities."""

from __future__ import annotations

from functools import lru_cache

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from chainkeeper.auth.roles import Principal
from chainkeeper.core.caller import Caller
from chainkeeper.docking import catalogue, lines
from chainkeeper.docking.access import need_scope
from chainkeeper.docking.models import Good, Need, Plan, PlanLine

SHOWN = (Need.id, Need.demander_name, Need.enterprise_id, Need.quantity, Need.min_lot, Need.date_needed,
         Need.priority, Need.county_code, Need.state, Need.review_note)
KEYS = tuple(column.key for column in SHOWN)


def _taken():
    """SQL: what published plans took of the outer query's need (NULL when nothing)."""
    return (select(func.sum(lines.counted())).select_from(PlanLine).join(Plan)
            .where(Plan.state == "published", PlanLine.need_id == Need.id)
            .correlate(Need).scalar_subquery())


@lru_cache(maxsize=256)
def _query(principal: Principal, state: str | None, good_id: int | None, limit: int):
    """The needs select of a caller (its scope), state, good and limit, built once per combination: its
    construction and cache key are not paid on every call (the values are bound in it; a principal is frozen and
    hashable, and one whose roles or bindings change is another key)."""
    query = (select(*SHOWN, Good.code, _taken()).join(Good, Good.id == Need.good_id)
             .where(need_scope(principal)).order_by(Need.id.desc()).limit(limit))
    if state:
        query = query.where(Need.state == state)
    if good_id is not None:
        query = query.where(Need.good_id == good_id)
    return query


def need_rows(*, session: Session, caller: Caller, state: str | None = None, good_code: str | None = None,
              limit: int = 500) -> list[dict]:
    """The needs the caller may read, newest first, as the API's ``NeedOut`` fields (the filters, scope, order
    and limit of :func:`chainkeeper.docking.needs.listing`; ``open_quantity`` as ``open_quantities`` computes it).
    Read on the session's connection: plain rows, no ORM result processing."""
    good_id = catalogue.get_good(session, good_code).id if good_code else None
    query = _query(caller.principal, state or None, good_id, limit)
    rows = []
    for *values, code, taken in session.connection().execute(query).all():
        item = dict(zip(KEYS, values))
        item["good_code"] = code
        item["open_quantity"] = max(0.0, item["quantity"] - float(taken or 0))
        rows.append(item)
    return rows
