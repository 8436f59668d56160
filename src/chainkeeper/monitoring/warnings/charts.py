"""The chart that explains a warning, and the same numbers as a table, from the warning's kept explanation.

Drawn by ``static/js/warnings.js`` (ECharts): the series, the national reference, the band (robust z, STL) or the
floor (national − gap), the threshold lines, and the warned period marked.
"""

from __future__ import annotations

from chainkeeper.i18n import _, translate
from chainkeeper.monitoring.warnings.labels import KIND_LABELS, LINE_LABELS
from chainkeeper.monitoring.warnings.models import EarlyWarning

UNITS = {"inventory_levels": _("days"), "price_rise": ""}


def _periods(explanation: dict) -> list[str]:
    found = {row[0] for key in ("series", "reference", "band", "floor") for row in explanation.get(key) or []}
    return sorted(found)


def _aligned(periods: list[str], rows, column: int = 1) -> list[float | None]:
    values = {row[0]: row[column] for row in rows or []}
    return [values.get(period) for period in periods]


def warning_chart(warning: EarlyWarning, language: str) -> dict:
    """The chart spec of a warning (``kind: warning``)."""
    explanation = warning.explanation or {}
    periods = _periods(explanation)
    say = lambda text: translate(text, language)  # noqa: E731
    series = [{"name": say(_("Value")), "data": _aligned(periods, explanation.get("series")), "role": "value"}]
    if explanation.get("reference"):
        series.append({"name": say(_("National")), "data": _aligned(periods, explanation["reference"]),
                       "role": "reference"})
    if explanation.get("floor"):
        series.append({"name": say(_("National less the gap")), "data": _aligned(periods, explanation["floor"]),
                       "role": "floor"})
    band = None
    if explanation.get("band"):
        band = {"name": say(_("Expected range")), "low": _aligned(periods, explanation["band"], 1),
                "high": _aligned(periods, explanation["band"], 2)}
    lines = [{"name": say(LINE_LABELS.get(line["name"], line["name"])), "value": line["value"], "level": line["name"]}
             for line in explanation.get("lines") or []]
    title = translate(_("{kind}: the series, what the rule expects and the warned period ({period})"), language,
                      kind=say(KIND_LABELS.get(warning.kind, warning.kind)), period=warning.period)
    return {"kind": "warning", "title": title, "periods": periods, "series": series, "band": band, "lines": lines,
            "mark": warning.period, "mark_label": say(_("warned")), "unit": say(UNITS.get(warning.kind, "%")) or ""}


def chart_table(chart: dict) -> dict:
    """The chart's numbers as rows: period, each series, the band's low and high."""
    headings = [s["name"] for s in chart["series"]]
    columns = [s["data"] for s in chart["series"]]
    if chart["band"]:
        headings += [f"{chart['band']['name']} ↓", f"{chart['band']['name']} ↑"]
        columns += [chart["band"]["low"], chart["band"]["high"]]
    rows = [[period] + [column[i] for column in columns] for i, period in enumerate(chart["periods"])]
    return {"headings": headings, "rows": rows, "mark": chart["mark"]}
