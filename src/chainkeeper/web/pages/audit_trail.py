"""Recording what people change through the pages, and reading an object's history for display."""

from __future__ import annotations

import json

from fastapi import Request
from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from chainkeeper.audit.models import AuditEvent
from chainkeeper.audit.service import record
from chainkeeper.auth.audit import actor_of
from chainkeeper.auth.deps import client_address
from chainkeeper.auth.roles import Principal


def audit(session: Session, principal: Principal | None, request: Request, action: str, object_type: str,
          object_id: str | int, before: dict | None = None, after: dict | None = None) -> None:
    """Append an audit event in the request's transaction, attributed to ``principal`` at the caller's address."""
    record(session=session, actor=actor_of(principal, client_address(request)), action=action,
           object_type=object_type, object_id=object_id, before=before, after=after)


def changes(before: str | None, after: str | None) -> list[tuple[str, object, object]]:
    """The fields an event changed: (name, old value, new value), from its stored JSON snapshots."""
    old, new = json.loads(before) if before else {}, json.loads(after) if after else {}
    if not isinstance(old, dict) or not isinstance(new, dict):
        return [("", old, new)]
    names = sorted(set(old) | set(new))
    return [(name, old.get(name), new.get(name)) for name in names if old.get(name) != new.get(name)]


HISTORY_COLUMNS = (AuditEvent.seq, AuditEvent.occurred_at, AuditEvent.actor_name, AuditEvent.action,
                   AuditEvent.before, AuditEvent.after)
"""What a page shows of an object's events."""


def object_history(session: Session, object_type: str, *object_ids: str | int) -> list:
    """Events of one object known under several ids (e.g. an enterprise's USCC and row id), oldest first, as rows
    of :data:`HISTORY_COLUMNS` (one select for all the ids, no ``AuditEvent`` entities)."""
    params = {"object_type": object_type, "object_ids": [str(key) for key in object_ids]}
    return list(session.connection().execute(HISTORY, params))


HISTORY = (select(*HISTORY_COLUMNS).where(AuditEvent.object_type == bindparam("object_type"),
                                          AuditEvent.object_id.in_(bindparam("object_ids", expanding=True)))
           .order_by(AuditEvent.seq))
"""The select of :func:`object_history`, built once (type and ids bound)."""
