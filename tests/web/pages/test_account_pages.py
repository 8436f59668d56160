"""Login, logout, password change and language switch through the pages, with their CSRF protection."""

from accounts_fixture import PASSWORD
from web.pages.page_support import form_token, sign_in
from sqlalchemy import select

from chainkeeper.audit.models import AuditEvent
from chainkeeper.auth.deps import SESSION_COOKIE
from chainkeeper.db import unit_of_work
from chainkeeper.web.pages.route import safe_next


def test_pages_redirect_anonymous_callers_to_login_and_back(client, world):
    response = client.get("/enterprises", params={"q": "昆山"})
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=%2Fenterprises%3Fq%3D%25E6%2598%2586%25E5%25B1%25B1"
    htmx = client.get("/enterprises", headers={"HX-Request": "true"})
    assert htmx.status_code == 204 and htmx.headers["HX-Redirect"].startswith("/login?next=")
    page = client.get("/login", params={"next": "/enterprises?q=x"})
    answer = client.post("/login", data={"username": "user_ministry", "password": PASSWORD,
                                         "csrf_token": form_token(page.text), "next": "/enterprises?q=x"})
    assert answer.status_code == 303 and answer.headers["location"] == "/enterprises?q=x"
    assert client.get("/enterprises?q=x").status_code == 200


def test_login_form_refuses_a_post_without_its_token(client, world):
    client.get("/login")
    refused = client.post("/login", data={"username": "user_admin", "password": PASSWORD})
    assert refused.status_code == 400 and "登录表单已过期" in refused.text
    assert SESSION_COOKIE not in client.cookies
    forged = client.post("/login", data={"username": "user_admin", "password": PASSWORD, "csrf_token": "guess"})
    assert forged.status_code == 400 and SESSION_COOKIE not in client.cookies


def test_login_form_refuses_a_cross_site_post(client, world):
    token = form_token(client.get("/login").text)
    response = client.post("/login", data={"username": "user_admin", "password": PASSWORD, "csrf_token": token},
                           headers={"Origin": "http://evil.example"})
    assert response.status_code == 400 and SESSION_COOKIE not in client.cookies


def test_wrong_password_is_reported_in_the_page_language_and_audited(client, world):
    token = form_token(client.get("/login").text)
    response = client.post("/login", data={"username": "user_admin", "password": "nope", "csrf_token": token})
    assert response.status_code == 401 and "用户名或密码错误" in response.text
    with unit_of_work(client.app.state.engine) as session:
        actions = session.scalars(select(AuditEvent.action).where(AuditEvent.object_id == "user_admin")).all()
    assert "login.failed" in actions


def test_next_must_stay_on_this_site(client, world):
    for unsafe in ("//evil.example/x", "https://evil.example/", "/\\evil.example", "javascript:alert(1)"):
        token = form_token(client.get("/login").text)
        response = client.post("/login", data={"username": "user_admin", "password": PASSWORD,
                                               "csrf_token": token, "next": unsafe})
        assert response.headers["location"] == "/", unsafe
        client.cookies.clear()
    assert safe_next("/enterprises?q=1") == "/enterprises?q=1" and safe_next("/\nx") == "/"


def test_logout_needs_the_session_token(client, world):
    token = sign_in(client, "user_analyst")
    refused = client.post("/logout")
    assert refused.status_code == 403 and "表单已过期" in refused.text
    assert client.get("/").status_code == 200
    response = client.post("/logout", data={"csrf_token": token})
    assert response.status_code == 303 and response.headers["location"] == "/login"
    assert client.get("/").status_code == 303


def test_change_password(client, world):
    token = sign_in(client, "user_county")
    wrong = client.post("/account/password", data={"csrf_token": token, "current": "bad", "new": "New-pass-1234",
                                                   "confirm": "New-pass-1234"})
    assert wrong.status_code == 422 and "当前密码不正确" in wrong.text
    mismatch = client.post("/account/password", data={"csrf_token": token, "current": PASSWORD,
                                                      "new": "New-pass-1234", "confirm": "New-pass-12345"})
    assert mismatch.status_code == 422 and "两次输入的新密码不一致" in mismatch.text
    weak = client.post("/account/password", data={"csrf_token": token, "current": PASSWORD, "new": "short",
                                                  "confirm": "short"})
    assert weak.status_code == 422 and "至少 10 个字符" in weak.text
    done = client.post("/account/password", data={"csrf_token": token, "current": PASSWORD,
                                                  "new": "New-pass-1234", "confirm": "New-pass-1234"})
    assert done.status_code == 303
    assert "密码已修改" in client.get(done.headers["location"]).text  # this browser got a fresh session
    client.cookies.clear()
    sign_in(client, "user_county", "New-pass-1234")


def test_language_switch_and_defaults(client, world):
    token = sign_in(client, "user_ministry")
    assert "企业名录" in client.get("/enterprises").text  # zh_CN by default
    switched = client.post("/language", data={"csrf_token": token, "lang": "en", "next": "/enterprises"})
    assert switched.status_code == 303 and switched.headers["location"] == "/enterprises"
    page = client.get("/enterprises").text
    assert "Enterprise registry" in page and "企业名录" not in page and "Ministry coordinator" in page
    client.post("/language", data={"csrf_token": token, "lang": "zh_CN", "next": "/"})
    assert "部级协调员" in client.get("/").text


def test_language_from_accept_language_when_no_cookie_or_user(client, world):
    english = client.get("/login", headers={"Accept-Language": "fr;q=1, en-GB;q=0.8, zh;q=0.5"}).text
    assert "Sign in" in english and "登录" not in english
    assert "登录" in client.get("/login", headers={"Accept-Language": "zh-CN,zh;q=0.9"}).text


def test_friendly_forbidden_page(client, world):
    sign_in(client, "user_enterprise")
    for path in ("/admin/users", "/admin/audit", "/import"):
        response = client.get(path)
        assert response.status_code == 403 and "无权访问" in response.text, path
        assert response.headers["content-type"].startswith("text/html")
        assert "昆山线束有限公司" in response.text  # the top bar names what the user is bound to
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
