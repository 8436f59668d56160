"""The size self-test through its doors: the API in both languages, the page (prefilled for an enterprise)."""

import pytest
from accounts_fixture import build_world, login
from fastapi.testclient import TestClient

from chainkeeper.auth.api import login_throttle
from chainkeeper.web.app import create_app


@pytest.fixture
def world(engine):
    login_throttle.reset()
    return build_world(engine)


def client_for(engine, username, language="zh_CN"):
    client = TestClient(create_app(engine=engine), follow_redirects=False)
    client.headers["x-csrf-token"] = login(client, username)
    client.cookies.set("ck_lang", language)
    return client


def test_api_classifies_with_reasons(world, engine):
    client = client_for(engine, world.users["enterprise"])
    answer = client.post("/api/v1/sme/size", json={"industry_code": "3670", "employees": 500, "revenue_wan": 50000})
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert (body["size"], body["sector"], body["is_sme"]) == ("medium", "industry", True)
    assert len(body["reasons"]) == 4 and "国统字〔2017〕213号" in body["standard"]


def test_api_names_the_missing_field(world, engine):
    client = client_for(engine, world.users["analyst"])
    answer = client.post("/api/v1/sme/size", json={"industry_code": "E", "revenue_wan": 500})
    assert answer.status_code == 422
    assert answer.json()["error"]["details"][0]["field"] == "assets_wan"
    assert client.post("/api/v1/sme/size", json={"industry_code": "C", "employees": -3}).status_code == 422


def test_anonymous_is_refused(world, engine):
    client = TestClient(create_app(engine=engine), follow_redirects=False)
    assert client.post("/api/v1/sme/size", json={"industry_code": "C"}).status_code == 401


def test_page_prefills_the_enterprise_industry_and_shows_the_verdict(world, engine):
    client = client_for(engine, world.users["enterprise"])
    page = client.get("/sme/size")
    assert page.status_code == 200
    assert f'value="{world.kunshan["industry_code"]}"' in page.text
    result = client.get("/sme/size", params={"industry_code": "52", "employees": "3", "revenue_wan": "800"})
    assert result.status_code == 200 and 'data-testid="size-verdict"' in result.text
    assert "微型" in result.text and "低于小型企业的下限 10 人" in result.text


def test_page_error_names_the_field_in_english(world, engine):
    client = client_for(engine, world.users["province"], language="en")
    page = client.get("/sme/size", params={"industry_code": "C", "employees": "many", "revenue_wan": "10"})
    assert page.status_code == 200 and "enter a number" in page.text
    assert 'name="employees" inputmode="numeric" maxlength="20" value="many" aria-invalid="true"' in page.text
    missing = client.get("/sme/size", params={"industry_code": "E", "revenue_wan": "10"})
    assert "the total assets (10,000 yuan) are required" in missing.text
    assert client.get("/sme").status_code == 200
