"""Routing without the linear walk (issue 15): an included router whose paths cannot match a request is skipped at
once, and the route FastAPI chooses is the same as without the filter for every route of the application."""

import re

import pytest
from fastapi.routing import _IncludedRouter
from fastapi.testclient import TestClient
from starlette.routing import Match

from chainkeeper.web.app import create_app

SAMPLES = {"int": "7", "path": "a/b.css", "str": "91320100MA1XYZ1234"}
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
PARAMETER = re.compile(r"{(\w+)(?::(\w+))?}")


def _paths(app) -> set[str]:
    """One concrete path per route of the application (and of every included router), with and without a slash."""
    paths = {"/", "", "/nonexistent", "/api/v1/", "/static/css/app.css", "/enterprises/", "/desk/cases/abc"}
    for route in app.routes:
        format_ = getattr(route, "path_format", None) or getattr(route, "path", None)
        if format_:
            path = PARAMETER.sub(lambda m: SAMPLES.get(m.group(2) or "str", "x"), format_)
            paths |= {path, path.rstrip("/") + "/", path + "x"}
    return paths


def _scope(method: str, path: str) -> dict:
    return {"type": "http", "method": method, "path": path, "root_path": "", "headers": [], "query_string": b""}


def _included(app):
    """Every included router, nested ones too."""
    pending = [route for route in app.router.routes if isinstance(route, _IncludedRouter)]
    while pending:
        included = pending.pop()
        yield included
        pending.extend(c for c in included.effective_candidates() if isinstance(c, _IncludedRouter))


def test_every_included_router_answers_as_fastapi_does(sqlite_engine):
    app = create_app(engine=sqlite_engine)
    routers = list(_included(app))
    assert routers and all("matches" in vars(router) for router in routers), "a router is not filtered"
    for path in _paths(app):
        for method in METHODS:
            for router in routers:
                filtered, unfiltered = _scope(method, path), _scope(method, path)
                got = router.matches(filtered)
                expected = _IncludedRouter.matches(router, unfiltered)  # FastAPI's own, without the filter
                assert got == expected, (method, path)
                assert filtered == unfiltered, (method, path)
                if got[0] is not Match.NONE:
                    assert router.route_filter.match(path)


def test_a_page_request_walks_only_the_router_that_serves_it(sqlite_engine, monkeypatch):
    """Before the filter every included router in front of the page's was walked (about 40 for /sme)."""
    app = create_app(engine=sqlite_engine)
    walked = []
    original = _IncludedRouter._match

    def counting(self, scope):
        walked.append(self)
        return original(self, scope)

    monkeypatch.setattr(_IncludedRouter, "_match", counting)
    with TestClient(app) as client:
        for path in ("/sme", "/desk", "/verify", "/login", "/monitoring/warnings"):
            walked.clear()
            answer = client.get(path, follow_redirects=False)
            assert answer.status_code in (200, 303), path
            assert len({id(router) for router in walked}) <= 2, (path, len(walked))


@pytest.mark.parametrize("method, path, status", [
    ("GET", "/nonexistent", 404), ("DELETE", "/login", 405), ("GET", "/api/v1/enterprises/", 307),
    ("GET", "/health", 200), ("GET", "/static/css/app.css", 200), ("GET", "/login", 200),
])
def test_answers_outside_the_routes_are_unchanged(sqlite_engine, method, path, status):
    """404, 405, the trailing-slash redirect, a top-level route and the static mount answer as before."""
    with TestClient(create_app(engine=sqlite_engine)) as client:
        assert client.request(method, path, follow_redirects=False).status_code == status
