"""A request's transaction commits before the response leaves: a failed commit is an error, never a false success."""

from __future__ import annotations

from contextlib import contextmanager

from accounts_fixture import PASSWORD, build_world
from fastapi.testclient import TestClient
from sqlalchemy import event
from sqlalchemy.orm import Session

from chainkeeper.auth.api import login_throttle
from chainkeeper.auth.deps import SESSION_COOKIE
from chainkeeper.web.app import create_app

ADMIN_LOGIN = {"username": "user_admin", "password": PASSWORD}


@contextmanager
def commits_refused():
    def refuse(_session):
        raise RuntimeError("the database refused the commit")

    event.listen(Session, "before_commit", refuse)
    try:
        yield
    finally:
        event.remove(Session, "before_commit", refuse)


def test_a_login_whose_commit_fails_is_not_reported_as_signed_in(engine):
    login_throttle.reset()
    build_world(engine)
    client = TestClient(create_app(engine=engine), raise_server_exceptions=False)
    with commits_refused():
        response = client.post("/api/v1/auth/login", json=ADMIN_LOGIN)
    assert response.status_code == 500
    assert SESSION_COOKIE not in response.cookies


def test_after_a_successful_login_the_session_works_at_once(engine):
    login_throttle.reset()
    build_world(engine)
    client = TestClient(create_app(engine=engine))
    assert client.post("/api/v1/auth/login", json=ADMIN_LOGIN).status_code == 200
    assert client.get("/api/v1/me").json()["username"] == "user_admin"
