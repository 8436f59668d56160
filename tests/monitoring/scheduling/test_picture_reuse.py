"""The picture pages reuse a scope's picture (issue 15: it was ~90% of their CPU) — never across scopes, and never
past a write."""

import pytest
from fastapi.testclient import TestClient
from monitoring.scheduling.support import DAY, build_world
from reporting.support import PASSWORD
from sqlalchemy import event

from chainkeeper.auth.api import login_throttle
from chainkeeper.db import unit_of_work
from chainkeeper.registry.models import Enterprise
from chainkeeper.web.app import create_app

BEHIND = f"/monitoring/picture/enterprises?day={DAY}&figure=reported"


@pytest.fixture
def world(engine):
    login_throttle.reset()
    return build_world(engine)


def signed_in(app, username: str) -> TestClient:
    """A client of ``app`` (one application, one page cache for every user) signed in as ``username``."""
    login_throttle.reset()
    client = TestClient(app, follow_redirects=False)
    response = client.post("/api/v1/auth/login", json={"username": username, "password": PASSWORD})
    assert response.status_code == 200, response.text
    return client


def test_a_reused_picture_keeps_to_the_callers_scope_and_ends_with_a_write(world):
    desk, _group, _ids = world
    app = create_app(engine=desk.engine)
    ministry, jiangsu = signed_in(app, "ministry"), signed_in(app, "jiangsu")
    assert "长春整车有限公司" in ministry.get(BEHIND).text
    seen = jiangsu.get(BEHIND).text  # after the ministry's picture was stored
    assert "昆山线束有限公司" in seen and "长春整车有限公司" not in seen and "宁波座椅有限公司" not in seen
    with unit_of_work(desk.engine) as session:  # a write outside this application's requests
        session.get(Enterprise, desk.ids["kunshan"]).name = "昆山线束改名有限公司"
    assert "昆山线束改名有限公司" in ministry.get(BEHIND).text
    assert "昆山线束改名有限公司" in jiangsu.get(BEHIND).text


def test_a_second_look_at_the_picture_reads_it_once(world):
    desk, _group, _ids = world
    app = create_app(engine=desk.engine)
    ministry = signed_in(app, "ministry")
    assert ministry.get(BEHIND).status_code == 200
    statements = []
    event.listen(desk.engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
    again = ministry.get(BEHIND)
    assert again.status_code == 200 and "宁波座椅有限公司" in again.text
    assert len(statements) <= 3, statements  # the picture (14 days of members and reports): 18 statements


def test_the_picture_page_lists_the_groups_without_their_members(world):
    """Issue 15: the group picker reads the groups' ids and names only (main loaded every group with its members
    and their enterprises: 4 statements on a second look)."""
    desk, _group, _ids = world
    app = create_app(engine=desk.engine)
    ministry = signed_in(app, "ministry")
    first = ministry.get(f"/monitoring/picture?day={DAY}")
    assert first.status_code == 200
    assert ministry.get(f"/monitoring/picture?day={DAY}").text == first.text  # (a request that wrote stores nothing)
    statements = []

    def note(*args):
        statements.append(args[2])
    event.listen(desk.engine, "before_cursor_execute", note)
    try:
        again = ministry.get(f"/monitoring/picture?day={DAY}")
    finally:
        event.remove(desk.engine, "before_cursor_execute", note)
    assert again.text == first.text and 'name="group"' in again.text
    assert len(statements) <= 2, statements
