"""What the registry pages read per request (issue 15, lane pagesreg): the enterprise page's links as rows of the
shown columns with no USCC look-up per tier and its history in one select; the list's labels in its rows' select."""

from __future__ import annotations

from factories import enterprise_row, link_row
from web.pages.page_support import sign_in, statements_of

from chainkeeper.audit.actor import Actor
from chainkeeper.audit.service import record
from chainkeeper.db import unit_of_work
from chainkeeper.registry.importing import import_rows
from chainkeeper.web.kept_blocks import kept_cache


def _selects(engine, client, path: str) -> list[str]:
    """The selects of a first view of ``path`` (after a warming request, its kept blocks forgotten)."""
    client.get(path)
    kept_cache(client.app).clear()
    return [s for s in statements_of(engine, client, path) if s.lstrip().upper().startswith("SELECT")]


def test_the_enterprise_page_reads_its_links_as_rows_and_its_history_once(client, world, engine):
    """Before: 12 statements (11 here) — the enterprise as an entity and then its labels, each tier looked the enterprise's id up again by USCC, each link loaded both ends as
    whole enterprises (contact, labels' columns …) and its product, the history took one select per id."""
    with unit_of_work(engine) as session:
        record(session=session, actor=Actor(None, "importer-x"), action="update", object_type="enterprise",
               object_id=world.changchun["uscc"], before={"size": "medium"}, after={"size": "large"})
    sign_in(client, "user_ministry")
    statements = _selects(engine, client, f"/enterprises/{world.changchun['uscc']}")
    assert len(statements) <= 8, statements
    assert sum("audit_event" in s for s in statements) == 1
    link_reads = [s for s in statements if "supply_link" in s and "count(" not in s]
    assert link_reads and not any("contact_phone" in s for s in link_reads), link_reads  # ends: id, USCC, name


def test_the_enterprise_page_shows_the_same_links_for_a_province(client, world, engine):
    """The rows keep the scope: a Jiangsu reader sees Kunshan's own links, its Suzhou supplier openable, Changchun
    (a customer outside the province) named but not openable."""
    upstream = enterprise_row(name="苏州芯片有限公司", county_code="320505")
    assert import_rows(engine, "enterprises", [upstream]).written
    assert import_rows(engine, "links", [link_row(upstream["uscc"], world.kunshan["uscc"])]).written
    sign_in(client, "user_province")
    page = client.get(f"/enterprises/{world.kunshan['uscc']}").text
    assert f'<a href="/enterprises/{upstream["uscc"]}">苏州芯片有限公司</a>' in page
    assert "长春整车有限公司" in page and f'<a href="/enterprises/{world.changchun["uscc"]}">' not in page
    assert client.get(f"/enterprises/{world.ningbo['uscc']}").status_code == 404


def test_the_registry_list_reads_labels_with_its_rows(client, world, engine):
    """Before: a third select for the page's labels."""
    labelled = enterprise_row(name="昆山龙头有限公司", labels="leading;key_node", county_code="320583")
    assert import_rows(engine, "enterprises", [labelled]).written
    sign_in(client, "user_ministry")
    statements = _selects(engine, client, "/enterprises")
    assert not any(s.lstrip().startswith("SELECT enterprise_label.enterprise_id") for s in statements), statements
    assert len(statements) <= 2, statements
    page = client.get("/enterprises", params={"q": "昆山龙头"}).text
    assert '<span class="tag">关键节点企业</span><span class="tag">龙头企业</span>' in page
