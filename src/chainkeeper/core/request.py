"""The request's database session: one transaction per request, committed before the response is sent.

Shared by the web layer and the authentication dependencies (``auth/deps.py``), so neither imports the other.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

from anyio import CancelScope
from fastapi import Depends, Request
from fastapi.concurrency import run_in_threadpool
from sqlalchemy.orm import Session

from chainkeeper.db import session_factory


async def get_session(request: Request) -> AsyncIterator[Session]:
    """A session whose transaction commits when the request succeeds and rolls back otherwise.

    Requests that write (unsafe methods, or API-token calls, whose use is audited) take SQLite's write lock when
    they begin, so concurrent writers queue instead of failing with "database is locked".

    An ``async`` dependency: making the session does no I/O, so it happens on the event loop; the commit or
    rollback goes to the thread pool only when the request did use the database (a request that did not — a
    cached principal on a page without queries, ``/health``, a public page — costs no thread hop for it).
    """
    writes = request.method not in ("GET", "HEAD", "OPTIONS") or "authorization" in request.headers
    if getattr(request.scope.get("endpoint"), "own_transaction", False):
        writes = False  # the route writes through its own unit of work; holding the lock here would block it
    engine = request.app.state.engine
    session = session_factory(engine.execution_options(sqlite_immediate=True) if writes else engine)()
    try:
        yield session
        if session.in_transaction():
            await run_in_threadpool(session.commit)
    except BaseException:
        with CancelScope(shield=True):  # a cancelled request still rolls back and gives its connection back
            await _blocking(session, session.rollback)
        raise
    finally:
        with CancelScope(shield=True):
            await _blocking(session, session.close)


async def _blocking(session: Session, action) -> None:
    """Run ``action`` (rollback, close) in the thread pool when the session holds a transaction, else here."""
    if session.in_transaction():
        await run_in_threadpool(action)
    else:
        action()


SESSION = Depends(get_session, scope="function")
"""Commit (or roll back) when the route returns, *before* the response is sent: a client that is told "done" (or is
redirected with a new session cookie) must find the change committed on its very next request."""

DbSession = Annotated[Session, SESSION]
