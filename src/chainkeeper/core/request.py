"""The request's database session: one transaction per request, committed before the response is sent.

Shared by the web layer and the authentication dependencies (``auth/deps.py``), so neither imports the other.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

import anyio.to_thread
from anyio import CancelScope, CapacityLimiter
from fastapi import Depends, Request
from fastapi.concurrency import contextmanager_in_threadpool
from sqlalchemy.orm import Session

from chainkeeper.db import session_factory, unit_of_work
from chainkeeper.db_reads import reading

READ_REQUEST = "chainkeeper.read_request"
"""``Session.info`` key of a read request's session: its transaction may be committed by the route itself, as
:func:`get_session` would commit it right after the route (same data, one trip to the thread pool fewer)."""


async def get_session(request: Request) -> AsyncIterator[Session]:
    """A session whose transaction commits when the request succeeds and rolls back otherwise.

    Requests that write (unsafe methods, or API-token calls, whose use is audited) take SQLite's write lock when
    they begin, so concurrent writers queue instead of failing with "database is locked"; their unit of work is
    entered and left in the thread pool exactly as a synchronous dependency would.

    A read (GET/HEAD/OPTIONS without a token) makes its session here on the event loop — that does no I/O: the
    connection is taken by the first statement, in the route's thread — and ends it in the thread pool only when
    a transaction is still open (a route that committed in its own thread, see ``web/json_api.py``, or that never
    used the database costs no thread hop here). The end runs on a limiter of its own, like FastAPI's own exit of
    synchronous dependencies: waiting for a free worker while holding a connection could deadlock the pool.
    """
    writes = request.method not in ("GET", "HEAD", "OPTIONS") or "authorization" in request.headers
    own = getattr(request.scope.get("endpoint"), "own_transaction", False)
    engine = request.app.state.engine
    if writes and not own:
        async with contextmanager_in_threadpool(unit_of_work(engine, immediate=True)) as session:
            yield session
        return
    # the route writes through its own unit of work (own_transaction): holding the lock here would block it
    session = session_factory(engine if writes else reading(engine))()  # a read: no BEGIN/COMMIT on PostgreSQL
    if not writes:
        session.info[READ_REQUEST] = True  # a page may end it in the route's own thread (web/pages/rendering.py)
    try:
        yield session
        if session.in_transaction():
            await _in_thread(session.commit)
    except BaseException:
        with CancelScope(shield=True):  # a cancelled request still rolls back and gives its connection back
            await _in_thread(session.rollback)
        raise
    finally:
        if session.in_transaction():
            with CancelScope(shield=True):
                await _in_thread(session.close)
        else:
            session.close()  # nothing open: no I/O, nothing to shield


async def _in_thread(action) -> None:
    await anyio.to_thread.run_sync(action, limiter=CapacityLimiter(1))


SESSION = Depends(get_session, scope="function")
"""Commit (or roll back) when the route returns, *before* the response is sent: a client that is told "done" (or is
redirected with a new session cookie) must find the change committed on its very next request."""

DbSession = Annotated[Session, SESSION]
