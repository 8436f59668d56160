"""The white-list pages' reads of shown columns, without ORM entities (issue 15): a list's header with its batches in
one statement, and the approved applications ready to publish with their enterprises' names in one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from sqlalchemy import Row, select
from sqlalchemy.orm import Session

from chainkeeper.auth.roles import Principal
from chainkeeper.errors import NotFound
from chainkeeper.registry.models import Enterprise
from chainkeeper.whitelist.models import AppState, Application, Batch, WhiteList
from chainkeeper.whitelist.service import application_scope


class BatchShown(NamedTuple):
    """A batch as the list page shows it."""

    number: int
    published_on: date


@dataclass(frozen=True)
class ListHeader:
    """What the list page shows of a list: its id, name and scope, its batches (``number``, ``published_on``) by
    number."""

    id: int
    name: str
    scope_code: str
    batches: tuple[BatchShown, ...]

    @property
    def next_batch(self) -> int:
        """The number the next batch gets (:func:`chainkeeper.whitelist.service.next_batch_number`)."""
        return max((batch.number for batch in self.batches), default=0) + 1


def list_header(session: Session, list_id: int) -> ListHeader:
    """The list's header and batches (one statement), or :class:`NotFound` as
    :func:`chainkeeper.whitelist.service.get_list`."""
    query = (select(WhiteList.id, WhiteList.name, WhiteList.scope_code, Batch.number, Batch.published_on)
             .outerjoin(Batch, Batch.list_id == WhiteList.id).where(WhiteList.id == list_id)
             .order_by(Batch.number))
    rows = session.execute(query).all()
    if not rows:
        raise NotFound(f"no white list {list_id}")
    first = rows[0]
    batches = tuple(BatchShown(row.number, row.published_on) for row in rows if row.number is not None)
    return ListHeader(first.id, first.name, first.scope_code, batches)


def ready_rows(session: Session, principal: Principal, list_id: int, limit: int = 200) -> list[Row]:
    """The approved applications of the list the principal may see, newest first (as
    :func:`chainkeeper.whitelist.service.list_applications` finds them): ``id``, ``category`` and the enterprise's
    ``name``."""
    query = (select(Application.id, Application.category, Enterprise.name)
             .join(Enterprise, Enterprise.id == Application.enterprise_id)
             .where(application_scope(principal), Application.state == AppState.approved,
                    Application.list_id == list_id).order_by(Application.id.desc()).limit(limit))
    return session.execute(query).all()
