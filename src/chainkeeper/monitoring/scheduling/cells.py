"""The daily-scheduling pages' repeated table pieces, built in Python: a row's four figure cells (the picture prints
one per group, province, city and chain) and the rows of the enterprises behind a figure (one per member).

They are the same bytes the Jinja macros and loop made before (``trim_blocks``/``lstrip_blocks`` whitespace, values
escaped, texts as the templates' ``_()`` shows them), at a fraction of the cost: the Jinja runtime's call, attribute
lookup and ``Markup`` work per cell were most of these pages' CPU. Data only; the pages pass the texts.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from markupsafe import Markup, escape

from chainkeeper.monitoring.scheduling.figures import Figures, MemberDay

BEHIND = "/monitoring/picture/enterprises?"


def pct(rate: float | None) -> str:
    """A rate as a percentage with one decimal, or — (the ``pct`` macro)."""
    return "—" if rate is None else "%.1f" % (rate * 100) + "%"


def cells_html(figures: Figures, query_html: str) -> str:
    """The four cells of a row of figures, each linking to the enterprises behind it (``query_html``: the row's
    scope as a query string already escaped for HTML)."""
    link = BEHIND + query_html
    return (f'<td class="num"><a href="{link}&figure=reported">{figures.reported} / {figures.members}</a></td>\n'
            f'<td class="num"><a href="{link}&figure=resumption">{pct(figures.resumption_rate)}</a></td>\n'
            f'<td class="num"><a href="{link}&figure=attainment">{pct(figures.attainment_rate)}</a></td>\n'
            f'<td class="num"><a href="{link}&figure=staff">{pct(figures.staff_return_rate)}</a></td>')


def _number(value) -> str:
    """A number as Jinja prints it (``str``, escaped)."""
    return escape(value)


def behind_row(row: MemberDay, city: str, texts: Mapping[str, str]) -> str:
    """One enterprise behind a figure (``city``: its city's name; ``texts``: the shown labels by key — the states,
    the logistics values, ``late`` and ``open``)."""
    state = row.state
    late = f' <span class="tag">{texts["late"]}</span>' if row.late else ""
    if row.reported:
        value = f"{row.output_value or 0:,.2f} / {row.baseline_value:,.2f}"
        staff = f"{_number(row.staff_on_site)} / {_number(row.staff_normal)}"
    else:
        value = staff = "—"
    used = "—" if row.capacity_utilisation is None else f"{_number(row.capacity_utilisation)}%"
    days = row.min_inventory_days
    short = " overdue" if days is not None and days < 3 else ""
    report = (f'<a href="/monitoring/scheduling/reports/{row.report_id}">{texts["open"]}</a>' if row.report_id
              else "")
    return (f'      <tr data-enterprise="{row.enterprise_id}" data-state="{state}"><td><a href="/enterprises/'
            f'{escape(row.uscc)}" translate="no">{escape(row.name)}</a></td>\n'
            f'        <td translate="no">{escape(city)}</td>\n'
            f'        <td><span class="tag{" overdue" if state != "resumed" else ""}">{texts[state]}</span>{late}</td>\n'
            f'        <td class="num">{pct(row.attainment)}</td>\n'
            f'        <td class="num">{value}</td>\n'
            f'        <td class="num">{used}</td>\n'
            f'        <td class="num">{staff}</td>\n'
            f'        <td class="num{short}">{"—" if days is None else _number(days)}</td>\n'
            f'        <td>{texts.get("logistics:" + str(row.logistics), "—")}</td>\n'
            f'        <td>{report}</td></tr>\n')


def behind_rows(rows: Iterable[MemberDay], names: Mapping[str, str], texts: Mapping[str, str]) -> Markup:
    """Every row of the enterprises behind a figure (``names``: the cities' names by code)."""
    return Markup("".join(behind_row(row, names.get(row.city_code, row.city_code), texts) for row in rows))
