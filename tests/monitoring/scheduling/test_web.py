"""Every door of daily scheduling keeps to the caller's scope: the picture (page and API), the enterprises behind a
figure, key groups, a report's page and its problem → desk case."""

import re

import pytest
from json_documents import count_validations, model_bytes
from monitoring.scheduling.support import DAY, build_world
from reporting.web_support import client_for

from chainkeeper.auth.api import login_throttle


@pytest.fixture
def world(engine):
    login_throttle.reset()
    return build_world(engine)


def test_the_picture_api_shows_only_the_callers_region(world):
    desk, group_id, _ids = world
    national = client_for(desk, "ministry").get(f"/api/v1/monitoring/picture?day={DAY}").json()
    assert national["figures"]["members"] == 3 and national["figures"]["resumed"] == 2
    assert [g["name"] for g in national["by_group"]] == ["重点汽车集团"]
    jiangsu = client_for(desk, "jiangsu").get(f"/api/v1/monitoring/picture?day={DAY}").json()
    assert [row["name"] for row in jiangsu["enterprises"]] == ["昆山线束有限公司"]
    assert [part["key"] for part in jiangsu["by_region"]] == ["32"]
    elsewhere = client_for(desk, "jiangsu").get(f"/api/v1/monitoring/picture?day={DAY}&region=22").json()
    assert elsewhere["enterprises"] == []
    assert client_for(desk, "oem").get(f"/api/v1/monitoring/picture?day={DAY}").status_code == 403


def test_the_page_drills_down_to_the_enterprises_of_the_region(world):
    desk, _group, _ids = world
    jiangsu = client_for(desk, "jiangsu")
    page = jiangsu.get(f"/monitoring/picture?day={DAY}")
    assert page.status_code == 200 and "/monitoring/picture/enterprises?" in page.text
    behind = jiangsu.get(f"/monitoring/picture/enterprises?day={DAY}&figure=resumption&state=stopped").text
    assert "昆山线束有限公司" in behind and "长春整车有限公司" not in behind
    everyone = client_for(desk, "ministry").get(f"/monitoring/picture/enterprises?day={DAY}&figure=attainment").text
    assert everyone.index("昆山线束有限公司") < everyone.index("长春整车有限公司") < everyone.index("宁波座椅有限公司")


def test_groups_are_read_and_changed_only_within_the_region(world):
    desk, group_id, _ids = world
    listed = client_for(desk, "jiangsu").get("/api/v1/monitoring/groups").json()
    assert [m["name"] for m in listed[0]["members"]] == ["昆山线束有限公司"]  # the national group, its own part
    refused = client_for(desk, "jiangsu").post(f"/api/v1/monitoring/groups/{group_id}/members",
                                               json={"rule": "leading"})
    assert refused.status_code == 403
    made = client_for(desk, "suzhou").post("/api/v1/monitoring/groups", json={"name": "苏州重点企业"})
    assert made.status_code == 201 and made.json()["region_code"] == "3205"
    assert client_for(desk, "suzhou").post("/api/v1/monitoring/groups",
                                           json={"name": "越界", "region_code": "33"}).status_code == 403


def test_the_group_form_opens_the_new_group_or_goes_back_with_the_reason(world):
    desk, _group, _ids = world
    suzhou = client_for(desk, "suzhou")
    made = suzhou.post("/monitoring/groups", data={"name": "苏州重点企业"})
    assert made.status_code == 303 and re.fullmatch(r"/monitoring/groups/\d+", made.headers["location"])
    refused = suzhou.post("/monitoring/groups", data={"name": "越界", "region_code": "33"})
    assert refused.status_code == 303 and refused.headers["location"].startswith("/monitoring/groups?error=")
    names = [g["name"] for g in client_for(desk, "ministry").get("/api/v1/monitoring/groups").json()]
    assert "苏州重点企业" in names and "越界" not in names  # the refused form wrote nothing


def test_a_report_and_its_problem_case_only_for_its_parties(world):
    desk, _group, ids = world
    report = f"/monitoring/scheduling/reports/{ids['kunshan']}"
    assert client_for(desk, "zhejiang").get(report).status_code == 404
    assert client_for(desk, "oem").get(report).status_code == 404  # another enterprise
    assert client_for(desk, "zhejiang").post(f"/api/v1{report}/case", json={}).status_code == 404
    own = client_for(desk, "supplier")
    assert 'data-testid="problem-case"' in own.get(report).text
    answer = own.post(f"/api/v1{report}/case", json={})
    assert answer.status_code == 201
    assert f'/desk/cases/{answer.json()["case_id"]}' in own.get(report).text
    assert client_for(desk, "kunshan").post(f"/api/v1{report}/case", json={}).status_code == 409


def test_the_groups_are_made_from_rows_without_models(world, monkeypatch):
    """The key groups are written with orjson from the rows (issue 15): no group or member is validated into a
    model, and the bytes are those of the models, for each scope."""
    from chainkeeper.monitoring.scheduling.schemas import GroupOut

    desk, _group_id, _ids = world
    clients = {user: client_for(desk, user) for user in ("ministry", "jiangsu", "suzhou")}
    validations = count_validations(monkeypatch)
    for user, client in clients.items():
        answer = client.get("/api/v1/monitoring/groups")
        assert answer.status_code == 200 and answer.content == model_bytes(answer.content, list[GroupOut]), user
        assert answer.json()[0]["members"], user
    assert validations == []
