"""The ladder's doors (API and pages) on a real app: an SME assesses and applies, the county → city → province
review through the API and the forms, refusals by scope at every write door, the pages in both languages."""

import re

import pytest
from accounts_fixture import login
from fastapi.testclient import TestClient
from sqlalchemy import event
from sme.ladder.ladder_support import FIGURES, PASSWORD, build_world

from chainkeeper.auth.api import login_throttle
from chainkeeper.web.app import create_app

API = "/api/v1/sme/ladder"


@pytest.fixture
def world(engine):
    login_throttle.reset()
    return build_world(engine)


def client_for(world, username, language="zh_CN"):
    client = TestClient(create_app(engine=world.engine), follow_redirects=False)
    client.headers["x-csrf-token"] = login(client, username, PASSWORD)
    client.cookies.set("ck_lang", language)
    return client


def form(client, url, data):
    return client.post(url, data=data | {"csrf_token": client.headers["x-csrf-token"]})


def test_an_sme_climbs_through_the_doors(world):
    sme, other, kunshan, suzhou, nanjing, jiangsu, shanghai = (client_for(world, u) for u in (
        "ks_user", "wj_user", "kunshan", "suzhou", "nanjing", "jiangsu", "shanghai"))
    assessed = sme.post(f"{API}/assess", json={"tier": "innovative", "facts": FIGURES})
    assert assessed.status_code == 200, assessed.text
    body = assessed.json()
    assert body["eligible"] and body["score"] == 85 and body["groups"][0]["lines"][0]["band"] == "自主研发Ⅰ类知识产权1项以上"
    assert sme.post(f"{API}/assess", json={"tier": "innovative", "facts": FIGURES,
                                           "enterprise_id": world.ids["sh"]}).status_code == 404
    bad = sme.post(f"{API}/assess", json={"tier": "innovative", "facts": {"debt_ratio_pct": "七十"}})
    assert bad.status_code == 422 and "上年度资产负债率" in bad.text
    assert kunshan.post(f"{API}/applications", json={"tier": "innovative", "facts": FIGURES}).status_code == 403
    created = sme.post(f"{API}/applications", json={"tier": "innovative", "facts": FIGURES})
    assert created.status_code == 201, created.text
    app_id = created.json()["id"]
    review = f"{API}/applications/{app_id}/review"
    assert shanghai.post(review, json={"action": "pass"}).status_code == 404
    assert other.post(review, json={"action": "withdraw"}).status_code == 404
    assert suzhou.post(review, json={"action": "pass"}).status_code == 403  # the county comes first
    assert kunshan.post(review, json={"action": "pass"}).status_code == 200
    assert nanjing.get(f"{API}/applications/{app_id}").status_code == 404
    passed = form(suzhou, f"/sme/ladder/applications/{app_id}/review", {"action": "pass"})
    assert passed.status_code == 303 and "error" not in passed.headers["location"]
    refused = form(jiangsu, f"/sme/ladder/applications/{app_id}/review", {"action": "reject"})
    assert refused.status_code == 303 and "error=" in refused.headers["location"]
    assert jiangsu.post(review, json={"action": "recognise"}).json()["state"] == "recognised"
    [rec] = sme.get(f"{API}/recognitions").json()
    assert rec["tier"] == "innovative" and rec["status"] == "active" and rec["recognised_by"] == "province"
    assert other.get(f"{API}/recognitions").json() == []
    for language, words in (("en", "Innovative SME · valid until "), ("zh_CN", "创新型中小企业 · 有效期至 ")):
        hub = client_for(world, "ks_user", language).get("/sme/ladder").text  # not "Valid · valid until" (walk)
        line = re.search(r'data-testid="recognition">(.*?)</p>', hub, re.S).group(1)
        assert words in re.sub(r"<[^>]+>", "", line), line
    revoke = f"{API}/recognitions/{rec['id']}/revoke"
    assert shanghai.post(revoke, json={"reason": "x"}).status_code == 404
    dash = jiangsu.get(f"{API}/dashboard").json()
    assert dash["by_region"] == [{"code": "3205", "name": "苏州市", "counts": {"innovative": 1, "specialized": 0,
                                                                             "little_giant": 0}, "total": 1}]
    assert dash["by_chain"][0]["code"] == "auto" and dash["waiting"]["submitted"] == 0
    assert shanghai.get(f"{API}/dashboard").json()["by_region"] == []


def test_the_self_assessment_page_explains_the_score_and_applies(world):
    sme = client_for(world, "ks_user")
    page = sme.get("/sme/ladder/assess?tier=innovative")
    assert page.status_code == 200 and "上年度研发费用总额" in page.text and "从事特定细分市场年限" not in page.text
    data = {k: str(v) for k, v in FIGURES.items() if k != "achievements"} | {"tier": "innovative"}
    data["achievements"] = FIGURES["achievements"]
    result = form(sme, "/sme/ladder/assess", data)
    assert result.status_code == 200 and 'data-testid="score">85' in result.text and "apply-form" in result.text
    import html
    import re
    facts_json = html.unescape(re.search(r'name="facts_json" value="([^"]*)"', result.text).group(1))
    applied = form(sme, "/sme/ladder/apply", {"tier": "innovative", "facts_json": facts_json})
    assert applied.status_code == 303 and applied.headers["location"].startswith("/sme/ladder/applications/")
    again = form(sme, "/sme/ladder/apply", {"tier": "innovative", "facts_json": facts_json})
    assert "error=" in again.headers["location"]  # already under review
    assessed = form(sme, "/sme/ladder/assess", data)  # walk14: the page offered to apply again, then refused
    assert 'data-testid="pending-application"' in assessed.text and "apply-form" not in assessed.text
    assert f'href="{applied.headers["location"]}"' in assessed.text


@pytest.mark.parametrize("language,phrase", [("zh_CN", "专精特新梯度培育"), ("en", "Specialised and innovative SME ladder")])
def test_the_pages_in_both_languages(world, language, phrase):
    for who in ("ks_user", "jiangsu", "ministry"):
        client = client_for(world, who, language)
        for url in ("/sme/ladder", "/sme/ladder/assess?tier=specialized", "/sme/ladder/applications",
                    "/sme/ladder/recognitions", "/sme/ladder/key-nodes"):
            page = client.get(url)
            assert page.status_code == 200, (who, url, page.text[:300])
        assert phrase in client.get("/sme/ladder").text
    if language == "en":  # the walk saw the tiers table open its cells lower case: 'innovative SME', 'the province'
        hub = client.get("/sme/ladder").text
        assert ('<td data-label="Tier"><strong>Innovative SME</strong></td><td data-label="Recognised by">The province</td>'
                in hub and '<td data-label="What it takes" class="small">A score of 60' in hub)


def test_the_hub_reads_rows_and_reuses_the_dashboards(world):
    """Issue 15: the hub's applications, recognitions and re-reviews due are read as rows (one statement each) and an
    authority's dashboards are reused within the data epoch — the same page, fewer statements (9 on main)."""
    jiangsu = client_for(world, "jiangsu")
    first = jiangsu.get("/sme/ladder")
    assert first.status_code == 200 and 'data-testid="by-region"' in first.text
    assert jiangsu.get("/sme/ladder").text == first.text  # (a request that wrote, e.g. a session touch, stores nothing)
    statements = []

    def note(*args):
        statements.append(args[2])
    event.listen(world.engine, "before_cursor_execute", note)
    try:
        again = jiangsu.get("/sme/ladder")
    finally:
        event.remove(world.engine, "before_cursor_execute", note)
    assert again.text == first.text
    assert len(statements) <= 4, statements


def test_the_tiers_read_as_one_labelled_card_each_on_a_phone(world):
    """Failed before (lane walk13): four columns in 390 px squeezed the rules into a word a line."""
    page = client_for(world, "ks_user", "en").get("/sme/ladder").text
    table = page.split('data-testid="tiers">')[1].split("</table>")[0]
    assert 'class="cards" data-testid="tiers"' in page  # app.css: table.cards, one card per row on a phone
    headings = re.findall(r"<th>([^<]+)</th>", table)
    for row in re.findall(r"<tr>(.*?)</tr>", table.split("<tbody>")[1], re.S):
        assert re.findall(r'data-label="([^"]+)"', row) == headings == ["Tier", "Recognised by", "What it takes"]
