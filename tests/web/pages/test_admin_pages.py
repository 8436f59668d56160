"""Users and roles, and the audit log, for administrators; every change is audited."""

import json

from accounts_fixture import PASSWORD
from sqlalchemy import select
from web.pages.page_support import form_token, sign_in

from chainkeeper.audit.models import AuditEvent
from chainkeeper.auth.models import User
from chainkeeper.auth.roles import Role
from chainkeeper.db import unit_of_work

NEW = {"username": "suzhou_ops", "display_name": "苏州市运行监测", "password": "Suzhou-2022-ops",
       "email": "", "roles": ["city"], "region_code": "3205", "enterprise_uscc": "", "language": "zh_CN"}


def user(engine, username):
    with unit_of_work(engine) as session:
        return session.scalar(select(User).where(User.username == username))


def events(engine, action, object_id):
    """Matching events, oldest first (the audit log outlives each test, and row ids may be reused)."""
    with unit_of_work(engine) as session:
        query = select(AuditEvent).where(AuditEvent.action == action, AuditEvent.object_id == str(object_id))
        return list(session.scalars(query.order_by(AuditEvent.seq)))


def test_admin_creates_a_user_and_it_is_audited(client, world, engine):
    token = sign_in(client, "user_admin")
    response = client.post("/admin/users", data={**NEW, "csrf_token": token})
    assert response.status_code == 303 and response.headers["location"] == "/admin/users?created=suzhou_ops"
    created = user(engine, "suzhou_ops")
    assert created.role_set == {Role.city} and created.region_code == "3205"
    event = events(engine, "user.create", created.id)[-1]
    assert json.loads(event.after)["username"] == "suzhou_ops" and event.actor_name == "user_admin" and json.loads(event.after)["roles"] == ["city"]
    assert "已创建用户 suzhou_ops" in client.get(response.headers["location"]).text
    client.cookies.clear()
    sign_in(client, "suzhou_ops", NEW["password"])


def test_create_user_reports_problems_and_creates_nothing(client, world, engine):
    token = sign_in(client, "user_admin")
    unbound = client.post("/admin/users", data={**NEW, "region_code": "", "csrf_token": token})
    assert unbound.status_code == 422 and "市级主管部门用户必须绑定 4 位行政区划代码" in unbound.text
    assert 'value="苏州市运行监测"' in unbound.text  # the form keeps what was typed
    no_role = client.post("/admin/users", data={**NEW, "roles": [], "csrf_token": token})
    assert no_role.status_code == 422 and "请至少选择一个角色" in no_role.text
    firm = client.post("/admin/users", data={**NEW, "roles": ["enterprise"], "enterprise_uscc": "91350100M000100Y43",
                                             "region_code": "", "csrf_token": token})
    assert firm.status_code == 422 and "未登记该统一社会信用代码的企业" in firm.text
    taken = client.post("/admin/users", data={**NEW, "username": "user_city", "csrf_token": token})
    assert taken.status_code == 422 and "该用户名已被占用" in taken.text
    assert user(engine, "suzhou_ops") is None


def test_admin_binds_an_enterprise_user(client, world, engine):
    token = sign_in(client, "user_admin")
    data = {**NEW, "username": "ningbo_seats", "roles": ["enterprise"], "region_code": "",
            "enterprise_uscc": world.ningbo["uscc"], "csrf_token": token}
    assert client.post("/admin/users", data=data).status_code == 303
    client.cookies.clear()
    sign_in(client, "ningbo_seats", NEW["password"])
    assert client.get(f"/enterprises/{world.ningbo['uscc']}").status_code == 200
    assert client.get(f"/enterprises/{world.kunshan['uscc']}").status_code == 404


def test_change_roles_and_deactivate(client, world, engine):
    token = sign_in(client, "user_admin")
    target = user(engine, "user_county")
    assert "user_county" in client.get(f"/admin/users/{target.id}").text
    response = client.post(f"/admin/users/{target.id}", data={"csrf_token": token, "roles": ["province"],
                                                               "region_code": "32"})
    assert response.status_code == 303
    changed = user(engine, "user_county")
    assert changed.role_set == {Role.province} and not changed.is_active
    event = events(engine, "user.update", target.id)[-1]
    assert json.loads(event.before)["is_active"] is True and json.loads(event.after)["is_active"] is False
    client.cookies.clear()
    token = form_token(client.get("/login").text)
    refused = client.post("/login", data={"username": "user_county", "password": PASSWORD, "csrf_token": token})
    assert refused.status_code == 401
    bad = client.post(f"/admin/users/{target.id}", data={"roles": ["province"]})
    assert bad.status_code == 303 and bad.headers["location"].startswith("/login")


def test_user_list_filters_and_sorts(client, world):
    sign_in(client, "user_admin")
    page = client.get("/admin/users", params={"role": "county"}).text
    assert "user_county" in page and "user_city" not in page
    listed = client.get("/admin/users", params={"q": "user_", "sort": "username", "dir": "desc"}).text
    assert listed.index("user_province") < listed.index("user_ministry") < listed.index("user_county")


def test_only_administrators_manage_users(client, world, engine):
    token = sign_in(client, "user_ministry")
    assert client.get("/admin/users").status_code == 403
    assert client.post("/admin/users", data={**NEW, "csrf_token": token}).status_code == 403
    assert user(engine, "suzhou_ops") is None


def test_audit_search(client, world, engine):
    token = sign_in(client, "user_admin")
    client.post("/admin/users", data={**NEW, "csrf_token": token})
    created = user(engine, "suzhou_ops")
    page = client.get("/admin/audit", params={"action": "user.create", "object_type": "user",
                                              "object_id": created.id}).text
    expected = len(events(engine, "user.create", created.id))
    assert page.count('<td class="mono">user.create</td>') == expected >= 1
    assert "user_admin" in page and "suzhou_ops" in page  # the after-state is shown
    none = client.get("/admin/audit", params={"action": "user.create", "object_id": created.id,
                                              "since": "2999-01-01"}).text
    assert "没有符合条件的审计记录" in none
    fragment = client.get("/admin/audit", params={"actor": "user_admin", "action": "login"},
                          headers={"HX-Request": "true"}).text
    assert fragment.lstrip().startswith('<div id="audit-table"') and "login" in fragment
