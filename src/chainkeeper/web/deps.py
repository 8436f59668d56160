"""Request-scoped dependencies: one database session (one transaction) per request."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Path, Request
from sqlalchemy.orm import Session

from chainkeeper.db import unit_of_work


def get_session(request: Request) -> Iterator[Session]:
    """A session whose transaction commits when the request succeeds and rolls back otherwise."""
    with unit_of_work(request.app.state.engine) as session:
        yield session


DbSession = Annotated[Session, Depends(get_session)]

ObjectId = Annotated[int, Path(ge=1, le=2_147_483_647, description="Numeric id.")]
"""A database id in a path: positive and within a 32-bit integer, so no database overflows on a wild value."""
