"""Audit events of the account layer: logins, token use, user changes."""

from __future__ import annotations

from sqlalchemy.orm import Session

from chainkeeper.auth.roles import Principal


def actor_of(principal: Principal | None, client: str | None = None):
    """The audit actor for a principal (anonymous callers are recorded by address)."""
    from chainkeeper.audit.actor import Actor

    if principal is None:
        return Actor(None, "anonymous", None, client)
    return Actor(principal.user_id, principal.username, principal.main_role.value, client)


def record_token_use(*, session: Session, principal: Principal, client: str, path: str) -> None:
    """Every API token use leaves an event."""
    from chainkeeper.audit.service import record

    record(session=session, actor=actor_of(principal, client), action="token.use", object_type="api_token",
           object_id=principal.token_id, after={"path": path})
