"""Issue 10 #12: the password rules through every door — API (user creation, own change), page, CLI — and the
demo's documented passwords still pass."""

from __future__ import annotations

import pytest
import typer
from accounts_fixture import PASSWORD, build_world, login
from fastapi.testclient import TestClient
from typer.testing import CliRunner
from web.pages.page_support import sign_in

from chainkeeper.auth.api import login_throttle
from chainkeeper.auth.demo import DEMO_USERS, demo_password
from chainkeeper.auth.passwords import check_strength
from chainkeeper.config import get_settings
from chainkeeper.web.app import create_app

WEAK = {"password12": "too_simple", "aaaaaaaaa1": "too_simple", "Password12!": "common_password",
        "Qwertyuiop#1": "common_password", "Jiangsu_ops2022!": "from_username", "Short-1": "too_short"}


@pytest.fixture
def world(engine):
    login_throttle.reset()
    return build_world(engine)


def test_weak_passwords_are_refused_when_an_admin_creates_a_user(engine, world):
    client = TestClient(create_app(engine=engine))
    headers = {"x-csrf-token": login(client, "user_admin")}
    body = {"username": "jiangsu_ops", "display_name": "江苏", "roles": ["province"], "region_code": "32"}
    for password, code in WEAK.items():
        refused = client.post("/api/v1/users", json=body | {"password": password}, headers=headers)
        assert refused.status_code == 422, password
        assert code in [d["code"] for d in refused.json()["error"]["details"]], (password, refused.text)
    assert client.post("/api/v1/users", json=body | {"password": "Grain-Silo-77"}, headers=headers).status_code == 201


def test_the_current_and_recent_passwords_are_not_chosen_again(engine, world):
    client = TestClient(create_app(engine=engine))
    password = PASSWORD
    for new in ("Lantern-road-81", "Copper-kettle-63"):
        headers = {"x-csrf-token": login(client, "user_city", password)}
        reused = client.post("/api/v1/me/password", json={"current": password, "new": password}, headers=headers)
        assert reused.status_code == 422 and reused.json()["error"]["details"][0]["code"] == "reused_password"
        changed = client.post("/api/v1/me/password", json={"current": password, "new": new}, headers=headers)
        assert changed.status_code == 204, changed.text
        password = new
    headers = {"x-csrf-token": login(client, "user_city", password)}
    back = client.post("/api/v1/me/password", json={"current": password, "new": PASSWORD}, headers=headers)
    assert back.status_code == 422 and back.json()["error"]["details"][0]["code"] == "reused_password"


def test_the_page_explains_the_rule_in_chinese(engine, world):
    client = TestClient(create_app(engine=engine), follow_redirects=False)
    token = sign_in(client, "user_county")
    for new, text in (("password12", "至少 3 类"), ("Password12!", "最常见"), ("user_county-2022", "用户名"),
                      (PASSWORD, "最近 5 次")):
        answer = client.post("/account/password", data={"csrf_token": token, "current": PASSWORD, "new": new,
                                                        "confirm": new})
        assert answer.status_code == 422 and text in answer.text, (new, answer.status_code)


def test_the_cli_refuses_a_weak_administrator_password(engine, monkeypatch):
    from chainkeeper.cli.users import users_app

    monkeypatch.setenv("CHAINKEEPER_DATABASE_URL", engine.url.render_as_string(hide_password=False))
    get_settings.cache_clear()
    app = typer.Typer()
    app.add_typer(users_app, name="users")
    try:
        result = CliRunner().invoke(app, ["users", "create-admin", "--username", "root2"],
                                    env={"CHAINKEEPER_ADMIN_PASSWORD": "aaaaaaaaa1"})
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 1 and "at least 3 of" in result.output


def test_the_demo_passwords_pass_the_rules():
    for username, *_rest in DEMO_USERS:
        check_strength(demo_password(username), username)
