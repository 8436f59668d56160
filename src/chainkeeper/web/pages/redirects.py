"""Form handlers answer with a redirect (post/redirect/get). After a refused change the redirect carries the message,
and the request's transaction must roll back: :func:`back` then raises, so the unit of work sees an exception."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import quote

from fastapi import Request
from fastapi.responses import RedirectResponse

from chainkeeper.coordination.messages import error_text
from chainkeeper.errors import ChainkeeperError
from chainkeeper.web.pages.rendering import request_language


class BackWithError(Exception):
    """A refused form: roll back, then send the browser to ``url`` with ``message`` to show."""

    def __init__(self, url: str, message: str):
        super().__init__(message)
        self.url, self.message = url, message


def back(url: str, error: Exception | str | None = None) -> RedirectResponse:
    """Redirect (303) to ``url``; with an ``error``, roll the request's changes back and show the message there."""
    if error is not None:
        raise BackWithError(url, str(error))
    return RedirectResponse(url, status_code=303)


@contextmanager
def back_if_refused(url: str, request: Request) -> Iterator[None]:
    """Run a form's change; if the service refuses it (:class:`ChainkeeperError`), go :func:`back` to ``url`` with
    the reason in the request's language (the change rolls back)."""
    try:
        yield
    except ChainkeeperError as error:
        back(url, error_text(error, request_language(request)))


async def back_with_error(_request: Request, error: BackWithError) -> RedirectResponse:
    """The exception handler: the redirect with the message in ``?error=``."""
    separator = "&" if "?" in error.url else "?"
    return RedirectResponse(f"{error.url}{separator}error={quote(error.message[:300])}", status_code=303)
