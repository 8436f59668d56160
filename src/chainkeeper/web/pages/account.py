"""Pages of the signed-in person: login, logout, password change, language switch."""

from __future__ import annotations

import json
from typing import Annotated

from fastapi import Form, Request, Response
from fastapi.responses import RedirectResponse

from chainkeeper.auth import policies
from chainkeeper.auth import service as accounts
from chainkeeper.auth.api import login_user, set_session_cookie
from chainkeeper.auth.deps import SESSION_COOKIE, client_address, guard
from chainkeeper.auth.roles import Principal
from chainkeeper.errors import ValidationFailed
from chainkeeper.i18n import LANGUAGES, _, translate
from chainkeeper.web.deps import DbSession
from chainkeeper.web.pages import login_csrf
from chainkeeper.web.pages.audit_trail import audit
from chainkeeper.web.pages.messages import explain, login_failure
from chainkeeper.web.pages.rendering import LANGUAGE_COOKIE, render, request_language
from chainkeeper.web.pages.route import page_router, safe_next

router = page_router()
Anyone = Annotated[Principal | None, guard(policies.PUBLIC)]
SignedIn = Annotated[Principal, guard(policies.SIGNED_IN)]
Text = Annotated[str, Form()]


def _login_form(request: Request, session, next_path: str, *, error: str = "", username: str = "",
                status_code: int = 200) -> Response:
    """The login page with a fresh form token (and its cookie)."""
    token = login_csrf.issue(request)
    response = render(request, session, "login.html", status_code=status_code, next=next_path, error=error,
                      username=username, login_token=token)
    login_csrf.attach(request, response, token)
    return response


@router.get("/login")
def login_page(request: Request, session: DbSession, principal: Anyone, next: str = "/") -> Response:
    """The login form (a signed-in caller goes straight on)."""
    if principal is not None:
        return RedirectResponse(safe_next(next), status_code=303)
    return _login_form(request, session, safe_next(next))


@router.post("/login")
def login(request: Request, session: DbSession, _anyone: Anyone, username: Text = "", password: Text = "",
          csrf_token: Text = "", next: Text = "/") -> Response:
    """Check the form token and the credentials; start a session and go on to ``next``."""
    target, language = safe_next(next), request_language(request)
    if not login_csrf.valid(request, csrf_token):
        expired = translate(_("The login form has expired; please try again."), language)
        return _login_form(request, session, target, error=expired, username=username, status_code=400)
    result, failure = login_user(session, request, username.strip(), password)
    if failure is not None:
        body = json.loads(failure.body)["error"]
        message = login_failure(body["code"], body["message"], language)
        return _login_form(request, session, target, error=message, username=username,
                           status_code=failure.status_code)
    _user, new = result
    response = RedirectResponse(target, status_code=303)
    set_session_cookie(response, request, new.plaintext)
    login_csrf.clear(response)
    return response


@router.post("/logout")
def logout(request: Request, session: DbSession, principal: SignedIn) -> Response:
    """End the session and return to the login page."""
    if cookie := request.cookies.get(SESSION_COOKIE):
        accounts.end_session(session=session, secret=cookie)
    audit(session, principal, request, "logout", "user", principal.user_id)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.post("/language")
def switch_language(_anyone: Anyone, lang: Text = "", next: Text = "/") -> Response:
    """Remember the chosen language in the ``ck_lang`` cookie and go back."""
    response = RedirectResponse(safe_next(next), status_code=303)
    if lang in LANGUAGES:
        response.set_cookie(LANGUAGE_COOKIE, lang, max_age=365 * 24 * 3600, samesite="lax", path="/",
                            httponly=True)
    return response


@router.get("/account/password")
def password_page(request: Request, session: DbSession, _principal: SignedIn, changed: bool = False) -> Response:
    """The password change form."""
    return render(request, session, "password.html", changed=changed)


@router.post("/account/password")
def change_password(request: Request, session: DbSession, principal: SignedIn, current: Text = "",
                    new: Text = "", confirm: Text = "") -> Response:
    """Change the password; the other sessions end, this browser gets a new one."""
    language = request_language(request)
    user = accounts.get_user(session=session, user_id=principal.user_id)
    try:
        if new != confirm:
            raise ValidationFailed("the new passwords do not match", [{"field": "confirm", "code": "mismatch"}])
        accounts.change_password(session=session, user=user, current=current, new=new)
    except ValidationFailed as error:
        return render(request, session, "password.html", status_code=422, error=explain(error, language))
    audit(session, principal, request, "password.change", "user", user.id)
    fresh = accounts.start_session(session=session, user=user, client_address=client_address(request))
    response = RedirectResponse("/account/password?changed=1", status_code=303)
    set_session_cookie(response, request, fresh.plaintext)
    return response
