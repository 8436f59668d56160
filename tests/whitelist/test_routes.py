"""The white-list part of the route × role matrix (the whole matrix lives in tests/auth/test_route_policies.py)."""

import pytest
from accounts_fixture import build_world, login
from auth.test_route_policies import EVERYONE, EXPECTED, _concrete, _to_login, api_routes
from fastapi.testclient import TestClient

from chainkeeper.auth.deps import declared_policy
from chainkeeper.web.app import create_app


def _mine(path: str) -> bool:
    return path.startswith(("/api/v1/whitelist", "/whitelists"))


def test_every_whitelist_route_is_declared_and_expected(sqlite_engine):
    routes = [(m, p, r) for m, p, r in api_routes(create_app(engine=sqlite_engine)) if _mine(p)]
    assert len(routes) == 46
    assert all(declared_policy(route) is not None for _m, _p, route in routes)
    assert {(m, p) for m, p, _r in routes} == {key for key in EXPECTED if _mine(key[1])}


@pytest.mark.parametrize("caller", sorted(EVERYONE))
def test_whitelist_route_matrix(sqlite_engine, caller):
    world = build_world(sqlite_engine)
    client = TestClient(create_app(engine=sqlite_engine))
    headers = {"x-csrf-token": login(client, world.users[caller])} if caller != "anonymous" else {}
    for method, path, _route in api_routes(client.app):
        if not _mine(path):
            continue
        response = client.request(method, _concrete(path), headers=headers, json={}, follow_redirects=False)
        denied = response.status_code in (401, 403) or _to_login(response)
        assert denied == (caller not in EXPECTED[(method, path)]), (caller, method, path, response.status_code)
