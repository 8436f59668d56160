"""``/me`` kept per user while no account changes (issue 15): a repeated call reads nothing from the database and
takes no trip to the thread pool, yet any change to the account — made by this process or any other writer through
the ORM — is shown on the very next call, and a revoked session is still refused at once."""

import anyio.to_thread
import pytest
from accounts_fixture import build_world, login
from fastapi.testclient import TestClient
from pydantic import TypeAdapter
from sqlalchemy import event, select

from chainkeeper.auth import service as accounts
from chainkeeper.auth.api import login_throttle
from chainkeeper.auth.models import User
from chainkeeper.auth.roles import Role
from chainkeeper.auth.schemas import UserOut
from chainkeeper.db import unit_of_work
from chainkeeper.web.app import create_app


@pytest.fixture
def client(engine):
    login_throttle.reset()
    build_world(engine)
    client = TestClient(create_app(engine=engine))
    login(client, "user_province")
    return client


def _user(session, username: str) -> User:
    return session.scalar(select(User).where(User.username == username))


def _expected(engine, username: str) -> bytes:
    """The JSON the route made before (``json_route``: the user's data validated and dumped as ``UserOut``)."""
    adapter = TypeAdapter(UserOut)
    with unit_of_work(engine) as session:
        return adapter.dump_json(adapter.validate_python(
            accounts.user_data(session=session, user_id=_user(session, username).id)))


def test_a_repeated_me_reads_nothing_and_stays_on_the_event_loop(engine, client, monkeypatch):
    assert client.get("/api/v1/me").status_code == 200  # principal and answer read once
    statements, hops = [], []
    real = anyio.to_thread.run_sync

    async def counting(func, *args, **kwargs):
        hops.append(getattr(func, "__qualname__", repr(func)))
        return await real(func, *args, **kwargs)

    monkeypatch.setattr(anyio.to_thread, "run_sync", counting)
    listener = lambda conn, cursor, statement, *args: statements.append(statement)  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    try:
        answers = [client.get("/api/v1/me") for _ in range(3)]
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    assert statements == [] and hops == [], (statements, hops)
    for answer in answers:
        assert answer.status_code == 200 and answer.headers["content-type"] == "application/json"
        assert answer.content == _expected(engine, "user_province")


def test_an_account_change_shows_on_the_next_call(engine, client):
    assert client.get("/api/v1/me").json()["display_name"] != "改过的名字"
    with unit_of_work(engine) as session:  # outside the request: the CLI, a script, another worker's write
        user = _user(session, "user_province")
        user.display_name, user.email = "改过的名字", "new@example.cn"
    body = client.get("/api/v1/me")
    assert body.json()["display_name"] == "改过的名字" and body.json()["email"] == "new@example.cn"
    assert body.content == _expected(engine, "user_province")
    with unit_of_work(engine) as session:
        user = _user(session, "user_province")
        accounts.set_roles(session=session, user=user, roles={Role.province, Role.analyst}, enterprise_id=None,
                           region_code=user.region_code)
    assert client.get("/api/v1/me").json()["roles"] == ["analyst", "province"]


def test_a_disabled_account_is_refused_although_its_answer_was_kept(engine, client):
    assert client.get("/api/v1/me").status_code == 200
    with unit_of_work(engine) as session:
        _user(session, "user_province").is_active = False
    assert client.get("/api/v1/me").status_code == 401
