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
from typing import Any

from fastapi.routing import APIRoute
from starlette._utils import get_route_path
from starlette.routing import Match, Route

try:  # FastAPI >= 0.16x keeps included routers as such; older versions copy their routes (nothing to filter)
    from fastapi.routing import _EffectiveRouteContext, _IncludedRouter
except ImportError:  # pragma: no cover - depends on the installed FastAPI
    _EffectiveRouteContext = _IncludedRouter = None

NAMED_GROUP = re.compile(r"\(\?P<\w+>")  # the union needs no groups (and may not repeat a name)


def install_route_filter(app: Any) -> int:
    """Filter every included router of ``app``; returns how many were filtered."""
    if _IncludedRouter is None:
        return 0
    return sum(_install(route) for route in app.router.routes if isinstance(route, _IncludedRouter))


def _install(included: Any) -> int:
    """Filter ``included`` and the routers included in it (when every route of it has a path pattern)."""
    installed = 0
    patterns: list[str] | None = []
    for candidate in included.effective_candidates():
        if isinstance(candidate, _IncludedRouter):
            installed += _install(candidate)
            found = _patterns(candidate)
        else:
            found = _candidate_pattern(candidate)
        if found is None or patterns is None:
            patterns = None
        else:
            patterns.extend(found)
    if patterns is None:
        return installed
    union = re.compile("|".join(f"(?:{pattern})" for pattern in patterns) or r"(?!)")
    included.route_filter = union
    included.matches = _filtered(included.matches, union)
    return installed + 1


def _patterns(included: Any) -> list[str] | None:
    union = getattr(included, "route_filter", None)
    return None if union is None else [union.pattern]


def _candidate_pattern(candidate: Any) -> list[str] | None:
    """The path pattern an effective route matches by, or None when it matches by something else."""
    if not isinstance(candidate, _EffectiveRouteContext):
        return None
    if isinstance(candidate.original_route, APIRoute) and candidate.starlette_route is None:
        regex = candidate.path_regex
    elif type(candidate.starlette_route) is Route:
        regex = candidate.starlette_route.path_regex
    else:
        return None
    return [NAMED_GROUP.sub("(?:", regex.pattern)] if regex is not None else None


def _filtered(matches: Any, union: re.Pattern) -> Any:
    """``matches`` behind the path test (an HTTP request whose path no route of the router can match: no match)."""

    def filtered_matches(scope: dict) -> tuple[Match, dict]:
        if scope["type"] == "http" and union.match(get_route_path(scope)) is None:
            scope.setdefault("fastapi", {})  # as FastAPI's own matching leaves it
            return Match.NONE, {}
        return matches(scope)

    return filtered_matches
