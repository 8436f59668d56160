"""Scoping in the query layer: enterprises see only themselves, authorities only their region (IDOR tests)."""

import pytest
from accounts_fixture import build_world, login
from fastapi.testclient import TestClient

from chainkeeper.web.app import create_app


@pytest.fixture
def world(engine):
    from chainkeeper.auth.api import login_throttle

    login_throttle.reset()
    return build_world(engine)


def visible(client, username):
    login(client, username)
    return {item["uscc"] for item in client.get("/api/v1/enterprises").json()["items"]}


def test_each_role_sees_its_part(engine, world):
    client = TestClient(create_app(engine=engine))
    everyone = {world.kunshan["uscc"], world.ningbo["uscc"], world.changchun["uscc"]}
    assert visible(client, "user_ministry") == everyone
    assert visible(client, "user_analyst") == everyone
    assert visible(client, "user_province") == {world.kunshan["uscc"]}
    assert visible(client, "user_city") == {world.kunshan["uscc"]}
    assert visible(client, "user_county") == {world.kunshan["uscc"]}
    assert visible(client, "user_enterprise") == {world.kunshan["uscc"]}


def test_direct_urls_outside_the_scope_are_not_found(engine, world):
    client = TestClient(create_app(engine=engine))
    login(client, "user_province")  # Jiangsu
    assert client.get(f"/api/v1/enterprises/{world.ningbo['uscc']}").status_code == 404  # Zhejiang
    assert client.get(f"/api/v1/enterprises/{world.kunshan['uscc']}").status_code == 200
    login(client, "user_ministry")
    links = client.get("/api/v1/links").json()["items"]
    ningbo_link = next(link for link in links if link["supplier"]["uscc"] == world.ningbo["uscc"])
    kunshan_link = next(link for link in links if link["supplier"]["uscc"] == world.kunshan["uscc"])
    login(client, "user_enterprise")  # the Kunshan firm
    assert client.get(f"/api/v1/links/{ningbo_link['id']}").status_code == 404
    assert client.get(f"/api/v1/links/{kunshan_link['id']}").status_code == 200
    assert [link["id"] for link in client.get("/api/v1/links").json()["items"]] == [kunshan_link["id"]]


def test_anonymous_reads_nothing(engine, world):
    client = TestClient(create_app(engine=engine))
    response = client.get("/api/v1/enterprises")
    assert response.status_code == 401 and response.json()["error"]["code"] == "unauthorized"
