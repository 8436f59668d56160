"""The registry pages' first views, sprint 10 (issue 15, lane regfresh2): one way to keep prebuilt statements, the
bounds of a page public, the list's rows made in Python, its table's head and foot kept per listing."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from sqlalchemy.orm import Session
from factories import enterprise_row
from web.pages.page_support import form_token, sign_in

from chainkeeper.auth.roles import Principal, Role
from chainkeeper.auth.scope import enterprise_scope
from chainkeeper.core.rows import Memo
from chainkeeper.registry import service as registry
from chainkeeper.registry.importing import import_rows
from chainkeeper.registry.models import Enterprise
from chainkeeper.web.kept_blocks import kept_cache
from chainkeeper.web.pages import kept_parts, queries
from chainkeeper.web.pages import registry as registry_pages
from chainkeeper.web.pages.rendering import environment
from chainkeeper.web.pages.tables import Listing

OLD_ROW = """{% for e in rows %}
      <tr>
        <td><a href="/enterprises/{{ e.uscc }}">{{ e.name }}</a></td>
        <td class="mono">{{ e.uscc }}</td>
        <td>{{ e.region }}</td>
        <td><span class="mono">{{ e.industry_code }}</span> {{ e.industry }}</td>
        <td>{{ e.size }}</td>
        <td>{{ e.chain }}</td>
        <td>{{ e.labels }}</td>
      </tr>
{% endfor %}"""
"""The rows' loop of ``enterprises/_table.html`` before sprint 10, which rendered each cell of each row."""

COUNTY = Principal(user_id=99, username="t_county", display_name="t", roles=frozenset({Role.county}),
                   region_code="320583")
MINISTRY = Principal(user_id=98, username="t_ministry", display_name="t", roles=frozenset({Role.ministry}))


def test_the_pages_keep_their_statements_in_memos():
    """Before: the record and visibility statements were kept by ``functools.lru_cache``, the searches by a Memo."""
    for build in (queries._record_statement, queries._visible_statement):
        assert not hasattr(build, "cache_clear"), build
        assert build(COUNTY) is build(COUNTY)
    assert queries._record_statement(COUNTY) is not queries._visible_statement(COUNTY)


def test_the_bounds_of_a_page_are_public():
    """Before: only the private ``_bounds``, which the pages called with a ``noqa``."""
    assert registry.page_bounds(0, 0) == (1, 1)
    assert registry.page_bounds(3, 10_000) == (3, registry.MAX_PAGE_SIZE)
    assert registry.page_bounds(2, 50) == (2, 50)


@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_the_rows_are_made_as_the_template_made_them(language):
    """Before: no ``ROW``; the template's loop rendered and escaped every cell (a third of the page's own CPU)."""
    sizes, labels = queries.shown_names("sizes", language), queries.shown_names("labels", language)
    items = [SimpleNamespace(uscc="91320583MA1X0000A1", name='<Kunshan> & "Sons"', county_code="320583",
                             industry_code="3670", size="small", chain_code="ic", labels="leading,key_node"),
             SimpleNamespace(uscc="91320583MA1X0000B2", name="无标签", county_code="999999", industry_code="0000",
                             size="micro", chain_code=None, labels=None)]
    regions, industries, chains = {"320583": "昆山市"}, {"3670": "汽车零部件"}, {"ic": "集成电路 <IC>"}
    old = [SimpleNamespace(uscc=e.uscc, name=e.name, region=regions.get(e.county_code, e.county_code),
                           industry_code=e.industry_code, industry=industries.get(e.industry_code, ""),
                           size=sizes[e.size], chain=chains.get(e.chain_code, ""),
                           labels=registry_pages._label_tags(e.labels, labels)) for e in items]
    expected = environment(language).from_string(OLD_ROW).render(rows=old)
    session = SimpleNamespace()
    queries_names = (queries.region_names, queries.industry_names)
    try:
        queries.region_names = lambda _session, codes: {c: regions[c] for c in codes if c in regions}
        queries.industry_names = lambda _session, codes: {c: industries[c] for c in codes if c in industries}
        made = registry_pages.table_rows(session, items, chains, language)
    finally:
        queries.region_names, queries.industry_names = queries_names
    assert "".join(f"{row}\n" for row in made) == expected
    assert "&lt;Kunshan&gt; &amp; &#34;Sons&#34;" in expected


def test_a_listing_s_head_and_foot_are_rendered_once(client, world, engine, monkeypatch):
    """A second first view of the same listing reuses its table's head and foot (before: its six sortable headings
    and its pager were rendered again, each heading building its URL)."""
    more = [enterprise_row(name=f"苏州表头{i}有限公司", county_code="320505") for i in range(25)]
    assert import_rows(engine, "enterprises", more).written
    monkeypatch.setattr(kept_parts, "_PARTS", Memo(16))  # parts kept by an earlier test are not this one's
    sign_in(client, "user_ministry")
    path = "/enterprises?sort=region&dir=desc&page=2"
    first = client.get(path).text
    built = []
    sort_url = Listing.sort_url
    monkeypatch.setattr(Listing, "sort_url", lambda self, column: built.append(column) or sort_url(self, column))
    kept_cache(client.app).clear()
    assert client.get(path).text.replace(*_tokens(first, client.get(path).text)) == first
    assert built == []
    client.get("/enterprises?sort=uscc")
    assert len(built) == 6  # another listing: its own head


def _tokens(first: str, again: str) -> tuple[str, str]:
    """(the CSRF token of ``again``, that of ``first``): the pages differ by nothing else."""
    return form_token(again), form_token(first)


def test_a_national_count_has_no_condition(engine):
    """Before: ``WHERE 1 = 1`` (SQLite) or ``WHERE true``, which made SQLite read all 100,000 index entries of a
    national full page's count (1.3 ms) instead of counting the table's pages (0.02 ms)."""
    county = registry.region_clause("320583")
    with Session(engine) as session:
        counts = [str(registry.enterprise_statements(session, (Enterprise.id,), registry.EnterpriseFilter(), scope,
                                                     [Enterprise.name])[1].compile(engine)) for scope in
                  (enterprise_scope(MINISTRY), county)]
    assert "WHERE" not in counts[0], counts[0]
    assert "WHERE enterprise.county_code =" in counts[1], counts[1]
