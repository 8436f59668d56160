"""Web adapter: the desk's aggregates kept per scope in the page cache
(:mod:`chainkeeper.web.pages.scoped_cache`: reused for ``COUNTS_TTL`` seconds, dropped at once by any committed
write): the queue's capped totals and per-state counts, shared by the HTML queue and the queue API."""

from __future__ import annotations

from fastapi import Request
from sqlalchemy.orm import Session

from chainkeeper.auth.roles import Principal
from chainkeeper.coordination import queries
from chainkeeper.web.pages.scoped_cache import page_cache, scope_key

COUNTS_TTL = 10.0  # the queue's counts are reused per scope for this long, or until any write (see scoped_cache)


def queue_total(request: Request, session: Session, principal: Principal, where: queries.CaseFilter) -> int:
    """The queue's capped count for ``where`` in the principal's scope."""
    return page_cache(request.app).get(session, ("desk-total", scope_key(principal), where), COUNTS_TTL,
                                       lambda: queries.count_cases(session=session, principal=principal, where=where))


def state_counts(request: Request, session: Session, principal: Principal) -> dict[str, int]:
    """How many visible cases are in each state (the queue's tabs)."""
    return page_cache(request.app).get(session, ("desk-counts", scope_key(principal)), COUNTS_TTL,
                                       lambda: queries.counts_by_state(session=session, principal=principal))
