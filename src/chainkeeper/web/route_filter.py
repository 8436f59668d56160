"""Routing without the linear walk: each included router is skipped at once when no path of it can match (issue 15).

FastAPI (0.165) keeps every ``app.include_router(...)`` as an ``_IncludedRouter`` and finds a request's route by
asking each of them in turn; each one walks its own routes with a few dictionary updates per route, and the router
that matches walks them again to handle the request. With some fifty included routers this cost 0.1 ms (``/verify``)
to 0.9 ms (``/sme``) of CPU per request before any of the page's own work — more than a whole bare endpoint.

:func:`install_route_filter` gives each included router (and each router included in it) one compiled regular
expression: the union of the path patterns of its routes. Its ``matches`` first tries that expression on the
request's path and answers "no match" straight away when it fails; otherwise FastAPI's own matching runs unchanged.
The expression is a necessary condition of FastAPI's own answer (every route of an included router matches by its
``path_regex``), so the route chosen, its path parameters, 405s, redirects of a trailing slash and 404s are the
same; a router holding any other kind of route (a mount, a host, a websocket, a front-end group) is left unfiltered.

Install it once every route is included (the end of ``create_app``): routes added to a router afterwards would not be
in its expression.
"""

from __future__ import annotations

import re
import threading
from typing import Any

from fastapi.routing import APIRoute
from starlette._utils import get_route_path
from starlette.routing import Match, Route, compile_path

try:  # FastAPI >= 0.16x keeps included routers as such; older versions copy their routes (nothing to filter)
    from fastapi.routing import _EffectiveRouteContext, _IncludedRouter
except ImportError:  # pragma: no cover - depends on the installed FastAPI
    _EffectiveRouteContext = _IncludedRouter = None

NAMED_GROUP = re.compile(r"\(\?P<\w+>")  # the union needs no groups (and may not repeat a name)
_INSTALLING = threading.Lock()  # two first requests may build the same router's candidates at once


def install_route_filter(app: Any) -> int:
    """Filter every included router of ``app``; returns how many were filtered."""
    if _IncludedRouter is None:
        return 0
    return sum(_install(route) for route in app.router.routes if isinstance(route, _IncludedRouter))


def _install(included: Any) -> int:
    """Filter ``included`` (when every route of it has a path pattern); the routers included in it are filtered as
    soon as FastAPI builds them (:func:`_installing_children`).

    The union is read from the router's own routes and include prefixes (``compile_path``, as FastAPI does), not from
    FastAPI's effective routes: building those costs a second dependency analysis of every route (0.7 s of CPU for
    the application's ~350 routes, most of the start-up's ``create_app``), which FastAPI otherwise does on the first
    request a router is asked about — with the filter, only for the routers a request can match."""
    included.effective_candidates = _installing_children(included.effective_candidates)
    patterns = _router_patterns(included.original_router, included.include_context)
    if patterns is None:
        return 0
    union = re.compile("|".join(f"(?:{pattern})" for pattern in patterns) or r"(?!)")
    included.route_filter = union
    included.matches = _filtered(included.matches, union)
    return 1


def _installing_children(build: Any) -> Any:
    """``effective_candidates`` that filters each included router among them once, when FastAPI first builds it."""

    def effective_candidates() -> list:
        candidates = build()
        for candidate in candidates:
            if isinstance(candidate, _IncludedRouter) and "effective_candidates" not in vars(candidate):
                with _INSTALLING:
                    if "effective_candidates" not in vars(candidate):
                        _install(candidate)
        return candidates

    return effective_candidates


def _router_patterns(router: Any, context: Any) -> list[str] | None:
    """The path patterns of every route of ``router`` under ``context`` (nested routers too), or None when one of
    them matches by something else than a path."""
    patterns: list[str] = []
    for route in router.routes:
        if isinstance(route, _IncludedRouter):
            found = _router_patterns(route.original_router, context.combine(route.include_context))
        elif isinstance(route, APIRoute) or type(route) is Route:
            found = [NAMED_GROUP.sub("(?:", compile_path(context.path_for(route))[0].pattern)]
        else:
            found = None
        if found is None:
            return None
        patterns.extend(found)
    return patterns


def _filtered(matches: Any, union: re.Pattern) -> Any:
    """``matches`` behind the path test (an HTTP request whose path no route of the router can match: no match)."""

    def filtered_matches(scope: dict) -> tuple[Match, dict]:
        if scope["type"] == "http" and union.match(get_route_path(scope)) is None:
            scope.setdefault("fastapi", {})  # as FastAPI's own matching leaves it
            return Match.NONE, {}
        return matches(scope)

    return filtered_matches
