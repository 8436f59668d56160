"""What a first view of the registry pages costs (issue 15, sprint 9, lane regfresh): the statements are built once
per caller and run on the session's connection (no ORM execution step), a page that is not full is not counted,
and a scoped caller's prebuilt statements keep its scope."""

from __future__ import annotations

from factories import enterprise_row, link_row
from sqlalchemy import event
from sqlalchemy.orm import Session
from web.pages.page_support import sign_in, statements_of

from chainkeeper.registry.importing import import_rows
from chainkeeper.web.kept_blocks import kept_cache


def _first_view(engine, client, path: str) -> list[str]:
    """The selects of a first view of ``path`` after a warming one (its kept blocks forgotten)."""
    client.get(path)
    kept_cache(client.app).clear()
    return [s for s in statements_of(engine, client, path) if s.lstrip().upper().startswith("SELECT")]


def _orm_executions(client, path: str) -> int:
    """How many statements a first view of ``path`` sent through the ORM's ``Session.execute``."""
    client.get(path)
    kept_cache(client.app).clear()
    seen = []
    listener = lambda state: seen.append(state.statement)  # noqa: E731
    event.listen(Session, "do_orm_execute", listener)
    try:
        assert client.get(path).status_code == 200
    finally:
        event.remove(Session, "do_orm_execute", listener)
    return len(seen)


def test_an_enterprise_with_few_links_is_shown_without_counting_them(client, world, engine):
    """Both tiers of Kunshan's page are shorter than a page: their totals are the rows shown (before: one count
    per tier, 8 selects)."""
    sign_in(client, "user_ministry")
    statements = _first_view(engine, client, f"/enterprises/{world.kunshan['uscc']}")
    assert not any("count(" in s.lower() for s in statements), statements
    assert len(statements) <= 6, statements


def test_a_short_search_page_is_not_counted(client, world, engine):
    sign_in(client, "user_ministry")
    statements = _first_view(engine, client, "/enterprises?q=" + world.kunshan["name"][:4])
    assert len(statements) == 1 and "count(" not in statements[0].lower(), statements
    assert world.kunshan["uscc"] in client.get("/enterprises?q=" + world.kunshan["name"][:4]).text


def test_a_full_page_is_still_counted(client, world, engine):
    """23 firms, 20 a page: the first page is counted (23), the last one (3 rows) is not and says the same."""
    more = [enterprise_row(name=f"苏州测试{i}有限公司", county_code="320505") for i in range(20)]
    assert import_rows(engine, "enterprises", more).written
    sign_in(client, "user_ministry")
    statements = _first_view(engine, client, "/enterprises")
    assert sum("count(" in s.lower() for s in statements) == 1, statements
    assert "23" in client.get("/enterprises").text
    last = _first_view(engine, client, "/enterprises?page=2")
    assert not any("count(" in s.lower() for s in last), last
    assert client.get("/enterprises?page=2").text.count("/enterprises/9") == 3


def test_the_registry_pages_run_no_statement_through_the_orm(client, world, engine):
    """The record, both tiers, the picture's links and the history (before: 7 ORM executions) and the list's
    page (before: 2) run on the connection, their statements built once per caller."""
    sign_in(client, "user_ministry")
    assert _orm_executions(client, f"/enterprises/{world.kunshan['uscc']}") == 0
    assert _orm_executions(client, "/enterprises") == 0


def test_prebuilt_statements_keep_each_callers_scope(client, world, engine):
    """A national reader and then a Jiangsu one open the same enterprise: the province's page names Changchun
    (outside it) without a link to it, the national page links it."""
    upstream = enterprise_row(name="苏州芯片有限公司", county_code="320505")
    assert import_rows(engine, "enterprises", [upstream]).written
    assert import_rows(engine, "links", [link_row(upstream["uscc"], world.kunshan["uscc"])]).written
    changchun = f'<a href="/enterprises/{world.changchun["uscc"]}">'
    sign_in(client, "user_ministry")
    assert changchun in client.get(f"/enterprises/{world.kunshan['uscc']}").text
    client.cookies.clear()
    sign_in(client, "user_province")
    page = client.get(f"/enterprises/{world.kunshan['uscc']}").text
    assert f'<a href="/enterprises/{upstream["uscc"]}">' in page and changchun not in page
    assert client.get(f"/enterprises/{world.changchun['uscc']}").status_code == 404
    assert world.changchun["uscc"] not in client.get("/enterprises").text


def test_an_empty_first_page_of_the_api_is_not_counted(client, world, engine):
    """No enterprise matches: the total is 0 without a count (before: the empty page was counted)."""
    from chainkeeper.web.json_api import KEPT_ANSWERS

    sign_in(client, "user_ministry")
    client.get("/api/v1/enterprises", params={"q": "无此企业"})
    KEPT_ANSWERS.clear()
    sent = [s for s in statements_of(engine, client, "/api/v1/enterprises?q=%E6%97%A0%E6%AD%A4%E4%BC%81%E4%B8%9A")
            if s.lstrip().upper().startswith("SELECT")]
    assert len(sent) == 1 and "count(" not in sent[0].lower(), sent
    assert client.get("/api/v1/enterprises", params={"q": "无此企业"}).json()["total"] == 0


OLD_ROW = """{% for link in links %}{% set other = others[loop.index0] %}
<td>{% if other.id in openable %}<a href="/enterprises/{{ other.uscc }}">{{ other.name }}</a>{% else %}{{ other.name }}{% endif %}</td>
<td>{{ link.product.name if link.product else "—" }}</td><td>{{ "{:,.0f}".format(link.annual_value) }}</td>
<td>{{ link.lead_time_days if link.lead_time_days is not none else "—" }}</td>
<td>{{ link.inventory_days if link.inventory_days is not none else "—" }}</td>
<td>{{ _("yes") if link.essential else _("no") }}</td>{% endfor %}"""
NEW_ROW = """{% for row in rows %}
<td>{% if row.openable %}<a href="/enterprises/{{ row.other.uscc }}">{{ row.other.name }}</a>{% else %}{{ row.other.name }}{% endif %}</td>
<td>{{ row.product }}</td><td>{{ row.value }}</td>
<td>{{ row.lead }}</td>
<td>{{ row.inventory }}</td>
<td>{{ row.essential }}</td>{% endfor %}"""


def test_the_link_rows_show_what_the_template_made_per_link():
    """The tier's rows made once in Python (the template formatted the value and called ``_()`` twice per link)
    show the same HTML as the old per-link template, in both languages."""
    from chainkeeper.registry.link_rows import End, LinkRow, ProductName
    from chainkeeper.web.pages.registry import link_table_rows
    from chainkeeper.web.pages.rendering import environment

    ends = [End(1, "91320583A", "昆山<线束>"), End(2, "91320583B", "宁波 & 零件")]
    links = [LinkRow(10, 1, 3, 1234567.5, 7.0, None, True, ends[0], End(3, "C", "c"), ProductName("线束")),
             LinkRow(11, 2, 3, 0.4, None, 12.5, False, ends[1], End(3, "C", "c"), None)]
    for language in ("zh_CN", "en"):
        env = environment(language)
        old = env.from_string(OLD_ROW).render(links=links, others=ends, openable={2})
        new = env.from_string(NEW_ROW).render(rows=link_table_rows(links, ends, {2}, language))
        assert new == old and ("是" in old if language == "zh_CN" else "yes" in old), old
