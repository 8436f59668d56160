"""REST endpoints of accounts: login/logout, the current user, password change, API tokens, user administration."""

from __future__ import annotations

import math
from typing import Annotated

from fastapi import APIRouter, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from pydantic import TypeAdapter
from sqlalchemy import select
from sqlalchemy.orm import Session

from chainkeeper.auth import policies
from chainkeeper.auth import service as accounts
from chainkeeper.auth import tokens
from chainkeeper.auth.audit import actor_of
from chainkeeper.auth.deps import SESSION_COOKIE, client_address, guard
from chainkeeper.auth.models import User
from chainkeeper.auth.roles import Principal
from chainkeeper.auth.session_cache import KeptPerUser, current_epoch
from chainkeeper.auth.schemas import (
    LoginIn, PasswordChangeIn, RolesIn, SessionOut, TokenIn, TokenOut, UserIn, UserOut,
)
from chainkeeper.auth.throttle import Throttle
from chainkeeper.registry.service import get_enterprise
from chainkeeper.web.deps import DbSession, ObjectId
from chainkeeper.web.errors import ERROR_RESPONSES, error_body
from chainkeeper.web.json_api import JSON, json_route

router = APIRouter(tags=["accounts"], responses=ERROR_RESPONSES)
login_throttle = Throttle()

Anyone = Annotated[Principal | None, guard(policies.PUBLIC)]
SignedIn = Annotated[Principal, guard(policies.SIGNED_IN)]
Admin = Annotated[Principal, guard(policies.ADMIN)]
_USER_JSON = TypeAdapter(UserOut)
_kept_me = KeptPerUser()
"""``/me``'s JSON per user id, dropped whenever any account or session changes (the revocation epoch)."""


def _audit(session, principal, request, action, object_type, object_id, before=None, after=None):
    from chainkeeper.audit.service import record

    record(session=session, actor=actor_of(principal, client_address(request)), action=action,
           object_type=object_type, object_id=object_id, before=before, after=after)


def set_session_cookie(response: Response, request: Request, secret: str) -> None:
    """The session cookie: HttpOnly, SameSite=Lax, Secure when served over HTTPS."""
    response.set_cookie(SESSION_COOKIE, secret, httponly=True, samesite="lax", path="/",
                        secure=request.url.scheme == "https",
                        max_age=int(accounts.SESSION_LIFETIME.total_seconds()))


def login_user(session, request: Request, username: str, password: str):
    """Authenticate with throttling; returns (user, new session) or an error JSON response. Always audited."""
    client = client_address(request)
    wait = login_throttle.wait(username, client)
    if not login_throttle.allow(client) or wait > 0:
        headers = {"Retry-After": str(max(1, math.ceil(wait)))} if wait > 0 else {}
        return None, JSONResponse(error_body("throttled", "too many login attempts; wait a few minutes"), 429,
                                  headers=headers)
    try:
        user = accounts.authenticate(session=session, username=username, password=password)
    except accounts.LoginFailed as failure:
        login_throttle.record_failure(client, account=username)
        _audit(session, None, request, "login.failed", "user", username[:64] or "?", after={"reason": str(failure)})
        return None, JSONResponse(error_body("login_failed", str(failure)), 401)
    login_throttle.record_success(username, client)
    new = accounts.start_session(session=session, user=user, client_address=client)
    _audit(session, accounts.principal_of(user), request, "login", "user", user.id)
    return (user, new), None


@router.post("/auth/login", response_model=SessionOut)
def login(body: LoginIn, request: Request, response: Response, session: DbSession, _p: Anyone):
    """Start a browser session (sets the session cookie; returns the CSRF token)."""
    result, failure = login_user(session, request, body.username, body.password)
    if failure is not None:
        return failure
    user, new = result
    set_session_cookie(response, request, new.plaintext)
    return SessionOut(user=UserOut.of(user), csrf_token=new.record.csrf_token)


@router.post("/auth/logout", status_code=204)
def logout(request: Request, response: Response, session: DbSession, principal: SignedIn) -> None:
    """End the current browser session."""
    if cookie := request.cookies.get(SESSION_COOKIE):
        accounts.end_session(session=session, secret=cookie)
    _audit(session, principal, request, "logout", "user", principal.user_id)
    response.delete_cookie(SESSION_COOKIE, path="/")


@router.get("/me", response_model=UserOut)
async def me(session: DbSession, principal: SignedIn) -> Response:
    """The signed-in user."""
    body = _kept_me.get(principal.user_id)
    if body is None:  # read in the pool; answered on the event loop while no account changes (issue 15)
        epoch = current_epoch()  # before the database is asked: a change meanwhile drops what is read
        body = await run_in_threadpool(_me_json, session, principal.user_id)
        _kept_me.put(principal.user_id, body, epoch)
    return Response(body, media_type=JSON)


def _me_json(session: Session, user_id: int) -> bytes:
    """``/me``'s JSON, as :func:`chainkeeper.web.json_api.json_route` makes it; the read transaction ends here."""
    body = _USER_JSON.dump_json(_USER_JSON.validate_python(accounts.user_data(session=session, user_id=user_id)))
    if session.in_transaction():
        session.commit()
    return body


@router.post("/me/password", status_code=204)
def change_password(body: PasswordChangeIn, request: Request, session: DbSession, principal: SignedIn) -> None:
    """Change the signed-in user's password (ends the user's sessions)."""
    user = accounts.get_user(session=session, user_id=principal.user_id)
    accounts.change_password(session=session, user=user, current=body.current, new=body.new)
    _audit(session, principal, request, "password.change", "user", user.id)


@router.get("/tokens", response_model=list[TokenOut])
@json_route
def list_tokens(session: DbSession, principal: SignedIn) -> list[TokenOut]:
    """The signed-in user's API tokens (without secrets), newest first."""
    return [TokenOut.of(token) for token in tokens.list_tokens(session=session, user_id=principal.user_id)]


@router.post("/tokens", response_model=TokenOut, status_code=201)
def create_token(body: TokenIn, request: Request, session: DbSession, principal: SignedIn) -> TokenOut:
    """Create an API token (send it as ``Authorization: Bearer …``); its secret is shown in this response only."""
    user = accounts.get_user(session=session, user_id=principal.user_id)
    new = tokens.issue_token(session=session, actor=actor_of(principal, client_address(request)), user=user,
                             name=body.name, days=body.days, roles=body.roles)
    return TokenOut.of(new.record, secret=new.plaintext)


@router.delete("/tokens/{token_id}", response_model=TokenOut)
def revoke_token(token_id: ObjectId, request: Request, session: DbSession, principal: SignedIn) -> TokenOut:
    """Revoke a token at once."""
    token = tokens.withdraw_token(session=session, actor=actor_of(principal, client_address(request)),
                                  token_id=token_id, owner=principal)
    return TokenOut.of(token)


@router.get("/users", response_model=list[UserOut])
def list_users(session: DbSession, _admin: Admin) -> list[UserOut]:
    """Every account (administrators)."""
    return [UserOut.of(user) for user in session.scalars(select(User).order_by(User.username))]


def _enterprise_id(session, uscc: str | None) -> int | None:
    return get_enterprise(session=session, uscc=uscc).id if uscc else None


@router.post("/users", response_model=UserOut, status_code=201)
def create_user(body: UserIn, request: Request, session: DbSession, admin: Admin) -> UserOut:
    """Create an account with roles (administrators)."""
    user = accounts.create_user(
        session=session, username=body.username, password=body.password, display_name=body.display_name,
        roles=body.roles, enterprise_id=_enterprise_id(session, body.enterprise_uscc), region_code=body.region_code,
        email=body.email, language=body.language,
    )
    out = UserOut.of(user)
    _audit(session, admin, request, "user.create", "user", user.id, after=out.model_dump(mode="json"))
    return out


@router.patch("/users/{user_id}", response_model=UserOut)
def update_roles(user_id: ObjectId, body: RolesIn, request: Request, session: DbSession, admin: Admin) -> UserOut:
    """Change a user's roles, bindings and whether the account is active (administrators)."""
    user = accounts.get_user(session=session, user_id=user_id)
    before = UserOut.of(user).model_dump(mode="json")
    accounts.set_roles(session=session, user=user, roles=body.roles,
                       enterprise_id=_enterprise_id(session, body.enterprise_uscc), region_code=body.region_code)
    user.is_active = body.is_active
    after = UserOut.of(user).model_dump(mode="json")
    _audit(session, admin, request, "user.update", "user", user.id, before=before, after=after)
    return UserOut(**after)
