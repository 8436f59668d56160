"""Pages whose own blocks are kept rendered for a few seconds (issue 15): the feature pages' tables (the daily picture,
the white lists, the ladder's hub, the matching board) were most of their CPU, and they are the same for every reader
of the same scope until the data changes.

:func:`render_kept` renders a page as :func:`chainkeeper.web.pages.rendering.render` does, but keeps the output of
the page template's own blocks (``title``, ``scripts``, ``content``, …) in a scoped cache of its own
(:mod:`chainkeeper.web.pages.scoped_cache`: one data epoch, ended by any committed write, at most ``ttl`` seconds)
under the caller's key plus the template, the language and the path. A later request of the same key renders only
the chrome around them (the parent template: user, navigation, language switch) and skips the page's reads.

The page's CSRF token is the one per-request value inside the blocks (the forms that post): the blocks are rendered
with a marker in its place, and the marker is replaced by the request's token in the finished page, so the bytes are
those :func:`render` makes. The key must carry everything else the blocks show — the scope of the principal
(:func:`chainkeeper.web.pages.scoped_cache.scope_key`), the day, the query's parameters; a key of ``None`` (a page
with an error message from a form, say) renders without keeping.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Hashable, Iterator
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Template
from jinja2.runtime import Context
from markupsafe import escape
from sqlalchemy.orm import Session

from chainkeeper.core.request import READ_REQUEST
from chainkeeper.web.pages.rendering import SECURITY_HEADERS, chrome, environment, render, request_language
from chainkeeper.web.pages.scoped_cache import ScopedCache, Sees

TOKEN_MARK = "ck-csrf-" + secrets.token_hex(12)
"""Stands for the request's CSRF token inside kept blocks (random per process: no page text can contain it)."""
KEPT_PAGES = 400
"""Pages' blocks kept at most per process (a page's blocks are up to ~80 kB: ~30 MB at most), apart from the page
cache's aggregates so that big blocks do not push them out."""


def kept_cache(app) -> ScopedCache:
    """The application's kept blocks (:class:`ScopedCache` of :data:`KEPT_PAGES` entries)."""
    cache = getattr(app.state, "kept_blocks", None)
    if cache is None:
        cache = app.state.kept_blocks = ScopedCache(KEPT_PAGES)
    return cache


def render_kept(request: Request, session: Session, name: str, key: Hashable | None, ttl: float,
                context: Callable[[], dict[str, Any]], parent: str = "base.html",
                cache: ScopedCache | None = None, sees: Sees | None = None) -> HTMLResponse:
    """The page ``name`` (a template extending ``parent``) with ``context()``'s values, its own blocks kept under
    ``key`` for ``ttl`` seconds at most (in ``cache``, by default :func:`kept_cache`; ``sees``: see
    :meth:`ScopedCache.get`); ``context`` is called only when they are not kept."""
    token = getattr(request.state, "csrf_token", None) or ""
    if key is None or not token:
        return render(request, session, name, **context())
    language = request_language(request)
    env = environment(language)
    page = chrome(request, session) | {"csrf_token": TOKEN_MARK}
    rendered: list[str] = []

    def compute() -> dict[str, str]:
        kept: dict[str, str] = {}
        rendered.append(_render_keeping(env.get_template(name), page | context(), kept))
        return kept

    kept = (cache or kept_cache(request.app)).get(session, (name, language, request.url.path, key), ttl, compute,
                                                  sees)
    html = rendered[0] if rendered else _render_around(env.get_template(parent), page, kept)
    html = html.replace(TOKEN_MARK, str(escape(token)))
    if session.info.get(READ_REQUEST) and session.in_transaction():
        session.commit()  # as render(): a read page's transaction ends in the route's thread
    return HTMLResponse(html, headers=SECURITY_HEADERS)


def _render_keeping(template: Template, values: dict[str, Any], kept: dict[str, str]) -> str:
    """The whole page, each of the template's own blocks' output noted in ``kept``."""
    context = template.new_context(values)
    for block, stack in context.blocks.items():
        stack[0] = _noting(block, stack[0], kept)
    return template.environment.concat(template.root_render_func(context))


def _noting(block: str, render_block: Callable[[Context], Iterator[str]], kept: dict[str, str]):
    """``render_block`` with its output noted in ``kept`` under ``block``."""
    def run(context: Context) -> Iterator[str]:
        text = kept[block] = "".join(render_block(context))
        yield text
    return run


def _render_around(parent: Template, values: dict[str, Any], kept: dict[str, str]) -> str:
    """The parent template with the kept blocks' output in place of its blocks."""
    context = parent.new_context(values)
    for block, text in kept.items():
        context.blocks[block] = [_fixed(text)]
    return parent.environment.concat(parent.root_render_func(context))


def _fixed(text: str) -> Callable[[Context], Iterator[str]]:
    """A block function that yields ``text``."""
    def run(context: Context) -> Iterator[str]:
        yield text
    return run
