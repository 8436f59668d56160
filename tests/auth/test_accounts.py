"""Accounts: login, lockout, throttling, password change, CSRF, API tokens and their revocation."""

import pytest
from accounts_fixture import PASSWORD, build_world, login
from fastapi.testclient import TestClient

from chainkeeper.auth import service as accounts
from chainkeeper.auth.api import login_throttle
from chainkeeper.auth.models import User
from chainkeeper.auth.throttle import Throttle
from chainkeeper.db import unit_of_work
from chainkeeper.errors import ValidationFailed
from chainkeeper.web.app import create_app


@pytest.fixture
def world(engine):
    login_throttle.reset()
    return build_world(engine)


@pytest.fixture
def client(engine):
    return TestClient(create_app(engine=engine))


def test_password_is_stored_as_argon2(engine, world):
    with unit_of_work(engine) as session:
        user = session.query(User).filter_by(username="user_admin").one()
        assert user.password_hash.startswith("$argon2id$") and PASSWORD not in user.password_hash


def test_session_cookie_flags(client, world):
    response = client.post("/api/v1/auth/login", json={"username": "user_admin", "password": PASSWORD})
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie
    assert client.get("/api/v1/me").json()["username"] == "user_admin"


def test_throttle_counts_failures_in_a_window():
    throttle = Throttle(limit=3, window=10)
    for t in (0, 1, 2):
        assert throttle.allow("1.2.3.4", now=t)
        throttle.record_failure("1.2.3.4", now=t)
    assert not throttle.allow("1.2.3.4", now=3) and throttle.allow("5.6.7.8", now=3)
    assert throttle.allow("1.2.3.4", now=10.5)


def test_successful_logins_from_one_address_are_not_throttled(client, world):
    for _ in range(login_throttle.limit + 5):
        assert client.post("/api/v1/auth/login", json={"username": "user_admin", "password": PASSWORD}).status_code == 200


def test_csrf_is_required_for_cookie_sessions(client, world):
    csrf = login(client, "user_ministry")
    assert client.post("/api/v1/tokens", json={"name": "x"}).status_code == 403
    assert client.post("/api/v1/tokens", json={"name": "x"}, headers={"x-csrf-token": "forged"}).status_code == 403
    assert client.post("/api/v1/tokens", json={"name": "x"}, headers={"x-csrf-token": csrf}).status_code == 201


def test_password_change_ends_sessions(client, world):
    csrf = login(client, "user_province")
    body = {"current": PASSWORD, "new": "another-secret-7"}
    assert client.post("/api/v1/me/password", json=body | {"current": "bad"},
                       headers={"x-csrf-token": csrf}).status_code == 422
    assert client.post("/api/v1/me/password", json=body | {"new": "short"},
                       headers={"x-csrf-token": csrf}).status_code == 422
    assert client.post("/api/v1/me/password", json=body, headers={"x-csrf-token": csrf}).status_code == 204
    assert client.get("/api/v1/me").status_code == 401
    login(client, "user_province", "another-secret-7")


def test_token_shown_once_scoped_and_revocable(client, world):
    csrf = login(client, "user_admin")
    created = client.post("/api/v1/tokens", json={"name": "etl", "days": 1}, headers={"x-csrf-token": csrf}).json()
    secret = created["secret"]
    assert secret.startswith("ckt_")
    assert all(token["secret"] is None for token in client.get("/api/v1/tokens").json())
    machine = TestClient(client.app)
    auth = {"authorization": f"Bearer {secret}"}
    assert machine.get("/api/v1/users", headers=auth).status_code == 200
    assert client.delete(f"/api/v1/tokens/{created['id']}", headers={"x-csrf-token": csrf}).status_code == 200
    assert machine.get("/api/v1/users", headers=auth).status_code == 401


def test_token_cannot_exceed_owner_roles(engine, world):
    with unit_of_work(engine) as session:
        user = session.query(User).filter_by(username="user_analyst").one()
        with pytest.raises(ValidationFailed):
            accounts.create_token(session=session, user=user, name="x", roles={accounts.Role.admin})


def test_admin_creates_user_with_roles(client, world):
    csrf = login(client, "user_admin")
    body = {"username": "jiangsu_desk", "display_name": "江苏工信厅", "password": "province-desk-1",
            "roles": ["province"], "region_code": "32"}
    created = client.post("/api/v1/users", json=body, headers={"x-csrf-token": csrf})
    assert created.status_code == 201 and created.json()["roles"] == ["province"]
    unbound = client.post("/api/v1/users", json=body | {"username": "nobody", "region_code": None},
                          headers={"x-csrf-token": csrf})
    assert unbound.status_code == 422


def test_a_region_binding_must_name_a_region_of_the_registry(engine, world):
    with unit_of_work(engine) as session, pytest.raises(ValidationFailed, match="no region 00"):
        accounts.create_user(session=session, username="nowhere", password=PASSWORD, display_name="x",
                             roles={accounts.Role.analyst}, region_code="00")  # was an IntegrityError (a 500)
    with unit_of_work(engine) as session:
        user = session.query(User).filter_by(username="user_admin").one()
        with pytest.raises(ValidationFailed, match="no region 99"):
            accounts.set_roles(session=session, user=user, roles={accounts.Role.province}, enterprise_id=None,
                               region_code="99")
