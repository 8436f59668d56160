"""An enterprise page's render (issue 15, sprint 13, lane picrender): the tiers' rows are the HTML the template made
per link, built in Python, and each tier's pagination is rendered once per listing and pager, then kept."""

from __future__ import annotations

from web.pages.page_support import sign_in

from chainkeeper.registry.link_rows import End, LinkRow, ProductName
from chainkeeper.web.kept_blocks import kept_cache
from chainkeeper.web.pages import kept_parts
from chainkeeper.web.pages.registry import link_table_rows
from chainkeeper.web.pages.rendering import environment

OLD_ROWS = """{% for link in links %}{% set other = others[loop.index0] %}
      <tr>
        <td>{% if other.id in openable %}<a href="/enterprises/{{ other.uscc }}">{{ other.name }}</a>{% else %}{{ other.name }}{% endif %}</td>
        <td class="mono">{{ other.uscc }}</td>
        <td>{{ link.product.name if link.product else "—" }}</td>
        <td class="num">{{ "{:,.0f}".format(link.annual_value) }}</td>
        <td class="num">{{ link.lead_time_days if link.lead_time_days is not none else "—" }}</td>
        <td class="num">{{ link.inventory_days if link.inventory_days is not none else "—" }}</td>
        <td>{{ _("yes") if link.essential else _("no") }}</td>
      </tr>
{% endfor %}"""
"""``enterprises/_links.html`` 's loop as it was before the values were formatted in Python (sprint 9)."""


def test_the_link_rows_are_those_the_template_made_per_link():
    ends = [End(1, "91320583A<", "昆山<线束>"), End(2, "91320583B", "宁波 & 零件")]
    links = [LinkRow(10, 1, 3, 1234567.5, 7.0, None, True, ends[0], End(3, "C", "c"), ProductName("线束 & <b>")),
             LinkRow(11, 2, 3, 0.4, None, 12.5, False, ends[1], End(3, "C", "c"), None),
             LinkRow(12, 2, 3, 9e9, 3, 0, True, ends[1], End(3, "C", "c"), None)]
    for language in ("zh_CN", "en"):
        old = environment(language).from_string(OLD_ROWS).render(links=links, others=[*ends, ends[1]],
                                                                  openable={2})
        assert link_table_rows(links, [*ends, ends[1]], {2}, language) == old
        assert "&lt;b&gt;" in old and ("是" in old if language == "zh_CN" else "yes" in old)
    assert link_table_rows([], [], set(), "en") == ""


def test_a_tiers_pagination_is_rendered_once_per_listing_and_pager(client, world, engine):
    """A second first view of the same page and query renders no pagination: both tiers' are kept, and they are
    the ``pagination`` macro's own markup."""
    sign_in(client, "user_ministry")
    path = f"/enterprises/{world.kunshan['uscc']}"
    first = client.get(path).text
    kept_cache(client.app).clear()
    module = environment("zh_CN").get_template("macros.html").module
    calls = []
    original = module.pagination

    def counted(*args):
        calls.append(args)
        return original(*args)

    module.pagination = counted
    try:
        assert client.get(path).text == first
    finally:
        module.pagination = original
    assert calls == []
    feet = [value for key, value in kept_parts._PARTS._values.items()
            if key[:3] == ("zh_CN", "macros.html", "pagination") and key[3][0] == path]
    assert len(feet) == 2 and all(str(foot) in first for foot in feet)
