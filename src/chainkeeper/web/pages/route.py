"""The route class of pages: a refused or failed page request gets a page, not the API's JSON error.

Unauthenticated → 303 to ``/login?next=…`` (htmx: an ``HX-Redirect`` header); 403 → a friendly page;
a missing object → a 404 page; malformed query or form values → a 400 page.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any
from urllib.parse import quote, urlsplit

from fastapi import APIRouter, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse
from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException

from chainkeeper.errors import NotFound
from chainkeeper.web.pages.rendering import is_htmx, render

Handler = Callable[[Request], Coroutine[Any, Any, Response]]


def safe_next(target: str | None, default: str = "/") -> str:
    """``target`` if it is a same-site relative path (``/…`` but not ``//…``), else ``default``."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return default
    if any(ord(char) < 32 for char in target):
        return default
    parts = urlsplit(target)
    return target if not parts.scheme and not parts.netloc else default


def login_redirect(request: Request) -> Response:
    """Send the caller to the login page, coming back here (GET) or to the home page afterwards."""
    here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    target = "/login?next=" + quote(here if request.method == "GET" else "/", safe="")
    if is_htmx(request):
        return Response(status_code=204, headers={"HX-Redirect": target})
    return RedirectResponse(target, status_code=303)


def error_page(request: Request, status: int, detail: str = "") -> Response:
    """The friendly page for ``status`` (403, 404, 400 …)."""
    csrf = "CSRF" in detail
    return render(request, None, "error.html", status_code=status, status=status, csrf_failure=csrf)


class PageRoute(APIRoute):
    """An APIRoute whose refusals and errors render pages."""

    def get_route_handler(self) -> Handler:
        handler = super().get_route_handler()

        async def page_handler(request: Request) -> Response:
            try:
                return await handler(request)
            except HTTPException as error:
                if error.status_code == 401:
                    return login_redirect(request)
                return error_page(request, error.status_code, str(error.detail))
            except NotFound:
                return error_page(request, 404)
            except RequestValidationError:
                return error_page(request, 400)

        return page_handler


def page_router() -> APIRouter:
    """A router whose routes are page routes, hidden from the API schema."""
    return APIRouter(route_class=PageRoute, include_in_schema=False)
