"""Request-scoped dependencies: one database session (one transaction) per request."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path

from chainkeeper.core.request import SESSION, DbSession, get_session  # noqa: F401 - the pages' and APIs' names


def own_transaction(endpoint):
    """Mark a route whose writes go through their own unit of work (e.g. a long import), not the request's."""
    endpoint.own_transaction = True
    return endpoint


ObjectId = Annotated[int, Path(ge=1, le=2_147_483_647, description="Numeric id.")]
"""A database id in a path: positive and within a 32-bit integer, so no database overflows on a wild value."""
