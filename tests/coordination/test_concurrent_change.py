"""A concurrent change answers 409 on both databases; an action the case's state does not allow answers 422
(issue 10, finding 22 — docs/desk.md says the same).

* The client sends the version it saw (``version`` in the API's action body; a hidden field on the case page): when
  someone changed the case since, 409 ``conflict``, nothing written.
* Two people taking the same action at the same moment: exactly one succeeds, the other gets 409 ``conflict`` —
  SQLite queues the writers and the version check refuses the second; PostgreSQL refuses the second's stale update.
* Without a version, an action the current state does not allow is 422 ``invalid_transition``.
"""

from __future__ import annotations

import threading

import pytest
from coordination.desk_support import build_desk
from coordination.test_api import client_for, file
from sqlalchemy import func, select

from chainkeeper.auth.api import login_throttle
from chainkeeper.coordination.models import CaseEvent
from chainkeeper.db import unit_of_work


@pytest.fixture
def desk(engine):
    login_throttle.reset()
    return build_desk(engine)


def accepts(desk, case_id: int) -> int:
    with unit_of_work(desk.engine) as session:
        return session.scalar(select(func.count()).select_from(CaseEvent).where(
            CaseEvent.case_id == case_id, CaseEvent.action == "accept"))


def test_a_stale_version_is_409_and_an_impossible_action_422(desk):
    case = file(desk)
    suzhou = client_for(desk, "suzhou")
    url = f"/api/v1/desk/cases/{case['id']}/actions"
    first = suzhou.post(url, json={"action": "accept", "version": case["version"]})
    assert first.status_code == 200 and first.json()["version"] == case["version"] + 1
    stale = suzhou.post(url, json={"action": "assign", "liaison_id": desk.user_ids["kunshan"],
                                   "version": case["version"]})
    assert stale.status_code == 409 and stale.json()["error"]["code"] == "conflict", stale.text
    again = suzhou.post(url, json={"action": "accept"})
    assert again.status_code == 422 and again.json()["error"]["code"] == "invalid_transition"
    assert accepts(desk, case["id"]) == 1


def test_the_case_page_refuses_a_stale_form(desk):
    case = file(desk)
    suzhou = client_for(desk, "suzhou")
    token = suzhou.headers["x-csrf-token"]
    assert suzhou.post(f"/api/v1/desk/cases/{case['id']}/actions", json={"action": "accept"}).status_code == 200
    page = suzhou.post(f"/desk/cases/{case['id']}/act", follow_redirects=False,
                       data={"csrf_token": token, "action": "assign", "version": str(case["version"]),
                             "liaison_id": str(desk.user_ids["kunshan"])})
    assert page.status_code == 422 and "changed by someone else" in page.text  # the page again, nothing written
    assert 'name="version" value="2"' in suzhou.get(f"/desk/cases/{case['id']}").text


def test_two_accepts_at_the_same_moment(desk):
    case = file(desk)
    clients = [client_for(desk, "suzhou"), client_for(desk, "jiangsu")]
    barrier, answers = threading.Barrier(2), []

    def accept(client):
        barrier.wait()
        answers.append(client.post(f"/api/v1/desk/cases/{case['id']}/actions",
                                   json={"action": "accept", "version": case["version"]}))

    threads = [threading.Thread(target=accept, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    statuses = sorted(answer.status_code for answer in answers)
    assert statuses == [200, 409], [answer.text[:200] for answer in answers]
    loser = next(answer for answer in answers if answer.status_code == 409)
    assert loser.json()["error"]["code"] == "conflict"
    assert accepts(desk, case["id"]) == 1
