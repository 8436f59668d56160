"""The pass form and the recognition check choose regions (and the enterprise) with the shared pickers; without
JavaScript their plain fields take names as well as codes (issue 9 #9)."""

from __future__ import annotations

import html

import pytest
from fastapi.testclient import TestClient
from web.pages.page_support import sign_in

from chainkeeper.auth.api import login_throttle
from chainkeeper.credentials.service import local_today
from chainkeeper.web.app import create_app


@pytest.fixture(autouse=True)
def _fresh_throttle():
    login_throttle.reset()
    yield
    login_throttle.reset()


def test_the_pass_form_takes_counties_by_name(engine, world, keys_dir):
    applicant = TestClient(create_app(engine=engine), follow_redirects=False)
    token = sign_in(applicant, world.users["enterprise"])
    page = applicant.get("/passes").text
    assert "data-region-picker" in page and 'pattern="\\d{6}"' not in page
    today = local_today().isoformat()
    form = {"csrf_token": token, "goods_category": "线束", "origin_code": "江苏省 苏州市 昆山市",
            "destination_code": "吉林省 长春市 朝阳区", "route": "G2", "plate": "苏E54321", "trailer_plate": "",
            "valid_from": today, "valid_until": today, "crew_name_1": "李强", "crew_phone_1": "13812345678",
            "crew_name_2": "", "crew_phone_2": ""}
    created = applicant.post("/passes", data=form)
    assert created.status_code == 303, html.unescape(created.text)
    detail = html.unescape(applicant.get(created.headers["location"]).text)
    assert "昆山市" in detail and "朝阳区" in detail


def test_the_recognition_check_takes_a_region_by_name(engine, world):
    client = TestClient(create_app(engine=engine), follow_redirects=False)
    sign_in(client, world.users["county"])
    page = client.get("/whitelists/check", params={"uscc": "91320583MA1XXXXX00", "region": "昆山市"})
    assert page.status_code == 200 and "data-region-picker" in page.text and "data-enterprise-picker" in page.text
    assert 'data-value="320583"' in page.text  # the name was understood as Kunshan
