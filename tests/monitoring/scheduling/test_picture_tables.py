"""The picture page's links and table rows built in Python (issue 15: the template's loops, ~120 query strings and
~40 figure rows through Jinja, were a third of a fresh picture) are the bytes the template's loops made."""

from datetime import date
from types import SimpleNamespace

import pytest
from markupsafe import Markup, escape

from chainkeeper.monitoring.scheduling import picture_tables as tables
from chainkeeper.monitoring.scheduling.cells import cells_html
from chainkeeper.monitoring.scheduling.figures import Breakdown, Figures
from chainkeeper.monitoring.scheduling.service import Picture, Scope
from chainkeeper.web.pages.queries import shown_text
from chainkeeper.web.pages.rendering import environment

DAY = date(2022, 4, 20)
SCOPES = [("", "", None), ("32", "", None), ("3205", "auto", 3), ("", "a&b c+<d>", 7), ("江苏", "", 12)]
OLD_LOOPS = {  # picture.html's loops before the rows were built in Python (main at b5d7bf2)
    "groups": """{% for part in view.by_group %}{% set gid = part.key|int %}
      <tr><td><a href="/monitoring/picture?{{ query(group=gid) }}" translate="no">{{ view.group_names[gid] }}</a></td>
        <td class="num">{% if part.figures.output_index is none %}—{% else %}{{ "%.1f"|format(part.figures.output_index) }}{% endif %}</td>
        {{ figure_cells(part.figures, query(group=gid)) }}</tr>
    {% endfor %}""",
    "regions": """{% for part in view.by_region %}
      <tr data-region="{{ part.key }}"><th scope="row"><a href="/monitoring/picture?{{ query(region=part.key) }}" translate="no">{{ names.get(part.key, part.key) }}</a></th>{{ figure_cells(part.figures, query(region=part.key)) }}</tr>
      {% if part.children|length > 1 %}{% for city in part.children %}
      <tr data-region="{{ city.key }}" class="sub"><td>　<a href="/monitoring/picture?{{ query(region=city.key) }}" translate="no">{{ names.get(city.key, city.key) }}</a></td>{{ figure_cells(city.figures, query(region=city.key)) }}</tr>
      {% endfor %}{% endif %}
    {% endfor %}""",
    "chains": """{% for part in view.by_chain %}
      <tr><th scope="row">{% if part.key %}<a href="/monitoring/picture?{{ query(chain=part.key) }}">{{ chain_names.get(part.key, part.key) }}</a>{% else %}{{ _("no key chain") }}{% endif %}</th>{{ figure_cells(part.figures, query(chain=part.key)) }}</tr>
    {% endfor %}""",
    "problems": """{% for row in view.problems %}
      <tr><td><a href="/enterprises/{{ row.uscc }}" translate="no">{{ row.name }}</a></td><td translate="no">{{ row.problem }}</td>
        <td><a href="/monitoring/scheduling/reports/{{ row.report_id }}">{{ _("Open the report") }}</a></td></tr>
    {% endfor %}""",
}


def figure_cells(figures, query: str) -> Markup:
    """The template's old call for a row's figure cells: the query escaped by Jinja's ``escape``."""
    return Markup(cells_html(figures, escape(query)))


def _figures(members: int, reported: int, resumed: int, value: float, baseline: float) -> Figures:
    return Figures(members, reported, resumed, value, baseline, reported * 3, reported * 4)


def _picture() -> Picture:
    """A picture with odd values: names to escape, a city-less and a two-city province, no chain, no report."""
    cities = (Breakdown("3205", _figures(4, 3, 2, 1.0 / 3, 0.7)), Breakdown("3206", _figures(1, 0, 0, 0.0, 0.0)))
    problem = dict(uscc="9132<&>", name='A "firm" & co', problem="停电 <b>", report_id=41)
    return Picture(
        day=DAY, scope=Scope(), figures=_figures(9, 7, 5, 12.5, 20.0),
        by_region=[Breakdown("32", _figures(5, 3, 2, 1.0 / 3, 0.7), cities),
                   Breakdown("42", _figures(3, 3, 3, 2.675, 3.0), (cities[0],)),
                   Breakdown("99<", _figures(1, 1, 0, 0.0, 0.0))],
        by_chain=[Breakdown("", _figures(2, 1, 1, 1.0, 2.0)), Breakdown("auto", _figures(7, 6, 4, 0.05, 3.0)),
                  Breakdown("x&y", _figures(1, 0, 0, 0.0, 0.0))],
        by_group=[Breakdown("3", _figures(6, 5, 4, 10.0, 12.0)), Breakdown("12", _figures(2, 0, 0, 0.0, 0.0))],
        group_names={3: "一组 <&>", 12: "'two'"}, days=[DAY], series={}, total_series=[],
        rows=[SimpleNamespace(**problem), SimpleNamespace(**problem | {"problem": "", "report_id": 42}),
              SimpleNamespace(**problem | {"name": "二", "report_id": 43})])


@pytest.mark.parametrize("region, chain, group", SCOPES)
def test_the_links_are_the_scope_queries(region, chain, group):
    links = tables.ScopeLinks(DAY, region, chain, group)
    scope = {"region": region, "chain": chain, "group": group}
    assert links() == links.scope == tables.scope_query(DAY, **scope)
    for extra in ({"figure": "staff"}, {"figure": "reported", "state": "missing"}, {"region": "3205"},
                  {"figure": "resumption", "region": "42"}, {"chain": "a b"}, {"group": 5}, {"group": None}):
        assert links(**extra) == tables.scope_query(DAY, **(scope | extra)), extra
    for key, value in (("region", "3205"), ("region", ""), ("chain", "auto"), ("chain", ""), ("group", 9),
                       ("group", None), ("region", "江苏 &")):
        assert links.varied(key, value) == tables.scope_query(DAY, **(scope | {key: value})), (key, value)
        assert links.varied_html(key, value) == escape(links.varied(key, value))


@pytest.mark.parametrize("language", ["zh_CN", "en"])
@pytest.mark.parametrize("region, chain, group", SCOPES)
def test_the_rows_are_those_the_template_loops_made(language, region, chain, group):
    view = _picture()
    names = {"32": "江苏省", "3205": "苏州<市>", "42": "湖北 & co"}
    chain_names = {"auto": "汽车", "x&y": "<x>"}
    links = tables.ScopeLinks(DAY, region, chain, group)

    def query(**extra) -> str:
        return tables.scope_query(DAY, **({"region": region, "chain": chain, "group": group} | extra))

    env = environment(language)
    old = {name: env.from_string(loop).render(view=view, names=names, chain_names=chain_names, query=query,
                                              figure_cells=figure_cells)
           for name, loop in OLD_LOOPS.items()}
    assert tables.group_rows(view, links) == old["groups"]
    assert tables.region_rows(view, names, links) == old["regions"]
    assert tables.chain_rows(view, chain_names, links, shown_text("no key chain", language)) == old["chains"]
    assert tables.problem_rows(view, shown_text("Open the report", language)) == old["problems"]
    assert "&amp;" in old["groups"] and "&lt;&amp;&gt;" in old["groups"] and 'class="sub"' in old["regions"]
