"""Account services: users, login with throttling and lockout, browser sessions, API tokens."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from chainkeeper.audit.actor import Actor
from chainkeeper.auth.models import ApiToken, LoginSession, PasswordHistory, User, UserRole, utcnow
from chainkeeper.auth.passwords import hash_password, needs_rehash, verify_password
from chainkeeper.auth import session_cache  # noqa: F401 - its session events revoke cached principals
from chainkeeper.auth.roles import REGION_LENGTH, Principal, Role
from chainkeeper.core.caller import Caller
from chainkeeper.errors import ChainkeeperError, NotFound, ValidationFailed
from chainkeeper.reference.models import Region

WRONG_CREDENTIALS = "wrong username or password"
PASSWORD_HISTORY = 5  # a new password must differ from the current one and the 4 before it
SESSION_LIFETIME = timedelta(hours=12)
TOKEN_PREFIX = "ckt_"
LAST_USED_RESOLUTION = timedelta(seconds=60)
"""A token's last-used time is written only when the stored one is older than this."""


class LoginFailed(ChainkeeperError):
    """Wrong username or password (deliberately not saying which), or a locked or inactive account."""

    code = "login_failed"

    def __init__(self, message: str, *, locked_until: datetime | None = None):
        super().__init__(message)
        self.locked_until = locked_until


def secret_digest(secret: str) -> str:
    """SHA-256 of a high-entropy secret (session cookie or token); such secrets need no slow hash."""
    return hashlib.sha256(secret.encode()).hexdigest()


def _check_bindings(session: Session, roles: set[Role], enterprise_id: int | None, region_code: str | None) -> None:
    if Role.enterprise in roles and enterprise_id is None:
        raise ValidationFailed("an enterprise user must be bound to an enterprise")
    for role, length in REGION_LENGTH.items():
        if role in roles and (region_code is None or len(region_code) != length):
            raise ValidationFailed(f"a {role.value} authority must be bound to a {length}-digit region code")
    if region_code is not None and session.get(Region, region_code) is None:
        raise ValidationFailed(f"no region {region_code[:12]} in the registry",
                               [{"field": "region_code", "code": "unknown"}])


def create_user(
    *, session: Session, username: str, password: str, display_name: str, roles: set[Role],
    enterprise_id: int | None = None, region_code: str | None = None, email: str = "", language: str = "zh_CN",
) -> User:
    """Create an account with a hashed password; the bindings its roles need are checked."""
    if not roles:
        raise ValidationFailed("a user needs at least one role")
    _check_bindings(session, roles, enterprise_id, region_code)
    if session.scalar(select(User.id).where(User.username == username)) is not None:
        raise ValidationFailed(f"the username {username} is taken", [{"field": "username", "code": "taken"}])
    user = User(username=username, display_name=display_name, password_hash=hash_password(password, username), email=email,
                language=language, enterprise_id=enterprise_id, region_code=region_code,
                roles=[UserRole(role=role) for role in sorted(roles)])
    session.add(user)
    session.flush()
    return user


def set_roles(*, session: Session, user: User, roles: set[Role], enterprise_id: int | None,
              region_code: str | None) -> None:
    """Replace a user's roles and bindings."""
    if not roles:
        raise ValidationFailed("a user needs at least one role")
    _check_bindings(session, roles, enterprise_id, region_code)
    user.roles = [UserRole(role=role) for role in sorted(roles)]
    user.enterprise_id, user.region_code = enterprise_id, region_code
    session.flush()


def authenticate(*, session: Session, username: str, password: str, now: datetime | None = None) -> User:
    """The user if the password is right, else :class:`LoginFailed` with one answer whatever went wrong.

    Unknown, inactive and existing users get the same message at the same cost, so the answer never tells who
    has an account; no account is ever locked (a stranger could lock out its owner): repeated failures are slowed
    down per account and address by :class:`chainkeeper.auth.throttle.Throttle` instead. ``failed_logins`` counts
    the failures since the last success, for administrators.
    """
    user = session.scalar(select(User).where(User.username == username))
    if user is None or not user.is_active:
        verify_password(_dummy_hash(), password)  # same cost whether or not the user exists
        raise LoginFailed(WRONG_CREDENTIALS)
    if not verify_password(user.password_hash, password):
        user.failed_logins += 1
        raise LoginFailed(WRONG_CREDENTIALS)
    user.failed_logins, user.locked_until = 0, None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return user


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return hash_password(secrets.token_hex(16) + "A1!")


def change_password(*, session: Session, user: User, current: str, new: str) -> None:
    """Change a password after checking the current one and the rules (none of the last :data:`PASSWORD_HISTORY`
    passwords again); ends the user's sessions."""
    if not verify_password(user.password_hash, current):
        raise ValidationFailed("the current password is wrong", [{"field": "current", "code": "wrong_password"}])
    hashed = hash_password(new, user.username)
    history = list(session.scalars(select(PasswordHistory).where(PasswordHistory.user_id == user.id)
                                   .order_by(PasswordHistory.id.desc())))
    recent = [user.password_hash] + [old.password_hash for old in history[:PASSWORD_HISTORY - 1]]
    if any(verify_password(old, new) for old in recent):
        raise ValidationFailed(f"choose a password you have not used for your last {PASSWORD_HISTORY} passwords",
                               [{"field": "password", "code": "reused_password"}])
    session.add(PasswordHistory(user_id=user.id, password_hash=user.password_hash))
    for old in history[PASSWORD_HISTORY - 2:]:  # keep the previous ones the rule needs, with the one just added
        session.delete(old)
    user.password_hash = hashed
    user.password_changed_at = utcnow()
    for login in session.scalars(select(LoginSession).where(LoginSession.user_id == user.id)):
        session.delete(login)
    session.flush()


@dataclass(frozen=True)
class NewSecret:
    """A freshly made secret: the plaintext (shown once) and the stored record."""

    plaintext: str
    record: LoginSession | ApiToken


def start_session(*, session: Session, user: User, client_address: str = "") -> NewSecret:
    """A new browser session for ``user``."""
    secret = secrets.token_urlsafe(32)
    login = LoginSession(user_id=user.id, secret_hash=secret_digest(secret), csrf_token=secrets.token_urlsafe(32),
                         expires_at=utcnow() + SESSION_LIFETIME, client_address=client_address[:64])
    session.add(login)
    session.flush()
    return NewSecret(secret, login)


def end_session(*, session: Session, secret: str) -> None:
    """Log out: forget the session."""
    login = session.scalar(select(LoginSession).where(LoginSession.secret_hash == secret_digest(secret)))
    if login is not None:
        session.delete(login)


def principal_of(user: User, roles: frozenset[Role] | None = None, **ids: int | None) -> Principal:
    """The principal acting as ``user`` (optionally with fewer roles, as a token may have)."""
    return Principal(user_id=user.id, username=user.username, display_name=user.display_name,
                     roles=roles if roles is not None else user.role_set, enterprise_id=user.enterprise_id,
                     region_code=user.region_code, language=user.language, **ids)


def caller_named(session: Session, username: str) -> Caller | None:
    """The caller acting as the account ``username`` outside any request (the demo's loaders), or None."""
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        return None
    principal = principal_of(user)
    return Caller(principal, Actor(user.id, user.username, principal.main_role.value))


def resolve_session(*, session: Session, secret: str, now: datetime | None = None) -> tuple[Principal, str] | None:
    """The principal and CSRF token of a live session cookie, or None."""
    found = resolve_session_until(session=session, digest=secret_digest(secret), now=now)
    return found[:2] if found is not None else None


def resolve_session_until(*, session: Session, digest: str,
                          now: datetime | None = None) -> tuple[Principal, str, datetime] | None:
    """The principal, CSRF token and expiry of the live session whose cookie has the SHA-256 ``digest``, or None."""
    query = (select(LoginSession, User).join(User, User.id == LoginSession.user_id)
             .where(LoginSession.secret_hash == digest))  # one round trip for session and user
    found = session.execute(query).first()
    if found is None:
        return None
    login, user = found
    if login.expires_at <= (now or utcnow()) or not user.is_active:
        return None
    return principal_of(user, session_id=login.id), login.csrf_token, login.expires_at


def create_token(*, session: Session, user: User, name: str, roles: set[Role] | None = None,
                 lifetime: timedelta = timedelta(days=90)) -> NewSecret:
    """An API token limited to ``roles`` (a subset of the user's); the plaintext is returned once."""
    chosen = set(roles) if roles else set(user.role_set)
    if not chosen <= user.role_set:
        raise ValidationFailed("a token cannot carry roles its owner does not hold")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user_id=user.id, name=name, prefix=secret[:10], secret_hash=secret_digest(secret),
                     roles=",".join(sorted(r.value for r in chosen)), expires_at=utcnow() + lifetime)
    session.add(token)
    session.flush()
    return NewSecret(secret, token)


def resolve_token(*, session: Session, secret: str, now: datetime | None = None) -> Principal | None:
    """The principal of a live, unrevoked token, or None; records its last use."""
    now = now or utcnow()
    token = session.scalar(select(ApiToken).where(ApiToken.secret_hash == secret_digest(secret)))
    if token is None or token.revoked_at is not None or token.expires_at <= now:
        return None
    user = session.get(User, token.user_id)
    if user is None or not user.is_active:
        return None
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        token.last_used_at = now  # at most once a minute: a poller must not write on every request
    roles = frozenset(Role(r) for r in token.roles.split(",")) & user.role_set
    return principal_of(user, roles=roles, token_id=token.id)


def revoke_token(*, session: Session, token_id: int, owner: Principal) -> ApiToken:
    """Revoke a token of the owner's (administrators may revoke anyone's)."""
    token = session.get(ApiToken, token_id)
    if token is None or (token.user_id != owner.user_id and not owner.has(Role.admin)):
        raise NotFound(f"no token {token_id}")
    token.revoked_at = utcnow()
    return token


def get_user(*, session: Session, user_id: int) -> User:
    """A user by id, or :class:`NotFound`."""
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(f"no user {user_id}")
    return user


USER_COLUMNS = (User.id, User.username, User.display_name, User.email, User.language, User.is_active,
                User.enterprise_id, User.region_code)


_USER_DATA = (select(*USER_COLUMNS, UserRole.role).outerjoin(UserRole, UserRole.user_id == User.id)
              .where(User.id == bindparam("user_id")))
"""Built once (its construction and cache key cost more than running it) and run on the session's connection."""


def user_data(*, session: Session, user_id: int) -> dict:
    """A user by id as plain data (the columns of :data:`USER_COLUMNS` and the sorted ``roles``), read with one
    statement and no ORM entity; or :class:`NotFound`."""
    rows = session.connection().execute(_USER_DATA, {"user_id": user_id}).all()
    if not rows:
        raise NotFound(f"no user {user_id}")
    data = {column.key: value for column, value in zip(USER_COLUMNS, rows[0])}
    data["roles"] = sorted(row.role for row in rows if row.role is not None)
    return data
