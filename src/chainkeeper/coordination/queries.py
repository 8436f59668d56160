"""Reading the desk: the queue (filtered, ordered by impact and due time, paginated), a case's timeline,
comments and attachments, all inside the caller's scope."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import ColumnElement, CompoundSelect, Select, func, literal_column, not_, or_, select, union
from sqlalchemy.orm import Session

from chainkeeper.auth.models import User
from chainkeeper.auth.roles import Principal
from chainkeeper.coordination import case_counts
from chainkeeper.coordination.case_counts import Cell
from chainkeeper.coordination.models import (
    OPEN_STATES, Case, CaseAttachment, CaseCategory, CaseComment, CaseEvent, CaseState, Level, Urgency,
    ledger_number,
)
from chainkeeper.coordination.scope import InSubquery, case_scope, scope_meeting, sees_internal
from chainkeeper.coordination.service import ledger_id
from chainkeeper.core.rows import Memo
from chainkeeper.errors import ValidationFailed
from chainkeeper.registry.service import Page

ORDERS = {  # each matches an index (see the model), so a page does not sort every visible case
    "priority": lambda: (Case.impact_priority.desc().nulls_last(), Case.due_at.asc().nulls_last()),
    "due": lambda: (Case.due_at.asc().nulls_last(),),
    "newest": lambda: (Case.submitted_at.desc(),),
    "oldest": lambda: (Case.submitted_at.asc(),),
}
COUNT_CAP = 10_000
# the predicate of the page index ix_desk_case_page (migration 0030), true of every case: stated by a page's ids step
# only, so that index serves pages and no count (a literal, so the planner matches it whatever the plan's parameters)
PAGE_WALK = Case.id > literal_column("0")


@dataclass(frozen=True)
class CaseFilter:
    """The queue's filters; empty fields do not filter."""

    states: tuple[CaseState, ...] = ()
    open_only: bool = False
    category: CaseCategory | None = None
    region: str = ""  # handling or blocking region prefix
    chain: str = ""
    overdue: bool | None = None
    mine: int | None = None  # liaison user id
    q: str = ""


def filtered(where: CaseFilter) -> list[ColumnElement[bool]]:
    clauses: list[ColumnElement[bool]] = []
    if where.states:
        clauses.append(Case.state.in_(where.states))
    if where.open_only:
        clauses.append(Case.state.in_(OPEN_STATES))
    if where.category is not None:
        clauses.append(Case.category == where.category)
    if where.region:
        pattern = f"{where.region}%"
        clauses.append(or_(Case.handling_region_code.like(pattern), Case.blocking_region_code.like(pattern)))
    if where.chain:
        clauses.append(Case.chain_code == where.chain)
    if where.overdue is not None:
        clauses.append(Case.overdue.is_(where.overdue))
    if where.mine is not None:
        clauses.append(Case.liaison_id == where.mine)
    if where.q.strip():
        number = ledger_id(where.q)
        if number is not None:  # a ledger number (TZ20220418-000012) names one case
            clauses.append(Case.id == number)
        else:
            text = f"%{where.q.strip()}%"
            clauses.append(or_(Case.title.like(text), Case.blocking_name.like(text)))
    return clauses


class QueueRow(NamedTuple):
    """A case as the queue page shows it: only its shown columns, read without the ORM (issue 15: loading 50 whole
    cases, with their letters joined, was a third of the page's CPU)."""

    id: int
    submitted_at: datetime
    overdue: bool
    urgency: Urgency
    title: str
    requester_id: int
    category: CaseCategory
    blocking_name: str
    blocking_region_code: str
    level: Level
    handling_region_code: str
    state: CaseState
    due_at: datetime | None
    impact: str | None

    @property
    def ledger_no(self) -> str:
        """The ledger number, as :attr:`Case.ledger_no`."""
        return ledger_number(self.id, self.submitted_at)


QUEUE_COLUMNS = tuple(getattr(Case, name) for name in QueueRow._fields)


def list_cases(*, session: Session, principal: Principal, where: CaseFilter = CaseFilter(), order: str = "priority",
               page: int = 1, page_size: int = 50, total: int | None = None, rows: bool = False) -> Page:
    """One page of the queue the principal may see (``total``: its count when the caller already has it, e.g. from
    the page cache; counted here otherwise). Items are :class:`Case` objects, or with ``rows`` light
    :class:`QueueRow` tuples of the shown columns (same cases, same order)."""
    if order not in ORDERS:
        raise ValidationFailed(f"unknown order {order!r}", [{"field": "order", "message": ", ".join(ORDERS)}])
    page, page_size = max(page, 1), min(max(page_size, 1), 200)
    query = page_query(select(*QUEUE_COLUMNS) if rows else select(Case), principal, where, order,
                       (page - 1) * page_size, page_size)
    items = [QueueRow(*row) for row in session.execute(query)] if rows else list(session.scalars(query))
    if total is None:
        total = capped_count(session, scoped(principal, where))
    return Page(items, total, page, page_size)


def page_query(columns: Select, principal: Principal, where: CaseFilter, order: str, offset, limit) -> Select:
    """``columns`` (a select of :class:`Case` columns or entities) for one page of the queue, in one statement of
    two steps: the page's ids (in scope, filtered, ordered, ``offset`` and ``limit``: numbers or bound parameters),
    then their rows by primary key. On PostgreSQL the ids step walks ``ix_desk_case_page`` alone in priority order
    (the scope's and filters' columns are in the index), instead of fetching every case the walk passes (issue 15:
    50–62 → ~1 ms for a city's filtered page)."""
    ids = (select(Case.id).where(PAGE_WALK, case_scope(principal), *filtered(where))
           .order_by(*ORDERS[order](), Case.id).offset(offset).limit(limit))
    return columns.where(Case.id.in_(ids.scalar_subquery())).order_by(*ORDERS[order](), Case.id)


def count_cases(*, session: Session, principal: Principal, where: CaseFilter = CaseFilter()) -> int:
    """How many cases the principal may see match ``where`` (capped like the pages' counts): from the counters of
    :mod:`~chainkeeper.coordination.case_counts` when they cover the scope and the filter (states, open cases,
    category, overdue, a region inside the scope), else counted."""
    found = counted_cells(session, principal, where) if counter_filter(where) else None
    if found is not None:
        return min(sum(cell.n for cell in found if cell_matches(cell, where)), COUNT_CAP + 1)
    return capped_count(session, scoped(principal, where))


def scoped(principal: Principal, where: CaseFilter) -> Select | CompoundSelect:
    """The ids of the cases the principal may see that match ``where``, for a count: :func:`case_scope` and
    :func:`filtered`; with a region filter outside an authority's region, the two arms of
    :func:`~chainkeeper.coordination.scope.scope_meeting` (the same cases from a tenth to a third of the heap blocks,
    issue 15): a city's as one OR (Suzhou × Guangdong 21,864 → 2,341 blocks; as a union 4,401), a province's as
    a union (Jiangsu × Guangdong 21,562 → 7,349 blocks; as one OR the planner read the whole table). Not for a page's
    ids: its walk of ``ix_desk_case_page`` tests them on every index tuple it passes, where the longer condition took
    twice as long."""
    arms = scope_meeting(principal, where.region) if where.region else None
    if arms is None:
        return select(Case.id).where(case_scope(principal), *filtered(where))
    rest = filtered(replace(where, region=""))
    if len(principal.region_code or "") > 2:  # a city's or county's arms: one OR, PostgreSQL ORs their bitmaps
        return select(Case.id).where(or_(*arms), *rest)
    return union(*(select(Case.id).where(arm, *rest) for arm in arms))  # a province's: each estimated on its own


def capped_count(session: Session, ids: Select | CompoundSelect | tuple[ColumnElement[bool], ...]) -> int:
    """How many cases ``ids`` selects (a select of case ids, or the conditions of one), counting at most
    ``COUNT_CAP + 1`` (the pages show "10,000+" beyond)."""
    if isinstance(ids, tuple):
        ids = select(Case.id).where(*ids)
    return session.scalar(capped_count_query(ids)) or 0


def capped_count_query(ids: Select | CompoundSelect) -> Select:
    """:func:`capped_count`'s statement (e.g. a scalar subquery of a statement counting several things)."""
    return select(func.count()).select_from(ids.limit(COUNT_CAP + 1).subquery())


def timeline(*, session: Session, case: Case) -> list[CaseEvent]:
    """Every step of the case, oldest first."""
    return list(session.scalars(select(CaseEvent).where(CaseEvent.case_id == case.id).order_by(CaseEvent.id)))


def comments(*, session: Session, case: Case, principal: Principal) -> list[CaseComment]:
    """The comments the principal may read (internal ones only for authorities)."""
    query = select(CaseComment).where(CaseComment.case_id == case.id).order_by(CaseComment.id)
    if not sees_internal(principal):
        query = query.where(CaseComment.internal.is_(False))
    return list(session.scalars(query))


def attachments(*, session: Session, case: Case) -> list[CaseAttachment]:
    """The case's files."""
    return list(session.scalars(select(CaseAttachment).where(CaseAttachment.case_id == case.id)
                                .order_by(CaseAttachment.id)))


def counts_by_state(*, session: Session, principal: Principal) -> dict[str, int]:
    """How many visible cases are in each state (states with none left out)."""
    return _per_state(_state_rows(session, principal))


def tab_counts(*, session: Session, principal: Principal) -> dict[str, int]:
    """How many visible cases each tab of the queue lists: one per state (its value), ``open`` (the open states,
    ``?state=open``) and ``overdue`` (overdue in any state, ``?overdue=1``), all from one read of the counters
    (or, for a scope they do not cover, one grouped query): no count of its own per tab."""
    rows = _state_rows(session, principal)
    counts = _per_state(rows)
    open_values = {state.value for state in OPEN_STATES}
    return counts | {"open": sum(n for state, n in counts.items() if state in open_values),
                     "overdue": sum(n for _state, overdue, n in rows if overdue)}


def _per_state(rows: list[tuple[str, bool, int]]) -> dict[str, int]:
    """The (state, overdue, count) rows summed per state (states with none left out)."""
    counts: Counter[str] = Counter()
    for state, _overdue, n in rows:
        counts[state] += n
    return {state: n for state, n in counts.items() if n}


def _state_rows(session: Session, principal: Principal) -> list[tuple[str, bool, int]]:
    """The visible cases as (state, overdue, count) rows: from the counters, a row per state and overdue flag (not
    per category too), with statements built once per scope (issue 15, sprint 12: a queue page read again after a
    filing spent half its own CPU reading its tabs' counts), else one grouped query."""
    prefix = case_counts.scope_prefix(principal)
    if prefix is None:
        return case_counts.states_of(session, case_counts.cells_query((case_scope(principal),), True))
    outside = case_counts.states_of(session, _outside_query(principal, prefix, True)) if prefix else []
    return case_counts.state_totals(session, prefix) + outside


def counter_filter(where: CaseFilter) -> bool:
    """True when ``where`` filters on nothing the counters do not keep (states, open cases, category, overdue,
    region)."""
    return replace(where, states=(), open_only=False, category=None, overdue=None, region="") == CaseFilter()


def cell_matches(cell: Cell, where: CaseFilter) -> bool:
    """True when the cases of ``cell`` pass ``where``'s state, category and overdue filters."""
    return ((not where.states or cell.state in {state.value for state in where.states})
            and (not where.open_only or cell.state in {state.value for state in OPEN_STATES})
            and (where.category is None or cell.category == where.category.value)
            and (where.overdue is None or cell.overdue == where.overdue))


def counted_cells(session: Session, principal: Principal, where: CaseFilter = CaseFilter()) -> list[Cell] | None:
    """The visible cases (within ``where``'s region filter, if any) by state, category and overdue flag, read from
    the counters; None when the counters do not cover the principal's scope or the region filter."""
    prefix = case_counts.scope_prefix(principal)
    if prefix is None:
        return None
    if where.region:  # a region inside the scope: the filter implies the scope (see case_scope)
        if not case_counts.countable_prefix(where.region) or not where.region.startswith(prefix):
            return None
        return case_counts.cells(session, case_counts.REGION_FILTER, where.region)
    found = case_counts.cells(session, case_counts.SCOPE, prefix)
    return found + case_counts.cells_of(session, _outside_query(principal, prefix, False)) if prefix else found


_OUTSIDE = Memo(256)  # (user, region, form): the statements of the few authorities a worker serves


def _outside_query(principal: Principal, region: str, by_state_and_overdue: bool) -> Select:
    """:func:`case_counts.cells_query` of :func:`liaisons_outside`, built once per user, region and form."""
    return _OUTSIDE.get((principal.user_id, region, by_state_and_overdue), lambda: case_counts.cells_query(
        liaisons_outside(principal, region), by_state_and_overdue))


def liaisons_outside(principal: Principal, region: str) -> tuple[ColumnElement[bool], ...]:
    """The part of an authority's scope (:func:`case_scope`) that is not the three region prefixes: cases of a
    liaison working in its region, or of itself, whose regions lie outside it (an index scan on the liaison)."""
    pattern = f"{region}%"
    liaison = [InSubquery(Case.liaison_id, select(User.id).where(User.region_code.like(pattern)))]
    if principal.user_id is not None:
        liaison.append(Case.liaison_id == principal.user_id)
    return (or_(*liaison), not_(or_(Case.requester_region_code.like(pattern), Case.blocking_region_code.like(pattern),
                                    Case.handling_region_code.like(pattern))))
