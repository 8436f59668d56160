"""The shared pickers' endpoints: the region cascade by name, the region search, typed regions resolved, and the
enterprise lookup that offers only enterprises the caller may see."""

from __future__ import annotations

import pytest
from coordination.desk_support import PASSWORD, build_desk
from fastapi.testclient import TestClient

from chainkeeper.auth.api import login_throttle
from chainkeeper.db import unit_of_work
from chainkeeper.reference.pickers import resolve_region
from chainkeeper.web.app import create_app


@pytest.fixture
def desk(engine):
    login_throttle.reset()
    return build_desk(engine)


def signed_in(desk, username: str) -> TestClient:
    client = TestClient(create_app(engine=desk.engine))
    assert client.post("/api/v1/auth/login", json={"username": username, "password": PASSWORD}).status_code == 200
    return client


def test_the_region_cascade_goes_province_city_county_by_name(desk):
    client = signed_in(desk, "oem")
    provinces = {item["code"]: item for item in client.get("/api/v1/regions").json()}
    assert provinces["32"]["name"] == "江苏省" and provinces["32"]["has_children"]
    cities = {item["code"]: item["name"] for item in client.get("/api/v1/regions", params={"parent": "32"}).json()}
    assert cities["3205"] == "苏州市"
    counties = client.get("/api/v1/regions", params={"parent": "3205"}).json()
    kunshan = next(item for item in counties if item["code"] == "320583")
    assert kunshan["name"] == "昆山市" and kunshan["path"] == "江苏省 苏州市 昆山市" and not kunshan["has_children"]


def test_a_municipality_reads_as_itself_not_as_its_placeholder_prefecture(desk):
    client = signed_in(desk, "oem")
    cities = client.get("/api/v1/regions", params={"parent": "31"}).json()
    assert [(c["code"], c["name"]) for c in cities] == [("3101", "上海市")]
    found = client.get("/api/v1/regions", params={"q": "浦东"}).json()
    assert found[0]["path"] == "上海市 浦东新区"


def test_the_region_search_finds_by_name_and_refuses_bad_parents(desk):
    client = signed_in(desk, "oem")
    paths = [item["path"] for item in client.get("/api/v1/regions", params={"q": "昆山"}).json()]
    assert "江苏省 苏州市 昆山市" in paths
    assert client.get("/api/v1/regions", params={"parent": "3x"}).status_code == 422
    assert TestClient(create_app(engine=desk.engine)).get("/api/v1/regions").status_code == 401


def test_a_typed_region_resolves_by_code_name_or_path(desk):
    with unit_of_work(desk.engine) as session:
        assert resolve_region(session, "320583") == "320583"
        assert resolve_region(session, "昆山市") == "320583"
        assert resolve_region(session, "江苏省 苏州市 昆山市") == "320583"
        assert resolve_region(session, "上海市") == "31"
        assert resolve_region(session, "999999") is None
        assert resolve_region(session, "鼓楼区") is None  # several provinces have one: ambiguous
        assert resolve_region(session, "江苏省 南京市 鼓楼区") == "320106"


def test_the_enterprise_lookup_offers_only_what_the_caller_may_see(desk):
    kunshan = signed_in(desk, "kunshan").get("/api/v1/enterprise-lookup", params={"q": "有限公司"}).json()
    assert [item["name"] for item in kunshan] == ["昆山线束有限公司"]
    assert kunshan[0]["region"] == "江苏省 苏州市 昆山市" and kunshan[0]["uscc"] == desk.usccs["kunshan"]
    # the OEM sees itself and its direct suppliers (it reads those links), not the suppliers' suppliers
    oem = {item["name"] for item in signed_in(desk, "oem").get("/api/v1/enterprise-lookup",
                                                                params={"q": "有限公司"}).json()}
    assert oem == {"长春整车有限公司", "昆山线束有限公司", "宁波座椅有限公司"}
    by_code = signed_in(desk, "ministry").get("/api/v1/enterprise-lookup", params={"q": desk.usccs["wuxi"][:10]})
    assert desk.usccs["wuxi"] in {item["uscc"] for item in by_code.json()}
    assert signed_in(desk, "suzhou").get("/api/v1/enterprise-lookup", params={"q": "宁波"}).json() == []
