"""Every hand-off between levels (issue 9 #1): whoever a case is handed to sees it — one case, the queue, its counts,
the page, the ledger — and can do its part; a county accepts a case about its own territory and handles it.

The world of desk_support: Changchun OEM; Jiangsu (32) → Suzhou (3205) → Kunshan (320583); the ministry.
"""

from __future__ import annotations

import io

import pytest
from coordination.test_api import NEW_CASE, client_for, desk  # noqa: F401  (the fixture)
from openpyxl import load_workbook

PARTY_AT = {"county": "320583", "city": "3205", "province": "32"}  # where the blocking party is registered


def file_about(desk, oem, region: str) -> dict:
    response = oem.post("/api/v1/desk/cases", json=NEW_CASE | {"blocking_name": "昆山某物流园", "blocking_region_code": region})
    assert response.status_code == 201, response.text
    return response.json()


def act(client, case_id: int, action: str, **body) -> dict:
    response = client.post(f"/api/v1/desk/cases/{case_id}/actions", json={"action": action, **body})
    assert response.status_code == 200, (action, response.text)
    return response.json()


def escalate_to(client, case: dict, level: str) -> dict:
    while case["level"] != level:
        case = act(client, case["id"], "escalate", reason="本级无法协调")
    return case


def sees_everywhere(client, case: dict) -> None:
    """The case is in the caller's view by every door: one case, the queue, its counts, the page, the ledger."""
    case_id = case["id"]
    assert client.get(f"/api/v1/desk/cases/{case_id}").status_code == 200
    assert case_id in [c["id"] for c in client.get("/api/v1/desk/cases").json()["items"]]
    assert client.get(f"/desk/cases/{case_id}").status_code == 200
    queue = client.get("/desk")
    assert f'data-case="{case_id}"' in queue.text
    ledger = client.get("/api/v1/desk/ledger.xlsx")
    if ledger.status_code == 200:
        numbers = [row[0] for row in load_workbook(io.BytesIO(ledger.content)).active.iter_rows(values_only=True)]
        assert case["ledger_no"] in numbers


# (the level the case is at, who assigns, to whom) — every step down the chain, also skipping a level
DOWN = [("ministry", "ministry", "jiangsu"), ("ministry", "ministry", "kunshan"), ("province", "jiangsu", "suzhou"),
        ("province", "jiangsu", "kunshan"), ("city", "suzhou", "kunshan")]


@pytest.mark.parametrize("party", list(PARTY_AT))
@pytest.mark.parametrize("level, assigner, assignee", DOWN, ids=lambda v: v)
def test_a_case_handed_down_is_seen_and_worked_by_whoever_receives_it(desk, party, level, assigner, assignee):
    if party == "province" and level == "city":
        pytest.skip("a party registered at province level is never handled by a city")
    oem = client_for(desk, "oem")
    case = escalate_to(oem, file_about(desk, oem, PARTY_AT[party]), level)
    boss, receiver = client_for(desk, assigner), client_for(desk, assignee)
    act(boss, case["id"], "accept")
    act(boss, case["id"], "assign", liaison_id=desk.user_ids[assignee])
    sees_everywhere(receiver, case)
    done = act(receiver, case["id"], "feedback", text="已协调物流园恢复运营")
    assert done["state"] == "feedback"
    assert act(oem, case["id"], "confirm")["state"] == "resolved"


@pytest.mark.parametrize("party", ["county", "city"])
def test_a_case_handed_down_can_be_sent_back_up(desk, party):
    oem, suzhou, kunshan, jiangsu = (client_for(desk, name) for name in ("oem", "suzhou", "kunshan", "jiangsu"))
    case = file_about(desk, oem, PARTY_AT[party])
    act(suzhou, case["id"], "accept")
    act(suzhou, case["id"], "assign", liaison_id=desk.user_ids["kunshan"])
    up = act(kunshan, case["id"], "escalate", reason="需省级协调")  # the county liaison hands it up
    assert (up["level"], up["handling_region_code"]) == ("province", "32")
    sees_everywhere(jiangsu, case)
    act(jiangsu, case["id"], "assign", liaison_id=desk.user_ids["jiangsu"])
    top = act(jiangsu, case["id"], "escalate", reason="需部级协调")
    assert top["level"] == "ministry"
    sees_everywhere(client_for(desk, "ministry"), case)


def test_the_county_accepts_a_case_about_its_own_territory_and_handles_it(desk):
    oem, kunshan = client_for(desk, "oem"), client_for(desk, "kunshan")
    case = file_about(desk, oem, "320583")
    assert case["handling_region_code"] == "3205"  # Jiangsu routes to its cities
    assert "accept" in kunshan.get(f"/api/v1/desk/cases/{case['id']}").json()["actions"]
    taken = act(kunshan, case["id"], "accept")
    assert (taken["state"], taken["level"], taken["handling_region_code"]) == ("accepted", "county", "320583")
    assert "assign" in taken["actions"]
    act(kunshan, case["id"], "assign", liaison_id=desk.user_ids["kunshan"])
    assert act(kunshan, case["id"], "feedback", text="出口已开放")["state"] == "feedback"


def test_an_escalated_case_is_not_taken_back_by_the_level_it_left(desk):
    """Escalated on request from the city to the province, the city may no longer take it back (a take-on would
    lower the level again: hypothesis found the county doing so after a county → city escalation)."""
    oem, suzhou, jiangsu = client_for(desk, "oem"), client_for(desk, "suzhou"), client_for(desk, "jiangsu")
    case = file_about(desk, oem, "320583")
    assert "accept" in suzhou.get(f"/api/v1/desk/cases/{case['id']}").json()["actions"]
    up = act(oem, case["id"], "escalate", reason="市级未受理")
    assert (up["state"], up["level"], up["handling_region_code"]) == ("submitted", "province", "32")
    assert "accept" not in suzhou.get(f"/api/v1/desk/cases/{case['id']}").json()["actions"]
    refused = suzhou.post(f"/api/v1/desk/cases/{case['id']}/actions", json={"action": "accept"})
    assert refused.status_code == 403, refused.text
    taken = act(jiangsu, case["id"], "accept")
    assert (taken["level"], taken["handling_region_code"]) == ("province", "32")


def submitted_count(client) -> int:
    """The queue's "submitted" tab count as the page shows it."""
    text = client.get("/desk").text
    tab = text.split('href="/desk?state=submitted"', 1)[1]
    return int(tab.split('<span class="count">', 1)[1].split("<", 1)[0])


def test_the_queue_counts_are_reused_per_scope_and_follow_every_write(desk):
    """The queue's tab counts and total are kept per scope for a few seconds (the page cache): a case filed in
    Jiangsu (through another app: another worker) shows in Jiangsu's counts at once, never in another province's."""
    oem, jiangsu, zhejiang = client_for(desk, "oem"), client_for(desk, "jiangsu"), client_for(desk, "zhejiang")
    before_js, before_zj = submitted_count(jiangsu), submitted_count(zhejiang)  # both now cached in their apps
    file_about(desk, oem, "320583")
    assert submitted_count(jiangsu) == before_js + 1
    assert submitted_count(zhejiang) == before_zj


def test_the_county_accepts_and_assigns_from_its_queue_in_one_go(desk):
    oem, kunshan = client_for(desk, "oem"), client_for(desk, "kunshan")
    case = file_about(desk, oem, "320583")
    form = {"case_ids": [str(case["id"])], "liaison_id": str(desk.user_ids["kunshan"]), "accept": "1",
            "csrf_token": kunshan.headers["x-csrf-token"]}
    response = kunshan.post("/desk/assign", data=form, follow_redirects=False)
    assert response.status_code == 303 and "error=" not in response.headers["location"], response.headers["location"]
    assert kunshan.get(f"/api/v1/desk/cases/{case['id']}").json()["state"] == "assigned"


def test_what_is_not_handed_over_stays_out_of_sight(desk):
    oem = client_for(desk, "oem")
    case = file_about(desk, oem, "3205")
    kunshan = client_for(desk, "kunshan")
    assert kunshan.get(f"/api/v1/desk/cases/{case['id']}").status_code == 404  # a city's case, not handed down
    assert kunshan.get(f"/desk/cases/{case['id']}").status_code == 404
    suzhou = client_for(desk, "suzhou")
    act(suzhou, case["id"], "accept")
    act(suzhou, case["id"], "assign", liaison_id=desk.user_ids["suzhou"])
    assert kunshan.get(f"/api/v1/desk/cases/{case['id']}").status_code == 404
    assert client_for(desk, "zhejiang").get(f"/api/v1/desk/cases/{case['id']}").status_code == 404
