"""The desk's forms as a user meets them: pickers' plain fields understood, a refused form keeps what was typed,
and every refusal reads in the user's language."""

from __future__ import annotations

import html

import pytest
from coordination.test_api import client_for, desk  # noqa: F401  (the fixture)


def new_case_form(client, **values) -> dict:
    return {"category": "logistics", "title": "高速出口关闭", "blocked": "运输车辆无法下高速，零件滞留三天",
            "help_wanted": "请协调开放出口", "blocking_name": "昆山高速出口", "blocking_region_code": "320583",
            "urgency": "urgent", "csrf_token": client.headers["x-csrf-token"]} | values


def test_a_refused_report_keeps_what_was_typed_and_says_why_in_chinese(desk):
    oem = client_for(desk, "oem")
    response = oem.post("/desk/cases", data=new_case_form(oem, blocking_region_code="999999"),
                        follow_redirects=False)
    assert response.status_code == 422
    text = html.unescape(response.text)
    assert "未知地区" in text and "unknown region" not in text
    assert "运输车辆无法下高速，零件滞留三天" in text and "请协调开放出口" in text and 'value="高速出口关闭"' in text
    assert oem.get("/api/v1/desk/cases").json()["total"] == 0


@pytest.mark.parametrize("typed", ["昆山市", "江苏省 苏州市 昆山市", "320583"])
def test_the_region_picker_without_script_takes_a_name_or_a_code(desk, typed):
    oem = client_for(desk, "oem")
    response = oem.post("/desk/cases", data=new_case_form(oem, blocking_region_code=typed), follow_redirects=False)
    assert response.status_code == 303, response.text
    case = oem.get(response.headers["location"].replace("/desk/", "/api/v1/desk/")).json()
    assert case["blocking_region_code"] == "320583"


def test_the_enterprise_picker_without_script_takes_an_exact_name(desk):
    suzhou = client_for(desk, "ministry")
    data = new_case_form(suzhou, requester_uscc="长春整车有限公司", blocking_name="", blocking_region_code="",
                         blocking_uscc="")
    response = suzhou.post("/desk/cases", data=data, follow_redirects=False)
    assert response.status_code == 422 and "请填写堵点方名称" in html.unescape(response.text)
    assert 'value="长春整车有限公司"' in html.unescape(response.text)
    data |= {"blocking_uscc": "无锡芯片有限公司"}
    response = suzhou.post("/desk/cases", data=data, follow_redirects=False)
    assert response.status_code == 303, html.unescape(response.text)
