"""A run's result as CSV or XLSX, in the reader's language: names, region names and rounded figures.

Every value passes through :func:`cell` on its way into a file, so one function decides how a cell is written (the
place to neutralise spreadsheet formulas for every export of this module).
"""

from __future__ import annotations

import csv
import io


from chainkeeper.analysis.results import ResultView
from chainkeeper.i18n import _, translate

FIRM_HEADINGS = (_("USCC"), _("Enterprise"), _("Region"), _("White-listed"), _("Cut by the scenario"),
                 _("Below 90% on day"), _("Below 50% on day"), _("Lowest level (%)"), _("Bound by input"),
                 _("Output lost (days of normal output)"))
OUTSIDE_HEADINGS = (_("Province (outside your scope, totals only)"), _("Hit enterprises"), _("Of which below 50%"),
                    _("Lowest level (%)"))
DAILY_HEADINGS = (_("Day"), _("National production (% of normal)"))


def cell(value):
    """How one value is written into a CSV or XLSX cell (numbers stay numbers, None is empty)."""
    if value is None:
        return ""
    return value


def _percent(level: float) -> float:
    return round(level * 100, 1)


def firm_rows(view: ResultView, language: str) -> list[list]:
    """One row per hit enterprise inside the viewer's scope."""
    yes, no = translate(_("yes"), language), translate(_("no"), language)
    return [[hit.uscc, hit.name, hit.region_name, yes if hit.listed else no, yes if hit.shocked else no,
             hit.first_below_90, hit.first_below_50, _percent(hit.min_level),
             f"{hit.limiting_industry} {hit.limiting_name}".strip() if hit.limiting_industry else "",
             round(hit.lost_days, 1)] for hit in view.hits]


def outside_rows(view: ResultView) -> list[list]:
    """One row per province outside the viewer's scope."""
    return [[total.province_name, total.firms, total.below_50, _percent(total.lowest)] for total in view.outside]


def daily_headings(view: ResultView, language: str) -> list[str]:
    """Day, national, then one column per province and key chain that fell below 99.9% (names in ``language``)."""
    return [translate(h, language) for h in DAILY_HEADINGS] + [name for _k, _c, name in _daily_columns(view)]


def _daily_columns(view: ResultView) -> list[tuple[str, str, str]]:
    columns = []
    for kind, names in (("provinces", view.province_names), ("chains", view.chain_names)):
        for code, levels in sorted(view.series.get(kind, {}).items()):
            if levels and min(levels) < 0.999:
                columns.append((kind, code, names.get(code, code)))
    return columns


def daily_rows(view: ResultView) -> list[list]:
    """One row per day: production as a percentage of normal (one decimal)."""
    columns = _daily_columns(view)
    national = view.series.get("national", [])
    return [[day, _percent(level)] + [_percent(view.series[kind][code][day]) for kind, code, _n in columns]
            for day, level in enumerate(national)]


def _headings(headings, language: str) -> list[str]:
    return [translate(h, language) for h in headings]


def to_csv(view: ResultView, language: str) -> bytes:
    """The hit enterprises, then the totals outside the scope (UTF-8 with BOM for spreadsheet programs)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for headings, rows in ((_headings(FIRM_HEADINGS, language), firm_rows(view, language)),
                           (_headings(OUTSIDE_HEADINGS, language), outside_rows(view))):
        if rows or headings[0] == translate(FIRM_HEADINGS[0], language):
            writer.writerow([cell(v) for v in headings])
            writer.writerows([cell(v) for v in row] for row in rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def daily_csv(view: ResultView, language: str) -> bytes:
    """Production per day as a percentage of normal: national, then each province and chain that fell."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([cell(v) for v in daily_headings(view, language)])
    writer.writerows([cell(v) for v in row] for row in daily_rows(view))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(view: ResultView, language: str) -> bytes:
    """Three sheets: hit enterprises, totals outside the scope, production per day."""
    from openpyxl import Workbook  # openpyxl on first use, not at start-up
    book = Workbook(write_only=True)
    sheets = ((_("Enterprises"), _headings(FIRM_HEADINGS, language), firm_rows(view, language)),
              (_("Other regions"), _headings(OUTSIDE_HEADINGS, language), outside_rows(view)),
              (_("Per day"), daily_headings(view, language), daily_rows(view)))
    for title, headings, rows in sheets:
        sheet = book.create_sheet(translate(title, language)[:31])
        sheet.append([cell(v) for v in headings])
        for row in rows:
            sheet.append([cell(v) for v in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
