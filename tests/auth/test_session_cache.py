"""The principal cache (issue 15): a signed-in request does not read its session again, yet a session revoked by a
logout, a password change, a role change or a disabled account stops working at once — in every serving process."""

import os
import socket
import subprocess
import sys

import httpx
import pytest
from accounts_fixture import PASSWORD, build_world, login
from fastapi.testclient import TestClient
from server_start import wait_until_up
from sqlalchemy import event, select

from chainkeeper.auth import service as accounts
from chainkeeper.auth.api import login_throttle
from chainkeeper.auth.models import User
from chainkeeper.auth.roles import Role
from chainkeeper.db import unit_of_work
from chainkeeper.web.app import create_app


@pytest.fixture
def world(engine):
    login_throttle.reset()
    return build_world(engine)


def _user(session, username: str) -> User:
    return session.scalar(select(User).where(User.username == username))


def _set_roles(engine, username: str, roles: set[Role], region: str | None) -> None:
    """A role change made outside the web process (the CLI, another worker, a script)."""
    with unit_of_work(engine) as session:
        accounts.set_roles(session=session, user=_user(session, username), roles=roles, enterprise_id=None,
                           region_code=region)


def _set_active(engine, username: str, active: bool) -> None:
    with unit_of_work(engine) as session:
        _user(session, username).is_active = active


def test_a_signed_in_request_does_not_read_its_session_again(engine, world):
    client = TestClient(create_app(engine=engine))
    login(client, "user_province")
    assert client.get("/api/v1/me").status_code == 200  # resolved once, remembered
    statements = []
    listener = lambda conn, cursor, statement, *args: statements.append(statement)  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    try:
        for _ in range(3):
            assert client.get("/api/v1/me").json()["username"] == "user_province"
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    assert not [s for s in statements if "login_session" in s], statements


def test_revocations_stop_a_cached_session_at_once(engine, world):
    app = create_app(engine=engine)
    browser, other = TestClient(app), TestClient(app)
    csrf = login(browser, "user_province")
    other.cookies.set("ck_session", browser.cookies["ck_session"])  # the same session, a second tab
    assert other.get("/api/v1/me").json()["roles"] == ["province"]

    assert other.get("/api/v1/users").status_code == 403
    _set_roles(engine, "user_province", {Role.province, Role.admin}, "32")  # a role granted: usable at once
    assert other.get("/api/v1/users").status_code == 200
    _set_roles(engine, "user_province", {Role.province}, "32")  # and withdrawn: refused at once
    assert other.get("/api/v1/users").status_code == 403

    assert other.get("/api/v1/me").status_code == 200
    _set_active(engine, "user_province", False)  # a disabled account: signed out at once
    assert other.get("/api/v1/me").status_code == 401
    _set_active(engine, "user_province", True)
    assert other.get("/api/v1/me").status_code == 200

    assert browser.post("/api/v1/auth/logout", headers={"x-csrf-token": csrf}).status_code == 204
    assert other.get("/api/v1/me").status_code == 401  # the logged-out session, still in the other tab

    csrf = login(browser, "user_province")
    other.cookies.set("ck_session", browser.cookies["ck_session"])
    assert other.get("/api/v1/me").status_code == 200
    body = {"current": PASSWORD, "new": "another-secret-7"}
    assert browser.post("/api/v1/me/password", json=body, headers={"x-csrf-token": csrf}).status_code == 204
    assert other.get("/api/v1/me").status_code == 401  # a password change ends every session


# --- two serving processes, as `chainkeeper serve --workers 2` runs them --------------------------------------------

def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _serve(engine, log) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    env = os.environ | {"CHAINKEEPER_DATABASE_URL": engine.url.render_as_string(hide_password=False),
                        "CHAINKEEPER_DESK_TICK_SECONDS": "0", "CHAINKEEPER_AUDIT_CHECKPOINT_SECONDS": "0",
                        "PYTHONPATH": os.pathsep.join(sys.path)}
    server = subprocess.Popen([sys.executable, "-m", "chainkeeper", "serve", "--host", "127.0.0.1", "--port",
                               str(port)], env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(server, base)
    except AssertionError:
        server.kill()
        raise
    return server, base


def _get(base: str, path: str, cookie: str) -> httpx.Response:
    return httpx.get(f"{base}{path}", cookies={"ck_session": cookie})


def _me(base: str, cookie: str) -> httpx.Response:
    return _get(base, "/api/v1/me", cookie)


def _login(base: str) -> tuple[str, str]:
    response = httpx.post(f"{base}/api/v1/auth/login", json={"username": "user_province", "password": PASSWORD})
    assert response.status_code == 200, response.text
    return response.cookies["ck_session"], response.json()["csrf_token"]


def test_a_revocation_in_a_savepoint_counts_only_once_the_transaction_commits(engine, world):
    """Releasing a savepoint is not a commit: bumping then would let another request cache the old principal again
    before the change is visible, for up to a minute."""
    from chainkeeper.auth.session_cache import current_epoch

    with unit_of_work(engine) as session:
        before = current_epoch()
        with session.begin_nested():
            _user(session, "user_province").is_active = False
        assert current_epoch() == before, "bumped when the savepoint was released"
    assert current_epoch() != before, "not bumped after the commit"


def test_a_revocation_survives_a_savepoints_rollback_but_not_the_transactions(engine, world):
    """A savepoint rolled back keeps the revocation made before it; a transaction rolled back revokes nothing."""
    from chainkeeper.auth.session_cache import current_epoch

    with unit_of_work(engine) as session:
        before = current_epoch()
        _user(session, "user_province").is_active = False
        session.flush()
        savepoint = session.begin_nested()
        _user(session, "user_city").display_name = "renamed"
        session.flush()
        savepoint.rollback()
        assert current_epoch() == before, "bumped before the commit"
    assert current_epoch() != before, "the revocation before the savepoint was forgotten"

    with unit_of_work(engine) as session:
        with session.begin_nested():
            _user(session, "user_province").is_active = True
        session.rollback()
        after_rollback = current_epoch()
        _user(session, "user_province")
        session.commit()
        assert current_epoch() == after_rollback, "bumped for a revocation that was rolled back"


def test_revocations_reach_every_serving_process(engine, world, tmp_path):
    with open(tmp_path / "a.log", "wb") as log_a, open(tmp_path / "b.log", "wb") as log_b:
        (a, first), (b, second) = _serve(engine, log_a), _serve(engine, log_b)
        try:
            cookie, csrf = _login(first)
            for base in (first, second, first, second):  # both processes have the session cached
                assert _me(base, cookie).json()["roles"] == ["province"]

            _set_roles(engine, "user_province", {Role.province, Role.admin}, "32")  # by a third process
            for base in (first, second, first, second):
                assert _get(base, "/api/v1/users", cookie).status_code == 200
            _set_roles(engine, "user_province", {Role.province}, "32")  # the admin role withdrawn
            assert _get(first, "/api/v1/users", cookie).status_code == 403
            assert _get(second, "/api/v1/users", cookie).status_code == 403
            _set_active(engine, "user_province", False)
            assert _me(first, cookie).status_code == 401 and _me(second, cookie).status_code == 401
            _set_active(engine, "user_province", True)
            assert _me(second, cookie).status_code == 200 and _me(first, cookie).status_code == 200

            response = httpx.post(f"{first}/api/v1/auth/logout", cookies={"ck_session": cookie},
                                  headers={"x-csrf-token": csrf})
            assert response.status_code == 204
            assert _me(second, cookie).status_code == 401  # logged out in one process, refused by the other

            cookie, csrf = _login(second)
            assert _me(first, cookie).status_code == 200 and _me(second, cookie).status_code == 200
            response = httpx.post(f"{second}/api/v1/me/password", cookies={"ck_session": cookie},
                                  headers={"x-csrf-token": csrf}, json={"current": PASSWORD, "new": "another-7-x"})
            assert response.status_code == 204
            assert _me(first, cookie).status_code == 401
        finally:
            for server in (a, b):
                server.terminate()
                server.wait(timeout=20)
