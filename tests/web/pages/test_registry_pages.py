"""Dashboard, registry search and enterprise pages: scoped to the caller, sortable, paginated, htmx fragments."""

import json
import re

from factories import enterprise_row, link_row
from web.pages.page_support import sign_in

from chainkeeper.audit.actor import Actor
from chainkeeper.audit.service import record
from chainkeeper.db import unit_of_work
from chainkeeper.registry.importing import import_rows

ROW_NAME = re.compile(r'<td><a href="/enterprises/\w+">([^<]+)</a></td>')


def names(html: str) -> list[str]:
    return ROW_NAME.findall(html)


def chart(html: str, element_id: str) -> dict:
    match = re.search(rf'<script type="application/json" id="{element_id}-data">(.*?)</script>', html, re.S)
    return json.loads(match.group(1))


def test_dashboard_counts_only_what_the_caller_may_see(client, world):
    sign_in(client, "user_province")
    page = client.get("/overview").text
    assert 'data-testid="total-enterprises">1<' in page
    assert chart(page, "province-chart")["categories"] == ["江苏省"]
    client.cookies.clear()
    sign_in(client, "user_ministry")
    page = client.get("/overview").text
    assert 'data-testid="total-enterprises">3<' in page
    provinces = chart(page, "province-chart")
    assert set(provinces["codes"]) == {"22", "32", "33"} and sum(provinces["series"][1]["data"]) == 2


def test_dashboard_label_counts(client, world, engine):
    assert import_rows(engine, "enterprises", [enterprise_row(labels="leading;key_node")]).written
    sign_in(client, "user_ministry")
    page = client.get("/overview").text
    assert 'data-label="leading">1<' in page and 'data-label="little_giant">0<' in page


def test_jiangsu_authority_cannot_open_a_zhejiang_enterprise(client, world):
    sign_in(client, "user_province")
    assert client.get(f"/enterprises/{world.kunshan['uscc']}").status_code == 200
    response = client.get(f"/enterprises/{world.ningbo['uscc']}")
    assert response.status_code == 404 and "不在您可查看的范围内" in response.text
    listed = client.get("/enterprises").text
    assert names(listed) == ["昆山线束有限公司"]


def test_search_is_traditional_insensitive_and_finds_codes(client, world):
    sign_in(client, "user_analyst")
    assert names(client.get("/enterprises", params={"q": "長春整車"}).text) == ["长春整车有限公司"]
    assert names(client.get("/enterprises", params={"q": world.ningbo["uscc"]}).text) == ["宁波座椅有限公司"]
    assert names(client.get("/enterprises", params={"region": "33"}).text) == ["宁波座椅有限公司"]
    assert names(client.get("/enterprises", params={"industry": "3611"}).text) == ["长春整车有限公司"]
    assert names(client.get("/enterprises", params={"size": "large"}).text) == ["长春整车有限公司"]
    assert "没有符合条件的企业" in client.get("/enterprises", params={"q": "不存在的企业"}).text


def test_sort_and_pages(client, world, engine):
    extra = [enterprise_row(name=f"昆山排序{i:02d}有限公司") for i in range(23)]
    assert import_rows(engine, "enterprises", extra).written
    sign_in(client, "user_ministry")
    first = names(client.get("/enterprises", params={"region": "320583"}).text)
    assert len(first) == 20 and first == sorted(first)
    second = client.get("/enterprises", params={"region": "320583", "page": 2}).text
    assert len(names(second)) == 4 and "第 21–24 条，共 24 条" in second
    descending = names(client.get("/enterprises", params={"region": "320583", "sort": "name", "dir": "desc"}).text)
    assert descending == sorted(first + names(second), reverse=True)[:20]
    by_size = names(client.get("/enterprises", params={"sort": "size", "size": "", "q": "有限公司"}).text)
    assert by_size[0] == "长春整车有限公司"  # the only large firm sorts first
    assert len(names(client.get("/enterprises", params={"size": "", "sz": 1, "page": "x"}).text)) == 20


def test_htmx_gets_only_the_table(client, world):
    sign_in(client, "user_ministry")
    fragment = client.get("/enterprises", params={"q": "宁波"}, headers={"HX-Request": "true"}).text
    assert fragment.lstrip().startswith('<div id="enterprise-table"') and "<html" not in fragment
    assert names(fragment) == ["宁波座椅有限公司"]
    assert 'hx-get="/enterprises?q=%E5%AE%81%E6%B3%A2&amp;sort=name&amp;dir=desc"' in fragment


def test_enterprise_page_shows_tiers_network_and_history(client, world, engine):
    with unit_of_work(engine) as session:
        record(session=session, actor=Actor(None, "importer-x"), action="update", object_type="enterprise",
               object_id=world.changchun["uscc"], before={"size": "medium"}, after={"size": "large"})
    sign_in(client, "user_ministry")
    page = client.get(f"/enterprises/{world.changchun['uscc']}").text
    assert "昆山线束有限公司" in page and "宁波座椅有限公司" in page
    graph = chart(page, "network-chart")
    assert {node["name"] for node in graph["nodes"]} == {"长春整车有限公司", "昆山线束有限公司", "宁波座椅有限公司"}
    assert len(graph["links"]) == 2 and all(node["uscc"] for node in graph["nodes"])
    assert "importer-x" in page and "medium" in page


def test_enterprise_page_network_is_scoped(client, world, engine):
    upstream = enterprise_row(name="苏州芯片有限公司", county_code="320505")
    far = enterprise_row(name="杭州材料有限公司", county_code="330106")
    assert import_rows(engine, "enterprises", [upstream, far]).written
    links = [link_row(upstream["uscc"], world.kunshan["uscc"]), link_row(far["uscc"], world.ningbo["uscc"])]
    assert import_rows(engine, "links", links).written
    sign_in(client, "user_province")
    page = client.get(f"/enterprises/{world.kunshan['uscc']}").text
    graph = chart(page, "network-chart")
    shown = {node["name"]: node["uscc"] for node in graph["nodes"]}
    assert set(shown) == {"昆山线束有限公司", "苏州芯片有限公司", "长春整车有限公司"}  # not Ningbo, not Hangzhou
    assert shown["长春整车有限公司"] is None  # visible through the link, but not openable
    assert f'href="/enterprises/{world.changchun["uscc"]}"' not in page


def test_supplier_table_pages_with_htmx(client, world, engine):
    parts = [enterprise_row(name=f"昆山配件{i:02d}有限公司") for i in range(21)]
    assert import_rows(engine, "enterprises", parts).written
    assert import_rows(engine, "links", [link_row(p["uscc"], world.changchun["uscc"]) for p in parts]).written
    sign_in(client, "user_ministry")
    url = f"/enterprises/{world.changchun['uscc']}"
    fragment = client.get(url, params={"sup_page": 2}, headers={"HX-Request": "true", "HX-Target": "suppliers"})
    assert fragment.text.lstrip().startswith('<div id="suppliers"') and "第 21–23 条，共 23 条" in fragment.text
