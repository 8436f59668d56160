"""Every route that writes × every kind of caller × in or out of the region (issue 10).

The callers: administrator, ministry, analyst, a province in the region and one outside it, a city, a county, an
enterprise acting on its own object and another enterprise, and an anonymous caller. Who may call a route by role
comes from ``EXPECTED`` in ``test_route_policies.py`` (written from the product's point of view); this file adds the
region: each write route declares the kind of object it acts on, and for objects with a region a caller whose role
passes but who lies outside the object's region (or is another enterprise) must be refused as well — while a caller
inside it must get past both checks. A write route missing from ``OBJECT_OF`` fails the test.
"""

from __future__ import annotations

import pytest
from auth.test_route_policies import EXPECTED, _concrete, _to_login, api_routes
from coordination.desk_support import PASSWORD, build_desk
from fastapi.testclient import TestClient

from chainkeeper.auth.api import login_throttle
from chainkeeper.coordination.models import CaseCategory
from chainkeeper.coordination.service import NewCase, file_case
from chainkeeper.db import unit_of_work
from chainkeeper.web.app import create_app

CALLERS = {  # caller → (desk user, its role's name in EXPECTED, inside the Kunshan case's region?)
    "admin": ("admin", "admin", True),
    "ministry": ("ministry", "ministry", True),
    "analyst": ("analyst", "analyst", True),
    "province_in": ("jiangsu", "province", True),
    "province_out": ("zhejiang", "province", False),
    "city": ("suzhou", "city", True),
    "county": ("kunshan", "county", True),
    "enterprise_own": ("supplier", "enterprise", True),
    "enterprise_other": ("oem", "enterprise", False),
    "anonymous": (None, "anonymous", True),
}

WRITES = {"POST", "PUT", "PATCH", "DELETE"}
NO_REGION = "none"  # the caller's own account, a login, a language cookie, a new object the service scopes itself
OBJECT_OF = {
    ("POST", "/api/v1/auth/login"): NO_REGION, ("POST", "/api/v1/auth/logout"): NO_REGION,
    ("POST", "/api/v1/me/password"): NO_REGION, ("POST", "/api/v1/tokens"): NO_REGION,
    ("DELETE", "/api/v1/tokens/{token_id}"): "token", ("POST", "/api/v1/users"): NO_REGION,
    ("PATCH", "/api/v1/users/{user_id}"): "user",
    ("POST", "/login"): NO_REGION, ("POST", "/logout"): NO_REGION, ("POST", "/language"): NO_REGION,
    ("POST", "/account/password"): NO_REGION, ("POST", "/import"): "import rows",
    ("POST", "/admin/users"): NO_REGION, ("POST", "/admin/users/{user_id}"): "user",
    ("POST", "/api/v1/whitelist/lists"): "list scope", ("POST", "/api/v1/whitelist/lists/{list_id}/batches"): "list",
    ("POST", "/api/v1/whitelist/applications"): "own enterprise",
    ("PATCH", "/api/v1/whitelist/applications/{application_id}"): "application",
    ("POST", "/api/v1/whitelist/applications/{application_id}/plan"): "application",
    ("POST", "/api/v1/whitelist/applications/{application_id}/actions"): "application",
    ("POST", "/api/v1/whitelist/entries/{entry_id}/status"): "entry",
    ("PUT", "/api/v1/whitelist/entries/{entry_id}/resumption"): "entry",
    ("POST", "/api/v1/whitelist/entries/{entry_id}/pool"): "entry",
    ("DELETE", "/api/v1/whitelist/pool/{member_id}"): "entry",
    ("POST", "/api/v1/whitelist/entries/{entry_id}/nominations"): "entry",
    ("POST", "/api/v1/whitelist/agreements"): NO_REGION,
    ("POST", "/api/v1/whitelist/agreements/{agreement_id}/end"): NO_REGION,
    ("PUT", "/api/v1/whitelist/categories/{code}"): NO_REGION,
    ("POST", "/whitelists"): "list scope", ("POST", "/whitelists/{list_id}/batches"): "list",
    ("POST", "/whitelists/applications"): "own enterprise",
    ("POST", "/whitelists/applications/{application_id}/action"): "application",
    ("POST", "/whitelists/notifications/read"): "own enterprise",
    ("POST", "/whitelists/entries/{entry_id}/status"): "entry",
    ("POST", "/whitelists/entries/{entry_id}/resumption"): "entry",
    ("POST", "/whitelists/entries/{entry_id}/pool"): "entry", ("POST", "/whitelists/agreements"): NO_REGION,
    ("POST", "/api/v1/verify"): NO_REGION, ("POST", "/api/v1/credentials/{public_id}/revoke"): "pass",
    ("POST", "/api/v1/passes"): "own enterprise", ("POST", "/api/v1/passes/{pass_id}/approve"): "pass",
    ("POST", "/api/v1/passes/{pass_id}/reject"): "pass", ("POST", "/api/v1/passes/{pass_id}/revoke"): "pass",
    ("POST", "/passes"): "own enterprise", ("POST", "/passes/{pass_id}/review"): "pass",
    ("POST", "/passes/{pass_id}/revoke"): "pass",
    ("POST", "/api/v1/desk/cases"): "own enterprise or region",
    ("POST", "/api/v1/desk/cases/{case_id}/actions"): "case",
    ("POST", "/api/v1/desk/cases/{case_id}/comments"): "case",
    ("POST", "/api/v1/desk/cases/{case_id}/impact"): "case",
    ("POST", "/api/v1/desk/letters"): "letter", ("POST", "/api/v1/desk/letters/{letter_id}/cases"): "letter",
    ("POST", "/api/v1/desk/letters/{letter_id}/import"): "letter",
    ("POST", "/api/v1/desk/letters/{letter_id}/actions"): "letter",
    ("POST", "/desk/assign"): "case", ("POST", "/desk/cases"): "own enterprise or region",
    ("POST", "/desk/cases/{case_id}/act"): "case", ("POST", "/desk/cases/{case_id}/comments"): "case",
    ("POST", "/desk/cases/{case_id}/attachments"): "case",
    ("POST", "/desk/letters"): "letter", ("POST", "/desk/letters/{letter_id}/cases"): "letter",
    ("POST", "/desk/letters/{letter_id}/import"): "letter", ("POST", "/desk/letters/{letter_id}/act"): "letter",
    ("POST", "/account/tokens"): NO_REGION, ("POST", "/account/tokens/{token_id}/revoke"): "token",
    ("POST", "/api/v1/analysis/runs"): "scenario regions", ("POST", "/analysis/runs"): "scenario regions",
    ("PUT", "/api/v1/reports/types/{code}"): "report type owner region",
    ("POST", "/api/v1/reports/types/{code}/assignments"): "own enterprise or region",
    ("POST", "/api/v1/reports/types/{code}/unassign"): "own enterprise or region",
    ("POST", "/api/v1/reports/types/{code}/reports"): "own enterprise or region",
    ("POST", "/api/v1/reports/types/{code}/remind"): "region",
    ("POST", "/api/v1/reports/types/{code}/upload"): "own enterprise or region",
    ("POST", "/api/v1/reports/{report_id}/corrections"): "report",
    ("POST", "/reports/{code}/fill"): "own enterprise or region", ("POST", "/reports/entry/{report_id}/correct"): "report",
    ("POST", "/reports/{code}/remind"): "region", ("POST", "/reports/{code}/upload"): "own enterprise or region",
    ("POST", "/api/v1/monitoring/indicators/{code}/import"): "indicator figures' regions",
    ("POST", "/monitoring/indicators/import"): "indicator figures' regions",
    ("PUT", "/api/v1/monitoring/indicators/{code}/targets"): "target region",
    ("POST", "/monitoring/indicators/targets"): "target region",
    ("POST", "/api/v1/monitoring/forecast/runs"): NO_REGION, ("POST", "/monitoring/forecast/runs"): NO_REGION,
    ("POST", "/api/v1/monitoring/forecast/lines/{line_id}/case"): "forecast line",
    ("POST", "/monitoring/forecast/lines/{line_id}/case"): "forecast line",
    ("POST", "/api/v1/monitoring/groups"): "group region", ("POST", "/monitoring/groups"): "group region",
    ("POST", "/api/v1/monitoring/groups/{group_id}/members"): "group",
    ("POST", "/monitoring/groups/{group_id}/members"): "group",
    ("POST", "/monitoring/groups/{group_id}/members/{member_id}"): "group",
    ("POST", "/api/v1/monitoring/scheduling/reports/{report_id}/case"): "report",
    ("POST", "/monitoring/scheduling/reports/{report_id}/case"): "report",
    ("POST", "/api/v1/warnings/{warning_id}/acknowledge"): "warning",
    ("POST", "/monitoring/warnings/{warning_id}/acknowledge"): "warning",
    ("POST", "/api/v1/warning-rules"): "rule region", ("PUT", "/api/v1/warning-rules/{rule_id}"): "rule region",
    ("POST", "/monitoring/warnings/rules"): "rule region", ("POST", "/monitoring/warnings/rules/{rule_id}"): "rule region",
    ("POST", "/api/v1/briefings"): "briefing region", ("POST", "/monitoring/briefings"): "briefing region",
    ("PUT", "/api/v1/docking/goods/{code}"): NO_REGION, ("POST", "/docking/goods"): NO_REGION,
    ("POST", "/api/v1/docking/needs"): "docking need place", ("POST", "/docking/needs"): "docking need place",
    ("POST", "/api/v1/docking/needs/{need_id}/review"): "docking need",
    ("POST", "/docking/needs/{need_id}/review"): "docking need",
    ("POST", "/api/v1/docking/requisitions"): "docking producer",
    ("POST", "/api/v1/docking/plans"): "docking scope", ("POST", "/docking/plans"): "docking scope",
    ("POST", "/api/v1/docking/plans/{plan_id}/fix"): "docking plan",
    ("POST", "/api/v1/docking/plans/{plan_id}/publish"): "docking plan",
    ("POST", "/docking/plans/{plan_id}/fix"): "docking plan", ("POST", "/docking/plans/{plan_id}/publish"): "docking plan",
    ("POST", "/api/v1/docking/lines/{line_id}/ship"): "docking line",
    ("POST", "/api/v1/docking/lines/{line_id}/receive"): "docking line",
    ("POST", "/docking/lines/{line_id}/{step}"): "docking line",
    # SME services (lane policies)
    ("POST", "/api/v1/sme/size"): NO_REGION,  # computes, stores nothing
    # lane board: the matching board; posts, threads and events are scoped by their services (tests/docking/
    # test_board_service.py and test_board_web.py refuse other enterprises and regions at every door)
    ("POST", "/api/v1/docking/board/listings"): "own enterprise", ("POST", "/docking/board/listings"): "own enterprise",
    ("POST", "/api/v1/docking/board/needs"): "own enterprise", ("POST", "/docking/board/needs"): "own enterprise",
    ("POST", "/api/v1/docking/board/listings/{post_id}/close"): "board post",
    ("POST", "/api/v1/docking/board/needs/{post_id}/close"): "board post",
    ("POST", "/docking/board/{segment}/{post_id}/close"): "board post",
    ("POST", "/api/v1/docking/board/threads"): "board post", ("POST", "/docking/board/contact"): "board post",
    ("POST", "/api/v1/docking/board/threads/{thread_id}/messages"): "board thread",
    ("POST", "/docking/board/threads/{thread_id}"): "board thread",
    ("POST", "/api/v1/docking/board/events"): "board event region", ("POST", "/docking/board/events"): "board event region",
    ("POST", "/api/v1/docking/board/events/{event_id}/join"): "own enterprise",
    ("POST", "/docking/board/events/{event_id}/join"): "own enterprise",
    ("POST", "/api/v1/docking/board/events/{event_id}/matches"): "board event",
    ("POST", "/docking/board/events/{event_id}/matches"): "board event",
    ("POST", "/api/v1/docking/board/matches/{match_id}/deal"): "board match",
    ("POST", "/docking/board/matches/{match_id}/deal"): "board match",
}
"""The object each write route acts on; the region-scoped ones are checked in or out of the region below (the
"case" kind here; the other kinds by their own areas' scoping tests, tests/auth/test_scoping.py and the white-list,
pass and letter tests; "warning" and "rule region" in tests/monitoring/warnings/test_doors.py)."""

CASE_CALLS = {  # a valid request for each case route: (method, path, JSON body or form)
    ("POST", "/api/v1/desk/cases/{case_id}/comments"): {"json": {"body": "矩阵测试"}},
    ("POST", "/api/v1/desk/cases/{case_id}/actions"): {"json": {"action": "escalate", "reason": "矩阵测试"}},
    ("POST", "/api/v1/desk/cases/{case_id}/impact"): {},
    ("POST", "/desk/cases/{case_id}/comments"): {"data": {"body": "矩阵测试"}},
    ("POST", "/desk/cases/{case_id}/act"): {"data": {"action": "escalate", "reason": "矩阵测试"}},
}


def write_routes(app) -> set[tuple[str, str]]:
    return {(m, p) for m, p, _route in api_routes(app) if m in WRITES}


def test_every_write_route_declares_its_object(sqlite_engine):
    routes = write_routes(create_app(engine=sqlite_engine))
    assert sorted(routes - set(OBJECT_OF)) == [], "a write route without a declared object (add it to OBJECT_OF)"
    assert sorted(set(OBJECT_OF) - routes) == [], "OBJECT_OF names a route that no longer exists"
    assert {p for m, p in routes if "{case_id}" in p} <= {p for m, p in CASE_CALLS} | {
        "/desk/cases/{case_id}/attachments"}, "a case route without a request in CASE_CALLS"


@pytest.fixture(scope="module")
def desk_world(migrated_engines):
    """The desk's users and firms, and a case of the Kunshan firm (blocking a Wuxi firm), on SQLite."""
    from conftest import clear_data

    engine = migrated_engines("sqlite")
    clear_data(engine)
    login_throttle.reset()
    desk = build_desk(engine)
    with unit_of_work(engine) as session:
        case = file_case(session=session, caller=desk.caller("supplier"), notify=False, data=NewCase(
            category=CaseCategory.parts_supply, title="矩阵", requester_id=desk.ids["kunshan"],
            blocking_uscc=desk.usccs["wuxi"]))
        case_id = case.id
    yield desk, case_id
    clear_data(engine)


def _client(desk, username: str | None) -> TestClient:
    client = TestClient(create_app(engine=desk.engine), follow_redirects=False)
    if username is not None:
        answer = client.post("/api/v1/auth/login", json={"username": username, "password": PASSWORD})
        assert answer.status_code == 200, answer.text
        client.headers["x-csrf-token"] = answer.json()["csrf_token"]
    return client


REFUSALS_IN_A_REDIRECT = ("error=no%20case", "error=your%20role%20or%20region%20does%20not%20allow")
"""How a form says "not yours": the page redirects back with the service's NotFound or Forbidden message (other
errors, such as a case already escalated as far as it goes, are not refusals)."""


def _refused(response) -> bool:
    """401/403/404, a page's redirect to the login, or a form's redirect back with a refusal."""
    location = response.headers.get("location", "")
    return response.status_code in (401, 403, 404) or _to_login(response) or (
        response.status_code == 303 and any(refusal in location for refusal in REFUSALS_IN_A_REDIRECT))


@pytest.mark.parametrize("caller", sorted(CALLERS))
def test_write_routes_by_role_for_every_caller(desk_world, caller):
    """The role dimension for every write route, with the callers the region matrix adds (in/out of region)."""
    desk, _case_id = desk_world
    username, role, _inside = CALLERS[caller]
    client = _client(desk, username)
    for method, path in sorted(write_routes(client.app)):
        if path in ("/api/v1/auth/logout", "/api/v1/auth/login", "/logout"):
            continue  # would end this caller's session; covered by the account tests
        response = client.request(method, _concrete(path), json={})
        denied = response.status_code in (401, 403) or _to_login(response)
        assert denied == (role not in EXPECTED[(method, path)]), (caller, method, path, response.status_code)


@pytest.mark.parametrize("caller", sorted(CALLERS))
def test_case_write_routes_in_and_out_of_the_region(desk_world, caller):
    desk, case_id = desk_world
    username, role, inside = CALLERS[caller]
    client = _client(desk, username)
    for (method, path), request in sorted(CASE_CALLS.items()):
        response = client.request(method, path.replace("{case_id}", str(case_id)), **request)
        allowed = role in EXPECTED[(method, path)] and inside
        assert _refused(response) != allowed, (caller, method, path, response.status_code,
                                               response.headers.get("location"), response.text[:200])
