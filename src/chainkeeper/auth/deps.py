"""FastAPI dependencies: who is calling (session cookie or bearer token), and the policy guard every route declares."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from sqlalchemy.orm import Session

from chainkeeper.auth.policies import Policy
from chainkeeper.auth.roles import Principal
from chainkeeper.auth.service import resolve_session_until, resolve_token, secret_digest
from chainkeeper.auth.session_cache import PrincipalCache, current_epoch
from chainkeeper.core.caller import Caller
from chainkeeper.core.request import SESSION

SESSION_COOKIE = "ck_session"
CSRF_HEADER = "x-csrf-token"
CSRF_FIELD = "csrf_token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def client_address(request: Request) -> str:
    """The caller's address as the server sees it."""
    return request.client.host if request.client else ""


def _known(request: Request) -> bool:
    """Sets the request's principal when it is known without the database (no credentials, or a cached session);
    False when a lookup is needed."""
    if hasattr(request.state, "principal"):
        return True
    if request.headers.get("authorization", "").lower().startswith("bearer "):
        return False
    cookie = request.cookies.get(SESSION_COOKIE)
    hit = _principals(request).get(secret_digest(cookie)) if cookie else None
    if cookie and hit is None:
        return False
    request.state.principal, request.state.csrf_token = hit or (None, None)
    return True


def _principals(request: Request) -> PrincipalCache:
    cache = getattr(request.app.state, "principals", None)
    if cache is None:
        cache = request.app.state.principals = PrincipalCache()
    return cache


def _resolve(request: Request, session: Session) -> Principal | None:
    if _known(request):
        return request.state.principal
    principal, csrf = None, None
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        principal = resolve_token(session=session, secret=header[7:].strip())
        if principal is None:
            raise HTTPException(401, "the API token is invalid, expired or revoked")
        _on_token_use(request, session, principal)
    elif cookie := request.cookies.get(SESSION_COOKIE):
        cache, digest, epoch = _principals(request), secret_digest(cookie), current_epoch()  # the epoch first
        resolved = resolve_session_until(session=session, digest=digest)
        if resolved is not None:
            principal, csrf, expires_at = resolved
            cache.put(digest, principal, csrf, expires_at, epoch)
    request.state.principal, request.state.csrf_token = principal, csrf
    return principal


def _on_token_use(request: Request, session: Session, principal: Principal) -> None:
    """Hook for the audit trail: token use is recorded (see :mod:`chainkeeper.auth.audit`)."""
    from chainkeeper.auth.audit import record_token_use

    record_token_use(session=session, principal=principal, client=client_address(request),
                     path=request.url.path)


async def _check_csrf(request: Request) -> None:
    expected = getattr(request.state, "csrf_token", None)
    supplied = request.headers.get(CSRF_HEADER)
    if supplied is None and request.headers.get("content-type", "").startswith(
            ("application/x-www-form-urlencoded", "multipart/form-data")):
        supplied = (await request.form()).get(CSRF_FIELD)
    if not expected or supplied != expected:
        raise HTTPException(403, "the CSRF token is missing or wrong; reload the page and try again")


def guard(policy: Policy) -> Any:
    """The dependency that enforces ``policy``; a route without one fails the route-policy test."""

    async def enforce(request: Request, session: Annotated[Session, SESSION]) -> Principal | None:
        # a lookup is blocking database work: never on the event loop (it would stall every request)
        principal = request.state.principal if _known(request) else await run_in_threadpool(_resolve, request, session)
        if not policy.allows(principal):
            if principal is None:
                raise HTTPException(401, "sign in first")
            raise HTTPException(403, "your roles do not allow this")
        needs_csrf = not policy.public and principal is not None and principal.session_id is not None
        if needs_csrf and request.method not in SAFE_METHODS:
            await _check_csrf(request)
        return principal

    enforce.__policy__ = policy
    return Depends(enforce)


def declared_policy(route) -> Policy | None:
    """The policy a route declares (searched through its dependency tree), or None."""
    pending = [route.dependant]
    while pending:
        dependant = pending.pop()
        policy = getattr(dependant.call, "__policy__", None)
        if policy is not None:
            return policy
        pending.extend(dependant.dependencies)
    return None


def caller_of(principal: Principal, request: Request) -> Caller:
    """The service caller of a request: the principal and its audit actor with the client's address."""
    from chainkeeper.auth.audit import actor_of

    return Caller(principal, actor_of(principal, client_address(request)))
