"""The request's database session: one transaction per request, committed before the response is sent.

Shared by the web layer and the authentication dependencies (``auth/deps.py``), so neither imports the other.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from chainkeeper.db import unit_of_work


def get_session(request: Request) -> Iterator[Session]:
    """A session whose transaction commits when the request succeeds and rolls back otherwise.

    Requests that write (unsafe methods, or API-token calls, whose use is audited) take SQLite's write lock when
    they begin, so concurrent writers queue instead of failing with "database is locked".
    """
    writes = request.method not in ("GET", "HEAD", "OPTIONS") or "authorization" in request.headers
    if getattr(request.scope.get("endpoint"), "own_transaction", False):
        writes = False  # the route writes through its own unit of work; holding the lock here would block it
    with unit_of_work(request.app.state.engine, immediate=writes) as session:
        yield session


SESSION = Depends(get_session, scope="function")
"""Commit (or roll back) when the route returns, *before* the response is sent: a client that is told "done" (or is
redirected with a new session cookie) must find the change committed on its very next request."""

DbSession = Annotated[Session, SESSION]
