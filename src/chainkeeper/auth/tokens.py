"""API tokens as the API, the account page and the CLI hand them out: created and revoked with an audit event.

A token is ``Authorization: Bearer <secret>``; the secret is shown once, only its SHA-256 is stored
(see :func:`chainkeeper.auth.service.create_token`).
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from chainkeeper.audit.actor import Actor
from chainkeeper.audit.service import record
from chainkeeper.auth import service as accounts
from chainkeeper.auth.models import ApiToken, User
from chainkeeper.auth.roles import Principal, Role

LIFETIMES = (30, 90, 180, 366)
"""The lifetimes (days) the account page offers; the API and the CLI take any from 1 to 366."""


def list_tokens(*, session: Session, user_id: int) -> list[ApiToken]:
    """The user's tokens, newest first (without secrets)."""
    return list(session.scalars(select(ApiToken).where(ApiToken.user_id == user_id)
                                .order_by(ApiToken.id.desc())))


def issue_token(*, session: Session, actor: Actor, user: User, name: str, days: int,
                roles: set[Role] | None = None) -> accounts.NewSecret:
    """Create a token of ``user`` valid ``days`` days and record ``token.create``; the secret is in the result."""
    new = accounts.create_token(session=session, user=user, name=name, roles=roles, lifetime=timedelta(days=days))
    record(session=session, actor=actor, action="token.create", object_type="api_token", object_id=new.record.id,
           after={"name": name, "roles": new.record.roles, "user": user.username, "days": days})
    return new


def withdraw_token(*, session: Session, actor: Actor, token_id: int, owner: Principal) -> ApiToken:
    """Revoke a token of ``owner`` (an administrator: anyone's) and record ``token.revoke``."""
    token = accounts.revoke_token(session=session, token_id=token_id, owner=owner)
    record(session=session, actor=actor, action="token.revoke", object_type="api_token", object_id=token.id,
           after={"name": token.name})
    return token
