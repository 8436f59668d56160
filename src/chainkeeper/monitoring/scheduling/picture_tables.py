"""The picture page's links and tables built in Python: the query string of every link (a hundred a page) from the
scope's parts quoted once, and the rows of the key groups, regions, chains and problems tables.

The same bytes the template's loops made (``trim_blocks``/``lstrip_blocks`` whitespace, every value escaped as
Jinja escapes it): a row per Jinja call instead of a dozen ``Context.call`` s, attribute lookups and ``Markup``
escapes per row, which were most of the page's render. Data only; the page passes the texts.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from functools import lru_cache
from urllib.parse import quote_plus

from markupsafe import Markup, escape

from chainkeeper.monitoring.scheduling.cells import cells_html
from chainkeeper.monitoring.scheduling.service import Picture

SCOPE_PARTS = ("region", "chain", "group")
PICTURE = "/monitoring/picture?"


def scope_query(day: date, region: str = "", chain: str = "", group: int | None = None, **extra) -> str:
    """The query string of a picture scope (empty parts left out): ``urlencode``'s own text, each part quoted once
    per process."""
    params = {"day": day.isoformat(), "region": region, "chain": chain, "group": group or "", **extra}
    return "&".join(filter(None, (_part(key, value) for key, value in params.items())))


@lru_cache(maxsize=4096)
def _quoted(text: str) -> str:
    """``text`` as ``urlencode`` quotes it (``quote_plus``, nothing kept safe)."""
    return quote_plus(text)


def _part(key: str, value) -> str:
    """``key=value`` quoted, or "" for a part left out."""
    return "" if value in ("", None) else f"{_quoted(key)}={_quoted(str(value))}"


class ScopeLinks:
    """The query strings of one picture scope and of its variants, equal to :func:`scope_query` 's with the
    scope's region, chain and group: the scope's parts quoted once, a variant joins them around its one part."""

    def __init__(self, day: date, region: str, chain: str, group: int | None) -> None:
        self._parts = {"day": _part("day", day.isoformat()), "region": _part("region", region),
                       "chain": _part("chain", chain), "group": _part("group", group or "")}
        names = list(self._parts)
        self._around = {key: (self._joined(names[:names.index(key)]), self._joined(names[names.index(key) + 1:]))
                        for key in SCOPE_PARTS}
        self.scope = self._joined(names)

    def _joined(self, names) -> str:
        return "&".join(filter(None, (self._parts[name] for name in names)))

    def __call__(self, **extra) -> str:
        """The scope's query string with ``extra`` parts (a scope part replaced in place, others appended)."""
        varied = {key: _part(key, value or "" if key == "group" else value) for key, value in extra.items()}
        return "&".join(filter(None, (self._parts | varied).values()))

    def varied(self, key: str, value) -> str:
        """The scope's query string with its part ``key`` (region, chain or group) set to ``value``."""
        head, tail = self._around[key]
        return "&".join(filter(None, (head, _part(key, value or "" if key == "group" else value), tail)))

    def varied_html(self, key: str, value) -> str:
        """:meth:`varied` escaped for HTML: the parts are ``quote_plus`` 's text (letters, digits, ``%_.-~+``),
        so the ``&`` between them is all there is to escape."""
        return self.varied(key, value).replace("&", "&amp;")


def group_rows(view: Picture, links: ScopeLinks) -> Markup:
    """The key groups table's rows: each group's link, output index and figures."""
    shown = []
    for part in view.by_group:
        gid = int(part.key)
        query = links.varied_html("group", gid)
        index = part.figures.output_index
        shown.append(f'      <tr><td><a href="{PICTURE}{query}" translate="no">'
                     f'{escape(view.group_names[gid])}</a></td>\n'
                     f'        <td class="num">{"—" if index is None else "%.1f" % index}</td>\n'
                     f'        {cells_html(part.figures, query)}</tr>\n')
    return Markup("".join(shown))


def region_rows(view: Picture, names: Mapping[str, str], links: ScopeLinks) -> Markup:
    """The regions table's rows: each province, then its cities when it has more than one."""
    shown = []
    for part in view.by_region:
        shown.append(_region_row(part, names, links, '<th scope="row">', "</th>", ""))
        if len(part.children) > 1:
            shown.extend(_region_row(city, names, links, "<td>　", "</td>", ' class="sub"') for city in part.children)
    return Markup("".join(shown))


def _region_row(part, names: Mapping[str, str], links: ScopeLinks, opening: str, closing: str, kind: str) -> str:
    query = links.varied_html("region", part.key)
    return (f'      <tr data-region="{escape(part.key)}"{kind}>{opening}<a href="{PICTURE}{query}" translate="no">'
            f'{escape(names.get(part.key, part.key))}</a>{closing}{cells_html(part.figures, query)}</tr>\n')


def chain_rows(view: Picture, chain_names: Mapping[str, str], links: ScopeLinks, no_chain: str) -> Markup:
    """The chains table's rows (``no_chain``: the shown text of the members of no key chain)."""
    shown = []
    for part in view.by_chain:
        query = links.varied_html("chain", part.key)
        name = (f'<a href="{PICTURE}{query}">{escape(chain_names.get(part.key, part.key))}</a>' if part.key
                else no_chain)
        shown.append(f'      <tr><th scope="row">{name}</th>{cells_html(part.figures, query)}</tr>\n')
    return Markup("".join(shown))


def problem_rows(view: Picture, open_text: str) -> Markup:
    """The problems table's rows (``open_text``: the shown text of the link to a report)."""
    return Markup("".join(
        f'      <tr><td><a href="/enterprises/{escape(row.uscc)}" translate="no">{escape(row.name)}</a></td>'
        f'<td translate="no">{escape(row.problem)}</td>\n'
        f'        <td><a href="/monitoring/scheduling/reports/{escape(row.report_id)}">{open_text}</a></td></tr>\n'
        for row in view.problems))
