"""The needs list of the API as plain rows in one statement: the shown columns of the needs the caller may read,
their good's code joined and what published plans took of each need as a correlated sum (the same rule as
:func:`chainkeeper.docking.plans.open_quantities`), so no ``Need`` entity, no lazy load and no second read of the
needs' quantities."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from chainkeeper.core.caller import Caller
from chainkeeper.docking import catalogue, lines
from chainkeeper.docking.access import need_scope
from chainkeeper.docking.models import Good, Need, Plan, PlanLine

SHOWN = (Need.id, Need.demander_name, Need.enterprise_id, Need.quantity, Need.min_lot, Need.date_needed,
         Need.priority, Need.county_code, Need.state, Need.review_note)


def _taken():
    """SQL: what published plans took of the outer query's need (NULL when nothing)."""
    return (select(func.sum(lines.counted())).select_from(PlanLine).join(Plan)
            .where(Plan.state == "published", PlanLine.need_id == Need.id)
            .correlate(Need).scalar_subquery())


def need_rows(*, session: Session, caller: Caller, state: str | None = None, good_code: str | None = None,
              limit: int = 500) -> list[dict]:
    """The needs the caller may read, newest first, as the API's ``NeedOut`` fields (the filters, scope, order
    and limit of :func:`chainkeeper.docking.needs.listing`; ``open_quantity`` as ``open_quantities`` computes it)."""
    query = (select(*SHOWN, Good.code.label("good_code"), _taken().label("taken")).join(Good, Good.id == Need.good_id)
             .where(need_scope(caller.principal)).order_by(Need.id.desc()).limit(limit))
    if state:
        query = query.where(Need.state == state)
    if good_code:
        query = query.where(Need.good_id == catalogue.get_good(session, good_code).id)
    rows = []
    for row in session.execute(query).mappings():
        item = dict(row)
        taken = item.pop("taken")
        item["open_quantity"] = max(0.0, item["quantity"] - float(taken or 0))
        rows.append(item)
    return rows
