"""The queue's pages read without the ORM (issue 15): the API's columns (those of
:class:`~chainkeeper.coordination.schemas.CaseOut`) as plain dicts, the queue page's as
:class:`~chainkeeper.coordination.queries.QueueRow` tuples, instead of whole :class:`Case` entities with their
letters joined (the entities' loading was a third of the API list's CPU). Same cases, same order, same SQL as
:func:`queries.list_cases`; each statement is built once per caller, filter, order and columns and run on the
session's connection with the page's offset and limit bound (building the select again was a third of what was
left of the API list's own work)."""

from __future__ import annotations

from sqlalchemy import Select, bindparam, select
from sqlalchemy.orm import Session

from chainkeeper.auth.roles import Principal
from chainkeeper.coordination import queries
from chainkeeper.coordination.models import Case, ledger_number
from chainkeeper.registry.models import Enterprise
from chainkeeper.coordination.schemas import CaseOut
from chainkeeper.core.rows import Memo
from chainkeeper.errors import ValidationFailed
from chainkeeper.registry.service import Page

FIELDS = tuple(name for name in CaseOut.model_fields if name != "ledger_no")  # ledger_no: from id and filing time
COLUMNS = tuple(getattr(Case, name) for name in FIELDS)
REQUESTER_NAME = select(Enterprise.name).where(Enterprise.id == Case.requester_id).scalar_subquery()
"""The requester's name, read with the queue page's rows (issue 15, lane deskq: a statement of its own per page)."""
_STATEMENTS = Memo(256)  # (principal, filter, order, columns): the usual filters of the few callers of a worker


def page_statement(principal: Principal, where: queries.CaseFilter, order: str, columns: tuple) -> Select:
    """The select of ``columns`` of a page of the queue the principal may see (bound: ``offset``, ``limit``), built
    once per principal (frozen, so a changed role or binding is another key), filter, order and columns."""
    if order not in queries.ORDERS:
        raise ValidationFailed(f"unknown order {order!r}", [{"field": "order", "message": ", ".join(queries.ORDERS)}])
    return _STATEMENTS.get((principal, where, order, columns), lambda: queries.page_query(
        select(*columns), principal, where, order, bindparam("offset"), bindparam("limit")))


def page_rows(session: Session, principal: Principal, where: queries.CaseFilter, order: str, page: int,
              page_size: int, columns: tuple) -> list[tuple]:
    """The rows of one page (``page`` and ``page_size`` clamped as :func:`queries.list_cases` clamps them)."""
    statement = page_statement(principal, where, order, columns)
    page, page_size = max(page, 1), min(max(page_size, 1), 200)
    return session.connection().execute(statement, {"offset": (page - 1) * page_size, "limit": page_size}).all()


def queue_rows(*, session: Session, principal: Principal, where: queries.CaseFilter, order: str, page: int,
               page_size: int, total: int) -> tuple[Page, dict[int, str]]:
    """:func:`queries.list_cases` with ``rows`` and a known ``total``: the queue page's rows, and the names of their
    requesters by id (as :func:`~chainkeeper.web.pages.queries.enterprise_names` gives them), in one statement."""
    rows = page_rows(session, principal, where, order, page, page_size, (*queries.QUEUE_COLUMNS, REQUESTER_NAME))
    items = [queries.QueueRow(*row[:-1]) for row in rows]
    names = {row.requester_id: row[-1] for row in rows if row.requester_id and row[-1] is not None}
    return Page(items, total, max(page, 1), min(max(page_size, 1), 200)), names


def case_items(*, session: Session, principal: Principal, where: queries.CaseFilter, order: str = "priority",
               page: int = 1, page_size: int = 50) -> list[dict]:
    """One page of the queue the principal may see, each case as the dict of :class:`CaseOut`'s fields in its order
    and types, as :func:`~chainkeeper.web.json_api.rows_json` writes them (the same cases in the same order as
    :func:`queries.list_cases`)."""
    items = []
    for row in page_rows(session, principal, where, order, page, page_size, COLUMNS):
        item = dict(zip(FIELDS, row))
        items.append({"id": item["id"], "ledger_no": ledger_number(item["id"], item["submitted_at"])} | item)
    return items
