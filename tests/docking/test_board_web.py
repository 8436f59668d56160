"""The board's doors (API and pages) on a real app: a buyer searches, sees suggestions and contacts a supplier who
answers; other enterprises and regions are refused at every door; pages in both languages."""

import pytest
from accounts_fixture import login
from docking.board_support import PASSWORD, build_board, listing, post
from fastapi.testclient import TestClient

from chainkeeper.auth.api import login_throttle
from chainkeeper.web.app import create_app


@pytest.fixture
def world(engine):
    login_throttle.reset()
    return build_board(engine)


def client_for(world, username):
    client = TestClient(create_app(engine=world.engine), follow_redirects=False)
    client.headers["x-csrf-token"] = login(client, username, PASSWORD)
    return client


NEED = {"title": "求购N95口罩", "unit": "只", "county_code": "420105", "good_code": "med_n95", "quantity": 30000,
        "date_needed": "2099-01-10"}


def test_search_suggest_contact_answer_through_the_doors(world):
    offer = post(world, "maker_user", "listing", listing(title="医用防护口罩（N95）现货"))
    hidden = post(world, "changsha_user", "listing", listing(county="430104", visibility="authorities"))
    hospital, maker, other = (client_for(world, u) for u in ("hospital_user", "maker_user", "changsha_user"))
    hubei, hunan = client_for(world, "hubei"), client_for(world, "hunan")
    found = hospital.get("/api/v1/docking/board/listings", params={"q": "防护 口罩"}).json()
    assert [p["id"] for p in found] == [offer]
    assert [p["id"] for p in hunan.get("/api/v1/docking/board/listings").json()] == [hidden, offer]
    assert hospital.get(f"/api/v1/docking/board/listings/{hidden}").status_code == 404
    assert hubei.get(f"/api/v1/docking/board/listings/{hidden}").status_code == 404
    assert hospital.get(f"/docking/board/listings/{hidden}").status_code == 404
    assert hubei.post("/api/v1/docking/board/needs", json=NEED).status_code == 403  # enterprises post
    made = hospital.post("/api/v1/docking/board/needs", json=NEED)
    assert made.status_code == 201, made.text
    need_id = made.json()["id"]
    suggested = hospital.get(f"/api/v1/docking/board/needs/{need_id}/suggestions").json()
    assert [s["post"]["id"] for s in suggested] == [offer]  # not the authorities-only listing
    assert suggested[0]["reasons"][0].startswith("同一重点物资")
    page = hospital.get(f"/docking/board/needs/{need_id}")
    assert page.status_code == 200 and "推荐的供应方" in page.text and "相距" in page.text
    sent = hospital.post("/docking/board/contact", data={"kind": "listing", "post_id": offer, "body": "请报价"})
    assert sent.status_code == 303 and sent.headers["location"].startswith("/docking/board/threads/")
    thread_path = sent.headers["location"]
    thread_id = int(thread_path.rsplit("/", 1)[1])
    assert other.get(thread_path).status_code == 404  # private to the two enterprises
    assert hubei.get(f"/api/v1/docking/board/threads/{thread_id}").status_code == 404
    assert other.post(f"/api/v1/docking/board/threads/{thread_id}/messages", json={"body": "x"}).status_code == 404
    refused = other.post(thread_path, data={"body": "插话"})
    assert refused.status_code == 303 and "error=" in refused.headers["location"]
    answered = maker.post(f"/api/v1/docking/board/threads/{thread_id}/messages", json={"body": "明日发货"})
    assert answered.status_code == 201 and [m["body"] for m in answered.json()["messages"]] == ["请报价", "明日发货"]
    assert hospital.get("/api/v1/docking/board/threads").json()[0]["id"] == thread_id
    assert other.post(f"/api/v1/docking/board/listings/{offer}/close").status_code == 403
    closed = other.post(f"/docking/board/listings/{offer}/close")
    assert closed.status_code == 303 and "error=" in closed.headers["location"]
    for client, path in ((hospital, "/docking/board"), (hospital, thread_path), (maker, f"/docking/board/listings/{offer}"),
                         (hunan, "/docking/board?kind=listings&q=口罩"), (hubei, "/docking/board/events"),
                         (maker, "/docking/board/threads")):
        for language in ("zh-CN", "en"):
            page = client.get(path, headers={"accept-language": language})
            assert page.status_code == 200, (path, page.status_code)


def test_events_through_the_doors(world):
    hubei, hunan, maker, hospital, other = (client_for(world, u) for u in (
        "hubei", "hunan", "maker_user", "hospital_user", "changsha_user"))
    assert maker.post("/api/v1/docking/board/events", json={"title": "x", "held_on": "2020-02-12"}).status_code == 403
    assert hunan.post("/api/v1/docking/board/events", json={"title": "x", "held_on": "2020-02-12",
                                                             "region_code": "42"}).status_code == 403
    made = hubei.post("/docking/board/events", data={"title": "湖北省防疫物资供需对接会", "held_on": "2020-02-12",
                                                      "place": "武汉"})
    assert made.status_code == 303 and made.headers["location"].startswith("/docking/board/events/")
    event_id = int(made.headers["location"].rsplit("/", 1)[1])
    for client in (maker, hospital):
        assert client.post(f"/docking/board/events/{event_id}/join").status_code == 303
    ids = world.ids
    pair = {"buyer_id": ids["jinyintan"], "supplier_id": ids["wuhan_maker"], "subject": "N95 三万只"}
    assert other.post(f"/api/v1/docking/board/events/{event_id}/matches", json=pair).status_code == 403
    matched = hubei.post(f"/api/v1/docking/board/events/{event_id}/matches", json=pair)
    assert matched.status_code == 201, matched.text
    match_id = matched.json()["id"]
    assert hunan.post(f"/api/v1/docking/board/matches/{match_id}/deal", json={"value_wan": 1}).status_code == 404
    dealt = maker.post(f"/docking/board/matches/{match_id}/deal", data={"value_wan": "12.5", "event_id": event_id})
    assert dealt.status_code == 303 and "error" not in dealt.headers["location"]
    figures = other.get(f"/api/v1/docking/board/events/{event_id}").json()
    assert (figures["participants"], figures["matches"], figures["deals"], figures["deal_value_wan"]) == (2, 1, 1, 12.5)
    assert figures["match_list"] == []  # a stranger sees the figures, not who dealt with whom
    page = hubei.get(f"/docking/board/events/{event_id}", headers={"accept-language": "zh-CN"})
    assert page.status_code == 200 and "成交金额（万元）" in page.text and "N95 三万只" in page.text
