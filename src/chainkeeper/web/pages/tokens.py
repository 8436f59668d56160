"""The account's API tokens page: create one (name and lifetime; the secret is shown once), list, revoke."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import Form, Request, Response
from fastapi.responses import RedirectResponse

from chainkeeper.auth import policies
from chainkeeper.auth import service as accounts
from chainkeeper.auth import tokens
from chainkeeper.auth.audit import actor_of
from chainkeeper.auth.deps import client_address, guard
from chainkeeper.auth.models import utcnow
from chainkeeper.auth.roles import Principal
from chainkeeper.errors import ChainkeeperError
from chainkeeper.i18n import _, translate
from chainkeeper.web.deps import DbSession, ObjectId
from chainkeeper.web.pages.messages import explain
from chainkeeper.web.pages.rendering import render, request_language
from chainkeeper.web.pages.route import page_router

router = page_router()
SignedIn = Annotated[Principal, guard(policies.SIGNED_IN)]


def _page(request: Request, session, principal: Principal, *, status_code: int = 200, **context) -> Response:
    rows = tokens.list_tokens(session=session, user_id=principal.user_id)
    return render(request, session, "account/tokens.html", status_code=status_code, tokens=rows, now=utcnow(),
                  lifetimes=tokens.LIFETIMES, **context)


@router.get("/account")
def account_home(_principal: SignedIn) -> Response:
    """The account menu entry: the password page, which links to the tokens."""
    return RedirectResponse("/account/password", status_code=303)


@router.get("/account/tokens")
def tokens_page(request: Request, session: DbSession, principal: SignedIn, revoked: str = "") -> Response:
    """The signed-in user's tokens and the form to create one."""
    flash = translate(_("The token {name} was revoked."), request_language(request), name=revoked[:128]) \
        if revoked else ""
    return _page(request, session, principal, flash=flash)


@router.post("/account/tokens")
def create_token(request: Request, session: DbSession, principal: SignedIn,
                 name: Annotated[str, Form(max_length=128)] = "", days: Annotated[int, Form()] = 90) -> Response:
    """Create a token and show its secret on this response only (never stored in clear, never shown again)."""
    language = request_language(request)
    if not name.strip() or days not in tokens.LIFETIMES:
        error = translate(_("Give the token a name and choose how long it is valid."), language)
        return _page(request, session, principal, status_code=422, error=error, token_name=name)
    user = accounts.get_user(session=session, user_id=principal.user_id)
    try:
        new = tokens.issue_token(session=session, actor=actor_of(principal, client_address(request)), user=user,
                                 name=name.strip(), days=days)
    except ChainkeeperError as error:
        return _page(request, session, principal, status_code=422, error=explain(error, language), token_name=name)
    return _page(request, session, principal, created=new.record, secret=new.plaintext)


@router.post("/account/tokens/{token_id}/revoke")
def revoke_token(request: Request, session: DbSession, principal: SignedIn, token_id: ObjectId) -> Response:
    """Revoke one of the user's tokens at once."""
    token = tokens.withdraw_token(session=session, actor=actor_of(principal, client_address(request)),
                                  token_id=token_id, owner=principal)
    return RedirectResponse(f"/account/tokens?revoked={quote(token.name)}", status_code=303)
