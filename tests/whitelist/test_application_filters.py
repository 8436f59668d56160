"""The application list (page and API): filters by state, list, batch, applicant region and name/USCC, paging,
always inside the caller's scope."""

import re

import pytest
from accounts_fixture import login
from fastapi.testclient import TestClient
from whitelist.support import caller, draft, make_list, publish

from chainkeeper.auth.api import login_throttle
from chainkeeper.auth.roles import Role
from chainkeeper.db import unit_of_work
from chainkeeper.web.app import create_app
from chainkeeper.whitelist import service
from chainkeeper.whitelist.workflow import Action

ROW = re.compile(r'<tr data-application="(\d+)"')


@pytest.fixture
def applications(engine, setup):
    """Jiangsu's list: Kunshan published (batch 1), Wuxi submitted, Kunshan drafts; Zhejiang's list: a Ningbo draft."""
    with unit_of_work(engine) as session:
        jiangsu, zhejiang = make_list(session, "32", "江苏白名单").id, make_list(session, "33", "浙江白名单").id
        entry = publish(session, setup, jiangsu)
        wuxi = draft(session, setup, jiangsu, "wuxi")
        service.transition(session=session, caller=caller(Role.enterprise, enterprise_id=setup.ids["wuxi"]),
                           application=wuxi, action=Action.submit)
        drafts = [draft(session, setup, jiangsu).id for _ in range(23)]
        ningbo = draft(session, setup, zhejiang, "ningbo").id
        batch = entry.batch_id
    return {"jiangsu": jiangsu, "zhejiang": zhejiang, "batch": batch, "published": entry.application_id,
            "wuxi": wuxi.id, "drafts": drafts, "ningbo": ningbo}


def client_for(engine, setup, role: str) -> TestClient:
    login_throttle.reset()
    client = TestClient(create_app(engine=engine), follow_redirects=False)
    login(client, setup.world.users[role])
    return client


def shown(client: TestClient, **params) -> list[int]:
    response = client.get("/whitelists/applications", params=params)
    assert response.status_code == 200, response.text
    return [int(found) for found in ROW.findall(response.text)]


def test_the_page_filters_by_state_list_batch_region_and_name(engine, setup, applications):
    ministry = client_for(engine, setup, "ministry")
    assert shown(ministry, state="submitted") == [applications["wuxi"]]
    assert shown(ministry, list=applications["zhejiang"]) == [applications["ningbo"]]
    assert shown(ministry, batch=applications["batch"]) == [applications["published"]]
    assert shown(ministry, region="320214") == [applications["wuxi"]]  # Wuxi's county
    assert shown(ministry, q="宁波座椅") == [applications["ningbo"]]
    assert shown(ministry, q=setup.world.ningbo["uscc"].lower()) == [applications["ningbo"]]
    assert shown(ministry, state="nonsense", list="x", batch="-1", region="abc") == shown(ministry)[:20]


def test_the_page_pages_newest_first(engine, setup, applications):
    ministry = client_for(engine, setup, "ministry")
    first, second = shown(ministry, state="draft"), shown(ministry, state="draft", page=2)
    assert len(first) == 20 and len(second) == 4 and first == sorted(first, reverse=True)
    assert not set(first) & set(second)
    page = ministry.get("/whitelists/applications", params={"state": "draft"}).text
    assert "1–20" in page and "24" in page and 'href="/whitelists/applications?state=draft&amp;page=2"' in page


def test_filters_stay_inside_the_callers_scope(engine, setup, applications):
    county = client_for(engine, setup, "county")  # Kunshan: its own enterprises' applications only
    assert applications["ningbo"] not in shown(county, size=100)
    assert shown(county, list=applications["zhejiang"]) == []
    assert shown(county, q="宁波座椅") == []
    enterprise = client_for(engine, setup, "enterprise")  # the Kunshan firm
    assert applications["wuxi"] not in shown(enterprise, size=100)
    assert shown(enterprise, region="320214") == []


def test_the_api_filters_and_pages_with_a_total(engine, setup, applications):
    ministry = client_for(engine, setup, "ministry")
    response = ministry.get("/api/v1/whitelist/applications", params={"state": "draft", "page_size": 10, "page": 3})
    assert response.status_code == 200 and response.headers["x-total-count"] == "24"
    assert len(response.json()) == 4
    found = ministry.get("/api/v1/whitelist/applications", params={"q": "宁波", "list_id": applications["zhejiang"]})
    assert [item["id"] for item in found.json()] == [applications["ningbo"]]
    assert ministry.get("/api/v1/whitelist/applications", params={"region": "3x"}).status_code == 422
    county = client_for(engine, setup, "county")
    assert county.get("/api/v1/whitelist/applications", params={"q": "宁波"}).json() == []
