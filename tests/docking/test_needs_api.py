"""The needs list of the API (issue 15): what is still open of each need after a published plan, each caller's
scope, and one statement for the whole list whatever the number of needs (it was the needs, then their quantities
again, then their goods' codes)."""

from sqlalchemy import event

from docking.support import DAY, report
from docking.test_web import NEED, client_for, world  # noqa: F401 - the fixture


def _selects(engine, call) -> tuple:
    """(what ``call`` returned, the SELECT statements it sent)."""
    sent = []
    listener = lambda conn, cursor, statement, *args: sent.append(statement)  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    try:
        answer = call()
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    return answer, [s for s in sent if s.lstrip().upper().startswith("SELECT")]


def test_the_needs_list_shows_what_is_open_in_each_scope_in_one_statement(world):
    report(world, "wuhan_maker", DAY, ("med_n95", 1000, 50, 10, 0, 100))
    hospital, hubei, hunan = (client_for(world, u) for u in ("hospital_user", "hubei", "hunan"))
    ministry, maker = client_for(world, "ministry"), client_for(world, "maker_user")
    ids = []
    for quantity in (80, 30, 45):
        posted = hospital.post("/api/v1/docking/needs", json={**NEED, "quantity": quantity})
        assert posted.status_code == 201, posted.text
        ids.append(posted.json()["id"])
    for need_id in ids[:2]:
        assert hubei.post(f"/api/v1/docking/needs/{need_id}/review", json={"approve": True}).status_code == 200
    run = hubei.post("/api/v1/docking/plans", json={"day": DAY.isoformat(), "good_code": "med_n95"})
    assert run.status_code == 201, run.text
    assert hubei.post(f"/api/v1/docking/plans/{run.json()['id']}/publish").status_code == 200
    given = {line["need_id"]: line["quantity"] for line in run.json()["lines"]}
    assert sum(given.values()) == 60  # the maker's 60 of the day, not the 110 asked

    for client in (ministry, hubei, hospital, hunan, maker):  # the caller's session is remembered here (not the
        assert client.get("/api/v1/me").status_code == 200  # list: a repeated list is a kept answer)
    answer, selects = _selects(world.engine, lambda: ministry.get("/api/v1/docking/needs"))
    assert len(selects) == 1, selects
    rows = {row["id"]: row for row in answer.json()}
    assert [row["id"] for row in answer.json()] == sorted(ids, reverse=True)
    for need_id, quantity in zip(ids, (80, 30, 45)):
        row = rows[need_id]
        assert (row["good_code"], row["quantity"]) == ("med_n95", quantity)
        assert row["open_quantity"] == quantity - given.get(need_id, 0)
    assert rows[ids[2]]["state"] == "submitted"

    assert {row["id"] for row in hubei.get("/api/v1/docking/needs").json()} == set(ids)  # placed in Hubei
    assert {row["id"] for row in hospital.get("/api/v1/docking/needs").json()} == set(ids)  # its own
    assert hunan.get("/api/v1/docking/needs").json() == []
    assert maker.get("/api/v1/docking/needs").json() == []
    approved = hubei.get("/api/v1/docking/needs", params={"state": "approved", "good": "med_n95"}).json()
    assert [row["id"] for row in approved] == sorted(ids[:2], reverse=True)
    assert hubei.get("/api/v1/docking/needs", params={"good": "no_such_good"}).status_code == 404
