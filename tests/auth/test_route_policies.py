"""Every route declares a policy, and every route × role (and anonymous) gets the answer the table says."""

import pytest
from accounts_fixture import build_world, login
from fastapi.routing import APIRoute, iter_route_contexts
from fastapi.testclient import TestClient

from chainkeeper.auth.deps import declared_policy
from chainkeeper.auth.roles import Role
from chainkeeper.web.app import create_app

EVERYONE = {"anonymous", *(r.value for r in Role)}
SIGNED_IN = {r.value for r in Role}
ADMIN = {"admin"}
WRITERS = {"admin", "ministry", "province", "city", "county"}
WL_MANAGERS = {"ministry", "province", "city"}  # white lists: manage lists, entries, pools, batches
WL_REVIEWERS = WL_MANAGERS | {"county"}
WL_WORKFLOW = WL_REVIEWERS | {"enterprise"}
AUTHORITIES = {"county", "city", "province", "ministry"}
DESK_PARTIES = AUTHORITIES | {"enterprise"}  # file cases and act on them (the transition table decides the rest)
LETTER_WRITERS = {"province", "ministry"}
DESK_REPORTS = AUTHORITIES | {"analyst", "admin"}
ANALYSTS = {"analyst", "ministry", "province", "city", "county"}  # the workspace; regional users for their region
REPORTERS = AUTHORITIES | {"enterprise"}  # reporting: an enterprise for itself, an authority on behalf (issue 12)
REPORT_DEFINERS = AUTHORITIES | {"admin"}
REPORT_WATCHERS = AUTHORITIES | {"analyst", "admin"}
INDICATOR_READERS = {"ministry", "analyst", "admin", "province", "city", "county"}  # published statistics
INDICATOR_WRITERS = {"ministry", "province"}  # imports and targets; a province for its own region (service check)
WARNING_READERS = {"analyst", "ministry", "province", "city", "county"}  # early warnings of their region (+ national)
WARNING_ACKNOWLEDGERS = {"ministry", "province", "city", "county"}  # a named authority person acknowledges
RULE_SETTERS = {"ministry", "province"}  # a province sets rules for its own region, the ministry for any
BRIEFING_READERS = {"ministry", "analyst", "admin", "province"}  # the monthly briefing: a province reads its own
BRIEFING_WRITERS = {"ministry", "province"}  # the ministry generates any region's, a province its own

DOCK_COORDINATORS = {"province", "ministry"}  # docking: review needs, requisition, run / fix / publish allocations
DOCK_POSTERS = {"enterprise", "province", "ministry"}  # post needs; ship / receive lines
DOCK_PLAN_READERS = DOCK_COORDINATORS | {"analyst"}
BOARD_PARTIES = {"enterprise"}  # the matching board: post, close, contact, answer, take part in events
BOARD_MATCHERS = AUTHORITIES | {"enterprise"}  # record matches and report deals (organisers or the two parties)

# Who may call what, written from the product's point of view (not read from the code).
EXPECTED = {
    ("GET", "/health"): EVERYONE,
    ("GET", "/api/v1/docking/goods"): SIGNED_IN,
    ("PUT", "/api/v1/docking/goods/{code}"): {"ministry"},
    ("GET", "/api/v1/docking/needs"): SIGNED_IN,
    ("POST", "/api/v1/docking/needs"): DOCK_POSTERS,
    ("POST", "/api/v1/docking/needs/{need_id}/review"): DOCK_COORDINATORS,
    ("POST", "/api/v1/docking/requisitions"): DOCK_COORDINATORS,
    ("POST", "/api/v1/docking/plans"): DOCK_COORDINATORS,
    ("GET", "/api/v1/docking/plans/{plan_id}"): DOCK_PLAN_READERS,
    ("GET", "/api/v1/docking/plans/{plan_id}/xlsx"): DOCK_PLAN_READERS,
    ("POST", "/api/v1/docking/plans/{plan_id}/fix"): DOCK_COORDINATORS,
    ("POST", "/api/v1/docking/plans/{plan_id}/publish"): DOCK_COORDINATORS,
    ("GET", "/api/v1/docking/lines"): SIGNED_IN,
    ("POST", "/api/v1/docking/lines/{line_id}/ship"): DOCK_POSTERS,
    ("POST", "/api/v1/docking/lines/{line_id}/receive"): DOCK_POSTERS,
    ("GET", "/docking"): SIGNED_IN,
    ("POST", "/docking/plans"): DOCK_COORDINATORS,
    ("GET", "/docking/plans/{plan_id}"): DOCK_PLAN_READERS,
    ("POST", "/docking/plans/{plan_id}/fix"): DOCK_COORDINATORS,
    ("POST", "/docking/plans/{plan_id}/publish"): DOCK_COORDINATORS,
    ("POST", "/docking/lines/{line_id}/{step}"): DOCK_POSTERS,
    ("GET", "/docking/goods"): SIGNED_IN,
    ("POST", "/docking/goods"): {"ministry"},
    ("GET", "/docking/needs"): SIGNED_IN,
    ("POST", "/docking/needs"): DOCK_POSTERS,
    ("POST", "/docking/needs/{need_id}/review"): DOCK_COORDINATORS,
    ("POST", "/api/v1/auth/login"): EVERYONE,
    ("POST", "/api/v1/auth/logout"): SIGNED_IN,
    ("GET", "/api/v1/me"): SIGNED_IN,
    ("POST", "/api/v1/me/password"): SIGNED_IN,
    ("GET", "/api/v1/tokens"): SIGNED_IN,
    ("POST", "/api/v1/tokens"): SIGNED_IN,
    ("DELETE", "/api/v1/tokens/{token_id}"): SIGNED_IN,
    ("GET", "/api/v1/users"): ADMIN,
    ("POST", "/api/v1/users"): ADMIN,
    ("PATCH", "/api/v1/users/{user_id}"): ADMIN,
    ("GET", "/api/v1/enterprises"): SIGNED_IN,
    ("GET", "/api/v1/enterprises/{uscc}"): SIGNED_IN,
    ("GET", "/api/v1/links"): SIGNED_IN,
    ("GET", "/api/v1/links/{link_id}"): SIGNED_IN,
    # server-rendered pages
    ("GET", "/login"): EVERYONE,
    ("POST", "/login"): EVERYONE,
    ("POST", "/logout"): SIGNED_IN,
    ("POST", "/language"): EVERYONE,
    ("GET", "/account/password"): SIGNED_IN,
    ("GET", "/account"): SIGNED_IN,
    ("GET", "/account/tokens"): SIGNED_IN,
    ("POST", "/account/tokens"): SIGNED_IN,
    ("POST", "/account/tokens/{token_id}/revoke"): SIGNED_IN,
    ("GET", "/api/v1/docs"): EVERYONE,
    ("GET", "/favicon.svg"): EVERYONE,
    ("GET", "/favicon.ico"): EVERYONE,
    ("POST", "/account/password"): SIGNED_IN,
    ("GET", "/"): SIGNED_IN,
    ("GET", "/overview"): SIGNED_IN,
    ("GET", "/enterprises"): SIGNED_IN,
    ("GET", "/enterprises/{uscc}"): SIGNED_IN,
    ("GET", "/import"): WRITERS,
    ("POST", "/import"): WRITERS,
    ("GET", "/admin/users"): ADMIN,
    ("POST", "/admin/users"): ADMIN,
    ("GET", "/admin/users/{user_id}"): ADMIN,
    ("POST", "/admin/users/{user_id}"): ADMIN,
    ("GET", "/admin/audit"): ADMIN,
    # white lists (API): reading is for everyone signed in; changes by role, finer checks in the services
    ("GET", "/api/v1/whitelist/lists"): SIGNED_IN,
    ("POST", "/api/v1/whitelist/lists"): WL_MANAGERS,
    ("GET", "/api/v1/whitelist/lists/{list_id}/entries"): SIGNED_IN,
    ("POST", "/api/v1/whitelist/lists/{list_id}/batches"): WL_MANAGERS,
    ("GET", "/api/v1/whitelist/applications"): SIGNED_IN,
    ("POST", "/api/v1/whitelist/applications"): {"enterprise"},
    ("GET", "/api/v1/whitelist/applications/{application_id}"): SIGNED_IN,
    ("PATCH", "/api/v1/whitelist/applications/{application_id}"): {"enterprise"},
    ("POST", "/api/v1/whitelist/applications/{application_id}/plan"): {"enterprise"},
    ("GET", "/api/v1/whitelist/applications/{application_id}/plan"): SIGNED_IN,
    ("POST", "/api/v1/whitelist/applications/{application_id}/actions"): WL_WORKFLOW,
    ("GET", "/api/v1/whitelist/entries/{entry_id}"): SIGNED_IN,
    ("POST", "/api/v1/whitelist/entries/{entry_id}/status"): WL_MANAGERS,
    ("PUT", "/api/v1/whitelist/entries/{entry_id}/resumption"): WL_MANAGERS | {"enterprise"},
    ("POST", "/api/v1/whitelist/entries/{entry_id}/pool"): WL_MANAGERS,
    ("DELETE", "/api/v1/whitelist/pool/{member_id}"): WL_MANAGERS,
    ("POST", "/api/v1/whitelist/entries/{entry_id}/nominations"): {"province"},
    ("GET", "/api/v1/whitelist/recognition"): SIGNED_IN,
    ("GET", "/api/v1/whitelist/recognized"): SIGNED_IN - {"enterprise"},
    ("GET", "/api/v1/whitelist/agreements"): SIGNED_IN,
    ("POST", "/api/v1/whitelist/agreements"): {"ministry"},
    ("POST", "/api/v1/whitelist/agreements/{agreement_id}/end"): {"ministry"},
    ("GET", "/api/v1/whitelist/categories"): SIGNED_IN,
    ("PUT", "/api/v1/whitelist/categories/{code}"): ADMIN,
    ("GET", "/api/v1/whitelist/recommendations"): WL_REVIEWERS,
    ("GET", "/api/v1/whitelist/resumption"): SIGNED_IN,
    ("GET", "/api/v1/whitelist/notifications"): {"enterprise"},
    # white lists (pages)
    ("GET", "/whitelists"): SIGNED_IN,
    ("POST", "/whitelists"): WL_MANAGERS,
    ("GET", "/whitelists/{list_id}"): SIGNED_IN,
    ("POST", "/whitelists/{list_id}/batches"): WL_MANAGERS,
    ("GET", "/whitelists/applications"): SIGNED_IN,
    ("POST", "/whitelists/applications"): {"enterprise"},
    ("GET", "/whitelists/applications/{application_id}"): SIGNED_IN,
    ("POST", "/whitelists/applications/{application_id}/action"): WL_WORKFLOW,
    ("GET", "/whitelists/applications/{application_id}/plan"): SIGNED_IN,
    ("POST", "/whitelists/notifications/read"): {"enterprise"},
    ("GET", "/whitelists/entries/{entry_id}"): SIGNED_IN,
    ("POST", "/whitelists/entries/{entry_id}/status"): WL_MANAGERS,
    ("POST", "/whitelists/entries/{entry_id}/resumption"): WL_MANAGERS | {"enterprise"},
    ("POST", "/whitelists/entries/{entry_id}/pool"): WL_MANAGERS,
    ("GET", "/whitelists/check"): SIGNED_IN,
    ("GET", "/whitelists/export"): SIGNED_IN - {"enterprise"},
    ("GET", "/whitelists/agreements"): SIGNED_IN,
    ("POST", "/whitelists/agreements"): {"ministry"},
    ("GET", "/whitelists/recommendations"): WL_REVIEWERS,
    # credentials and vehicle passes: verification is public; passes are applied for by enterprises and
    # reviewed by the origin's authorities (county, city, province); reading is scoped
    ("POST", "/api/v1/verify"): EVERYONE,
    ("GET", "/api/v1/credentials/keys"): EVERYONE,
    ("GET", "/api/v1/credentials/revocations"): EVERYONE,
    ("GET", "/api/v1/credentials/{public_id}"): SIGNED_IN,
    ("POST", "/api/v1/credentials/{public_id}/revoke"): WRITERS,
    ("GET", "/api/v1/passes"): SIGNED_IN,
    ("POST", "/api/v1/passes"): {"enterprise"},
    ("GET", "/api/v1/passes/{pass_id}"): SIGNED_IN,
    ("POST", "/api/v1/passes/{pass_id}/approve"): {"county", "city", "province"},
    ("POST", "/api/v1/passes/{pass_id}/reject"): {"county", "city", "province"},
    ("POST", "/api/v1/passes/{pass_id}/revoke"): {"county", "city", "province", "ministry", "admin"},
    ("GET", "/verify"): EVERYONE,
    ("GET", "/credentials/{public_id}"): SIGNED_IN,
    ("GET", "/credentials/{public_id}/print"): SIGNED_IN,
    ("GET", "/credentials/{public_id}/qr.png"): SIGNED_IN,
    ("GET", "/credentials/{public_id}/qr.svg"): SIGNED_IN,
    ("GET", "/passes"): SIGNED_IN,
    ("POST", "/passes"): {"enterprise"},
    ("GET", "/passes/{pass_id}"): SIGNED_IN,
    ("POST", "/passes/{pass_id}/review"): {"county", "city", "province"},
    ("POST", "/passes/{pass_id}/revoke"): {"county", "city", "province", "ministry", "admin"},
    # coordination desk: everyone signed in reads the cases in scope; the parties file and act; letters are
    # between provinces; reports for authorities and national readers
    ("GET", "/api/v1/desk/cases"): SIGNED_IN,
    ("POST", "/api/v1/desk/cases"): DESK_PARTIES,
    ("GET", "/api/v1/desk/cases/{case_id}"): SIGNED_IN,
    ("POST", "/api/v1/desk/cases/{case_id}/actions"): DESK_PARTIES,
    ("POST", "/api/v1/desk/cases/{case_id}/comments"): DESK_PARTIES,
    ("POST", "/api/v1/desk/cases/{case_id}/impact"): AUTHORITIES,
    ("GET", "/api/v1/desk/letters"): LETTER_WRITERS,
    ("POST", "/api/v1/desk/letters"): LETTER_WRITERS,
    ("GET", "/api/v1/desk/letters/{letter_id}"): LETTER_WRITERS,
    ("POST", "/api/v1/desk/letters/{letter_id}/cases"): LETTER_WRITERS,
    ("POST", "/api/v1/desk/letters/{letter_id}/import"): LETTER_WRITERS,
    ("POST", "/api/v1/desk/letters/{letter_id}/actions"): LETTER_WRITERS,
    ("GET", "/api/v1/desk/daily"): DESK_REPORTS,
    ("GET", "/api/v1/desk/ledger.xlsx"): DESK_REPORTS,
    ("GET", "/desk"): SIGNED_IN,
    ("GET", "/desk/export"): SIGNED_IN,
    ("POST", "/desk/assign"): AUTHORITIES,
    ("GET", "/desk/new"): DESK_PARTIES,
    ("POST", "/desk/cases"): DESK_PARTIES,
    ("GET", "/desk/cases/{case_id}"): SIGNED_IN,
    ("POST", "/desk/cases/{case_id}/act"): DESK_PARTIES,
    ("POST", "/desk/cases/{case_id}/comments"): DESK_PARTIES,
    ("POST", "/desk/cases/{case_id}/attachments"): DESK_PARTIES,
    ("GET", "/desk/cases/{case_id}/attachments/{link_id}"): SIGNED_IN,
    ("GET", "/desk/letters"): LETTER_WRITERS,
    ("POST", "/desk/letters"): LETTER_WRITERS,
    ("GET", "/desk/letters/{letter_id}"): LETTER_WRITERS,
    ("POST", "/desk/letters/{letter_id}/cases"): LETTER_WRITERS,
    ("POST", "/desk/letters/{letter_id}/import"): LETTER_WRITERS,
    ("POST", "/desk/letters/{letter_id}/act"): LETTER_WRITERS,
    ("GET", "/desk/daily"): DESK_REPORTS,
    # the shared pickers (desk-ux, merged here for the workspace's form): signed-in, scoped in the query
    ("GET", "/api/v1/regions"): SIGNED_IN,
    ("GET", "/api/v1/enterprise-lookup"): SIGNED_IN,
    # the analyst's workspace (API and pages)
    ("POST", "/api/v1/analysis/runs"): ANALYSTS,
    ("GET", "/api/v1/analysis/runs"): ANALYSTS,
    ("GET", "/api/v1/analysis/runs/{run_id}"): ANALYSTS,
    ("GET", "/api/v1/analysis/runs/{run_id}/result"): ANALYSTS,
    ("GET", "/api/v1/analysis/runs/{run_id}/export.{fmt}"): ANALYSTS,
    ("GET", "/api/v1/analysis/esri"): ANALYSTS,
    ("GET", "/analysis"): ANALYSTS,
    ("POST", "/analysis/runs"): ANALYSTS,
    ("GET", "/analysis/runs/{run_id}"): ANALYSTS,
    ("GET", "/analysis/runs/{run_id}/progress"): ANALYSTS,
    ("GET", "/analysis/runs/{run_id}/export.{fmt}"): ANALYSTS,
    ("GET", "/analysis/compare"): ANALYSTS,
    ("GET", "/analysis/esri"): ANALYSTS,
    # the reporting framework (API and pages; the services scope every enterprise)
    ("GET", "/api/v1/reports/types"): SIGNED_IN,
    ("GET", "/api/v1/reports/types/{code}"): SIGNED_IN,
    ("PUT", "/api/v1/reports/types/{code}"): REPORT_DEFINERS,
    ("POST", "/api/v1/reports/types/{code}/assignments"): AUTHORITIES,
    ("POST", "/api/v1/reports/types/{code}/unassign"): AUTHORITIES,
    ("POST", "/api/v1/reports/types/{code}/reports"): REPORTERS,
    ("GET", "/api/v1/reports/types/{code}/reports"): SIGNED_IN,
    ("GET", "/api/v1/reports/types/{code}/status"): SIGNED_IN,
    ("POST", "/api/v1/reports/types/{code}/remind"): AUTHORITIES,
    ("GET", "/api/v1/reports/types/{code}/template.xlsx"): REPORTERS,
    ("POST", "/api/v1/reports/types/{code}/upload"): REPORTERS,
    ("GET", "/api/v1/reports/{report_id}"): SIGNED_IN,
    ("POST", "/api/v1/reports/{report_id}/corrections"): REPORTERS,
    ("GET", "/reports"): SIGNED_IN,
    ("GET", "/reports/{code}/fill"): REPORTERS,
    ("POST", "/reports/{code}/fill"): REPORTERS,
    ("GET", "/reports/entry/{report_id}"): SIGNED_IN,
    ("POST", "/reports/entry/{report_id}/correct"): REPORTERS,
    ("GET", "/reports/{code}/status"): REPORT_WATCHERS,
    ("POST", "/reports/{code}/remind"): AUTHORITIES,
    ("GET", "/reports/{code}/template.xlsx"): REPORTERS,
    ("POST", "/reports/{code}/upload"): REPORTERS,
    # monthly regional indicators (API and pages)
    ("GET", "/api/v1/monitoring/indicators"): INDICATOR_READERS,
    ("GET", "/api/v1/monitoring/indicators/{code}/series"): INDICATOR_READERS,
    ("GET", "/api/v1/monitoring/indicators/{code}/ranking"): INDICATOR_READERS,
    ("POST", "/api/v1/monitoring/indicators/{code}/import"): INDICATOR_WRITERS,
    ("PUT", "/api/v1/monitoring/indicators/{code}/targets"): INDICATOR_WRITERS,
    ("GET", "/monitoring/indicators"): INDICATOR_READERS,
    ("POST", "/monitoring/indicators/import"): INDICATOR_WRITERS,
    ("POST", "/monitoring/indicators/targets"): INDICATOR_WRITERS,
    # stoppage forecasts: authorities read their region's lines, the ministry and provinces forecast (national
    # engine run), authorities open a desk case from a line of their region
    ("GET", "/api/v1/monitoring/forecast/runs"): ANALYSTS,
    ("POST", "/api/v1/monitoring/forecast/runs"): {"ministry", "province"},
    ("GET", "/api/v1/monitoring/forecast/runs/{run_id}/lines"): ANALYSTS,
    ("POST", "/api/v1/monitoring/forecast/lines/{line_id}/case"): AUTHORITIES,
    ("GET", "/api/v1/monitoring/forecast/backtest"): ANALYSTS,
    ("GET", "/monitoring/forecast"): ANALYSTS,
    ("POST", "/monitoring/forecast/runs"): {"ministry", "province"},
    ("POST", "/monitoring/forecast/lines/{line_id}/case"): AUTHORITIES,
    # daily scheduling: authorities and analysts read the picture (their region); authorities manage key groups;
    # the enterprise or its authority makes a report's problem a desk case; a report's page is scoped by the service
    ("GET", "/api/v1/monitoring/picture"): AUTHORITIES | {"analyst"},
    ("GET", "/api/v1/monitoring/groups"): AUTHORITIES,
    ("POST", "/api/v1/monitoring/groups"): AUTHORITIES,
    ("POST", "/api/v1/monitoring/groups/{group_id}/members"): AUTHORITIES,
    ("POST", "/api/v1/monitoring/scheduling/reports/{report_id}/case"): DESK_PARTIES,
    ("GET", "/monitoring/picture"): AUTHORITIES | {"analyst"},
    ("GET", "/monitoring/picture/enterprises"): AUTHORITIES | {"analyst"},
    ("GET", "/monitoring/groups"): AUTHORITIES,
    ("POST", "/monitoring/groups"): AUTHORITIES,
    ("GET", "/monitoring/groups/{group_id}"): AUTHORITIES,
    ("POST", "/monitoring/groups/{group_id}/members"): AUTHORITIES,
    ("POST", "/monitoring/groups/{group_id}/members/{member_id}"): AUTHORITIES,
    ("GET", "/monitoring/scheduling/reports/{report_id}"): SIGNED_IN,
    ("POST", "/monitoring/scheduling/reports/{report_id}/case"): DESK_PARTIES,
    ("GET", "/api/v1/warnings"): WARNING_READERS,
    ("GET", "/api/v1/warnings/{warning_id}"): WARNING_READERS,
    ("POST", "/api/v1/warnings/{warning_id}/acknowledge"): WARNING_ACKNOWLEDGERS,
    ("GET", "/api/v1/warning-rules"): WARNING_READERS,
    ("POST", "/api/v1/warning-rules"): RULE_SETTERS,
    ("PUT", "/api/v1/warning-rules/{rule_id}"): RULE_SETTERS,
    ("GET", "/monitoring/warnings"): WARNING_READERS,
    ("GET", "/monitoring/warnings/rules"): WARNING_READERS,
    ("POST", "/monitoring/warnings/rules"): RULE_SETTERS,
    ("GET", "/monitoring/warnings/rules/{rule_id}"): WARNING_READERS,
    ("POST", "/monitoring/warnings/rules/{rule_id}"): RULE_SETTERS,
    ("GET", "/monitoring/warnings/{warning_id}"): WARNING_READERS,
    ("GET", "/monitoring/warnings/{warning_id}/impact"): WARNING_READERS,
    ("POST", "/monitoring/warnings/{warning_id}/acknowledge"): WARNING_ACKNOWLEDGERS,
    # the monthly briefing (API and pages)
    ("GET", "/api/v1/briefings"): BRIEFING_READERS,
    ("POST", "/api/v1/briefings"): BRIEFING_WRITERS,
    ("GET", "/api/v1/briefings/{briefing_id}"): BRIEFING_READERS,
    ("GET", "/api/v1/briefings/{briefing_id}/briefing.pdf"): BRIEFING_READERS,
    ("GET", "/api/v1/briefings/{briefing_id}/annex.xlsx"): BRIEFING_READERS,
    ("GET", "/monitoring/briefings"): BRIEFING_READERS,
    ("POST", "/monitoring/briefings"): BRIEFING_WRITERS,
    ("GET", "/monitoring/briefings/{briefing_id}"): BRIEFING_READERS,
    ("GET", "/monitoring/briefings/{briefing_id}/briefing.pdf"): BRIEFING_READERS,
    ("GET", "/monitoring/briefings/{briefing_id}/annex.xlsx"): BRIEFING_READERS,
    # SME services (lane policies): the front page and the size self-test (anyone signed in; it stores nothing)
    ("GET", "/sme"): SIGNED_IN,
    ("POST", "/api/v1/sme/size"): SIGNED_IN,
    ("GET", "/sme/size"): SIGNED_IN,
    # lane board: the matching board (供需对接) — enterprises post, contact and take part; authorities organise events
    ("GET", "/api/v1/docking/board/threads"): SIGNED_IN,
    ("POST", "/api/v1/docking/board/threads"): BOARD_PARTIES,
    ("GET", "/api/v1/docking/board/threads/{thread_id}"): SIGNED_IN,
    ("POST", "/api/v1/docking/board/threads/{thread_id}/messages"): BOARD_PARTIES,
    ("GET", "/api/v1/docking/board/events"): SIGNED_IN,
    ("POST", "/api/v1/docking/board/events"): AUTHORITIES,
    ("GET", "/api/v1/docking/board/events/{event_id}"): SIGNED_IN,
    ("POST", "/api/v1/docking/board/events/{event_id}/join"): BOARD_PARTIES,
    ("POST", "/api/v1/docking/board/events/{event_id}/matches"): BOARD_MATCHERS,
    ("POST", "/api/v1/docking/board/matches/{match_id}/deal"): BOARD_MATCHERS,
    ("POST", "/api/v1/docking/board/listings"): BOARD_PARTIES,
    ("POST", "/api/v1/docking/board/needs"): BOARD_PARTIES,
    ("GET", "/api/v1/docking/board/listings"): SIGNED_IN,
    ("GET", "/api/v1/docking/board/listings/{post_id}"): SIGNED_IN,
    ("POST", "/api/v1/docking/board/listings/{post_id}/close"): BOARD_PARTIES,
    ("GET", "/api/v1/docking/board/listings/{post_id}/suggestions"): SIGNED_IN,
    ("GET", "/api/v1/docking/board/needs"): SIGNED_IN,
    ("GET", "/api/v1/docking/board/needs/{post_id}"): SIGNED_IN,
    ("POST", "/api/v1/docking/board/needs/{post_id}/close"): BOARD_PARTIES,
    ("GET", "/api/v1/docking/board/needs/{post_id}/suggestions"): SIGNED_IN,
    ("GET", "/docking/board"): SIGNED_IN,
    ("POST", "/docking/board/listings"): BOARD_PARTIES,
    ("POST", "/docking/board/needs"): BOARD_PARTIES,
    ("POST", "/docking/board/contact"): BOARD_PARTIES,
    ("GET", "/docking/board/threads"): SIGNED_IN,
    ("GET", "/docking/board/threads/{thread_id}"): SIGNED_IN,
    ("POST", "/docking/board/threads/{thread_id}"): BOARD_PARTIES,
    ("GET", "/docking/board/events"): SIGNED_IN,
    ("POST", "/docking/board/events"): AUTHORITIES,
    ("GET", "/docking/board/events/{event_id}"): SIGNED_IN,
    ("POST", "/docking/board/events/{event_id}/join"): BOARD_PARTIES,
    ("POST", "/docking/board/events/{event_id}/matches"): BOARD_MATCHERS,
    ("POST", "/docking/board/matches/{match_id}/deal"): BOARD_MATCHERS,
    ("GET", "/docking/board/{segment}/{post_id}"): SIGNED_IN,
    ("POST", "/docking/board/{segment}/{post_id}/close"): BOARD_PARTIES,
}


PUBLIC_NON_API = {"/api/v1/openapi.json", "/api/v1/docs", "/docs/oauth2-redirect", "/static"}
"""Routes that are not API routes: the OpenAPI document, its viewer, and the static assets — public by design."""


def api_routes(app):
    for route in iter_route_contexts(app.routes):
        if isinstance(route.original_route, APIRoute):
            for method in route.methods - {"HEAD"}:
                yield method, route.path, route


def test_only_known_routes_bypass_policies(sqlite_engine):
    app = create_app(engine=sqlite_engine)
    others = {route.path for route in iter_route_contexts(app.routes) if not isinstance(route.original_route, APIRoute)}
    assert others <= PUBLIC_NON_API


def test_every_route_declares_a_policy_and_is_in_the_table(sqlite_engine):
    app = create_app(engine=sqlite_engine)
    undeclared = [(m, p) for m, p, route in api_routes(app) if declared_policy(route) is None]
    assert undeclared == []
    assert {(m, p) for m, p, _ in api_routes(app)} == set(EXPECTED)


def _concrete(path: str) -> str:
    return path.replace("{uscc}", "91350100M000100Y43").replace("{token_id}", "999999").replace(
        "{user_id}", "999999").replace("{link_id}", "999999").replace("{", "").replace("}", "")


def _to_login(response) -> bool:
    """A page answers an anonymous caller by redirecting to the login page: that is a denial too."""
    location = response.headers.get("location", "")
    return response.status_code in (303, 307) and (location == "/login" or location.startswith("/login?"))


@pytest.mark.parametrize("caller", sorted(EVERYONE))
def test_route_matrix(sqlite_engine, caller):
    world = build_world(sqlite_engine)
    client = TestClient(create_app(engine=sqlite_engine))
    headers = {}
    if caller != "anonymous":
        headers["x-csrf-token"] = login(client, world.users[caller])
    for method, path, _route in api_routes(client.app):
        if path in ("/api/v1/auth/logout", "/api/v1/auth/login", "/logout"):
            continue  # exercised in the account tests; calling them here would end this caller's session
        response = client.request(method, _concrete(path), headers=headers, json={}, follow_redirects=False)
        denied = response.status_code in (401, 403) or _to_login(response)
        assert denied == (caller not in EXPECTED[(method, path)]), (caller, method, path, response.status_code)
