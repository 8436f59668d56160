"""CSRF protection of the anonymous login form: a double-submit cookie, checked together with the Origin.

Signed-in forms are protected by the session's CSRF token (see :mod:`chainkeeper.auth.deps`); the login form has
no session yet, so it needs its own token. The choice is a *double-submit cookie* rather than a signed token:

* a signed (HMAC) token needs a server secret shared by every worker and kept across restarts; the platform has
  no such setting, and a per-process random key would fail logins behind several workers or after a restart;
* a cross-site attacker can neither read the cookie nor set it: it is random, ``HttpOnly``, ``SameSite=Strict``
  and limited to ``/login``; the form must echo its value, compared in constant time;
* the one weakness of double-submit, a cookie planted by a sibling host, is covered by also requiring that a
  request carrying an ``Origin`` (or, failing that, a ``Referer``) header comes from this host.
"""

from __future__ import annotations

import secrets
from urllib.parse import urlsplit

from fastapi import Request, Response

LOGIN_CSRF_COOKIE = "ck_login_csrf"
LOGIN_PATH = "/login"


def issue(request: Request) -> str:
    """The token for the login form: the browser's current one, or a new random one."""
    return request.cookies.get(LOGIN_CSRF_COOKIE) or secrets.token_urlsafe(32)


def attach(request: Request, response: Response, token: str) -> None:
    """Set (or refresh) the cookie holding ``token``."""
    response.set_cookie(LOGIN_CSRF_COOKIE, token, httponly=True, samesite="strict", path=LOGIN_PATH,
                        secure=request.url.scheme == "https", max_age=2 * 3600)


def _same_origin(request: Request) -> bool:
    source = request.headers.get("origin") or request.headers.get("referer")
    if not source or source == "null":
        return source is None
    return urlsplit(source).netloc == request.headers.get("host", request.url.netloc)


def valid(request: Request, supplied: str | None) -> bool:
    """True when the form's token equals the cookie's and the request comes from this site."""
    expected = request.cookies.get(LOGIN_CSRF_COOKIE)
    if not expected or not supplied or not _same_origin(request):
        return False
    return secrets.compare_digest(expected.encode(), supplied.encode())


def clear(response: Response) -> None:
    """Forget the login token once the user is signed in."""
    response.delete_cookie(LOGIN_CSRF_COOKIE, path=LOGIN_PATH)
