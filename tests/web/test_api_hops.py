"""A read API call costs one trip to the thread pool (issue 15: server CPU per API call).

Each trip wakes a worker thread and the event loop again (the previous profile: ``Condition.notify`` 11% of an API
call's samples). A plain ``def`` route with a response model took four: the session dependency's entry, the route,
FastAPI's re-validation of the route's own answer, and the session's commit. ``json_route`` runs the route, its
JSON serialisation and the commit in one; the session is made on the event loop. Counted with a spy around the
real ``anyio.to_thread.run_sync`` on a real app and database; the answers are checked too.
"""

from __future__ import annotations

import anyio.to_thread
import pytest
from accounts_fixture import PASSWORD, login
from factories import enterprise_row
from fastapi.testclient import TestClient

from chainkeeper.auth.roles import Role
from chainkeeper.auth.service import create_user
from chainkeeper.db import unit_of_work
from chainkeeper.registry.importing import import_rows
from chainkeeper.web.app import create_app
from chainkeeper.web.json_api import KEPT_ANSWERS


@pytest.fixture
def client(engine):
    with unit_of_work(engine) as session:
        create_user(session=session, username="coordinator", password=PASSWORD, display_name="部协调员",
                    roles={Role.ministry})
    firm = enterprise_row(name="上海芯片测试股份有限公司", county_code="310115", industry_code="3973", size="medium")
    assert import_rows(engine, "enterprises", [firm]).written
    client = TestClient(create_app(engine=engine))
    login(client, "coordinator")
    client.firm = firm
    return client


@pytest.mark.parametrize("path", ["/api/v1/me", "/api/v1/enterprises", "/api/v1/enterprises/{uscc}",
                                  "/api/v1/desk/cases"])
def test_a_read_api_call_takes_one_thread_hop(client, hops, path):
    url = path.format(uscc=client.firm["uscc"])
    assert client.get(url).status_code == 200  # the principal is cached from here on
    KEPT_ANSWERS.clear()  # the registry's documents are kept: a repeat takes no hop at all (tests/web/test_kept_api.py)
    hops.clear()
    answer = client.get(url)
    assert answer.status_code == 200 and answer.headers["content-type"] == "application/json"
    assert len(hops) == (0 if path == "/api/v1/me" else 1), hops  # /me: kept per user (tests/auth/test_me_kept.py)
    body = answer.json()
    if path == "/api/v1/me":
        assert body["username"] == "coordinator" and body["roles"] == ["ministry"]
    elif path == "/api/v1/enterprises":
        assert body["total"] == 1 and body["items"][0]["uscc"] == client.firm["uscc"]
    elif path == "/api/v1/enterprises/{uscc}":
        assert body["name"] == client.firm["name"] and body["size"] == "medium"
    else:
        assert body == {"items": [], "total": 0, "page": 1, "page_size": 50}


def test_a_read_that_fails_still_ends_its_transaction(client, engine):
    """A 404 from inside the route rolls the request's session back: the next write is not blocked."""
    assert client.get("/api/v1/enterprises/91310000MA1FL00000").status_code == 404
    with unit_of_work(engine, immediate=True) as session:  # SQLite's write lock is free
        create_user(session=session, username="another", password=PASSWORD, display_name="另一位",
                    roles={Role.analyst})
