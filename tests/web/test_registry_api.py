"""The registry's REST API: health, OpenAPI, list with filters and pagination, detail, and the error shape."""

import pytest
from factories import enterprise_row, link_row
from accounts_fixture import PASSWORD, login
from fastapi.testclient import TestClient

from chainkeeper.auth.roles import Role
from chainkeeper.auth.service import create_user
from chainkeeper.db import unit_of_work

from chainkeeper.registry.importing import import_rows
from chainkeeper.web.app import create_app


@pytest.fixture
def client(engine):
    """A client signed in as a ministry coordinator (national scope)."""
    with unit_of_work(engine) as session:
        create_user(session=session, username="coordinator", password=PASSWORD, display_name="部协调员",
                    roles={Role.ministry})
    client = TestClient(create_app(engine=engine))
    login(client, "coordinator")
    return client


@pytest.fixture
def registry(engine):
    oem = enterprise_row(name="長春一汽測試汽車有限公司", county_code="220104", industry_code="3611", size="large",
                         labels="leading")
    parts = [enterprise_row(name=f"昆山线束{i}有限公司") for i in range(5)]
    chip = enterprise_row(name="上海芯片测试股份有限公司", county_code="310115", industry_code="3973", size="medium")
    assert import_rows(engine, "enterprises", [oem, chip, *parts]).written
    links = [link_row(p["uscc"], oem["uscc"], annual_value=str(1000 * (i + 1))) for i, p in enumerate(parts)]
    links.append(link_row(chip["uscc"], parts[0]["uscc"], essential="0"))
    assert import_rows(engine, "links", links).written
    return dict(oem=oem, parts=parts, chip=chip)


def test_health_and_openapi(client):
    assert client.get("/health").json()["status"] == "ok"
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {"/api/v1/enterprises", "/api/v1/enterprises/{uscc}", "/api/v1/links", "/api/v1/links/{link_id}"} <= set(paths)


def test_search_by_simplified_name_finds_traditional(client, registry):
    body = client.get("/api/v1/enterprises", params={"q": "长春一汽"}).json()
    assert body["total"] == 1 and body["items"][0]["uscc"] == registry["oem"]["uscc"]
    assert body["items"][0]["labels"] == ["leading"] and body["items"][0]["chain_code"] == "auto"


def test_filters_and_pagination(client, registry):
    in_jiangsu = client.get("/api/v1/enterprises", params={"region": "32", "page_size": 2}).json()
    assert in_jiangsu["total"] == 5 and len(in_jiangsu["items"]) == 2
    page3 = client.get("/api/v1/enterprises", params={"region": "32", "page_size": 2, "page": 3}).json()
    assert len(page3["items"]) == 1
    assert client.get("/api/v1/enterprises", params={"chain": "ic"}).json()["total"] == 1
    assert client.get("/api/v1/enterprises", params={"label": "leading"}).json()["total"] == 1
    assert client.get("/api/v1/enterprises", params={"region": "310115"}).json()["total"] == 1


def test_enterprise_detail_and_not_found_shape(client, registry):
    uscc = registry["chip"]["uscc"]
    assert client.get(f"/api/v1/enterprises/{uscc.lower()}").json()["industry_code"] == "3973"
    missing = client.get("/api/v1/enterprises/91350100M000100Y43")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"


def test_bad_query_gets_the_common_error_shape(client):
    response = client.get("/api/v1/enterprises", params={"region": "3a", "page": 0})
    assert response.status_code == 422
    fields = {d["field"] for d in response.json()["error"]["details"]}
    assert fields == {"query.region", "query.page"}


def test_links_of_a_customer_largest_first(client, registry):
    body = client.get("/api/v1/links", params={"customer": registry["oem"]["uscc"]}).json()
    assert body["total"] == 5
    values = [item["annual_value"] for item in body["items"]]
    assert values == sorted(values, reverse=True)
    link = client.get(f"/api/v1/links/{body['items'][0]['id']}").json()
    assert link["customer"]["uscc"] == registry["oem"]["uscc"]
    assert client.get("/api/v1/links", params={"essential": "false"}).json()["total"] == 1
    assert client.get("/api/v1/links/999999").status_code == 404
