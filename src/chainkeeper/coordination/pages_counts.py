"""Web adapter: the desk's aggregates kept per scope in the page cache
(:mod:`chainkeeper.web.pages.scoped_cache`: reused for ``COUNTS_TTL`` seconds, dropped at once by any committed
write but a desk write whose cases the scope cannot see, :mod:`chainkeeper.coordination.case_writes`): the
queue's capped totals and its tabs' counts, shared by the HTML queue and the queue API."""

from __future__ import annotations

from dataclasses import replace

from fastapi import Request
from sqlalchemy.orm import Session

from chainkeeper.auth.roles import Principal
from chainkeeper.coordination import queries
from chainkeeper.coordination.models import OPEN_STATES, CaseState
from chainkeeper.coordination.scope import sees_touches
from chainkeeper.web.pages.scoped_cache import page_cache, scope_key

COUNTS_TTL = 10.0  # the queue's counts are reused per scope for this long, or until any write (see scoped_cache)


def queue_total(request: Request, session: Session, principal: Principal, where: queries.CaseFilter) -> int:
    """The queue's capped count for ``where`` in the principal's scope.

    Without a filter, or with states only (one state, the open ones), it is the sum of the tabs' per-state counts
    (:func:`state_counts`, which the HTML queue needs anyway), capped the same way: no second scan of the scope
    (issue 15: counting the same cases twice per scope was a quarter of PostgreSQL's CPU under the desk's load)."""
    states = states_only(where)
    if states is not None:
        counts = state_counts(request, session, principal)
        return min(sum(counts.get(state.value, 0) for state in states), queries.COUNT_CAP + 1)
    return page_cache(request.app).get(session, ("desk-total", scope_key(principal), where), COUNTS_TTL,
                                       lambda: queries.count_cases(session=session, principal=principal, where=where),
                                       sees_touches(principal))


def states_only(where: queries.CaseFilter) -> tuple[CaseState, ...] | None:
    """The states ``where`` selects when it filters on nothing else (every state when it filters on nothing), else
    None."""
    if replace(where, states=(), open_only=False) != queries.CaseFilter():
        return None
    if where.states and where.open_only:
        return tuple(state for state in where.states if state in OPEN_STATES)
    return tuple(dict.fromkeys(where.states)) or (OPEN_STATES if where.open_only else tuple(CaseState))


def state_counts(request: Request, session: Session, principal: Principal) -> dict[str, int]:
    """How many visible cases each tab of the queue lists: per state (and open, overdue: ``queries.tab_counts``)."""
    return page_cache(request.app).get(session, ("desk-counts", scope_key(principal)), COUNTS_TTL,
                                       lambda: queries.tab_counts(session=session, principal=principal),
                                       sees_touches(principal))
