"""Chart and table data of the result pages: production per day as a percentage of normal, with the 90% line.

The charts are drawn by ``static/js/app.js`` (kind ``lines``) from these JSON blocks; the same numbers are given as
a table for readers who cannot see the chart.
"""

from __future__ import annotations

from chainkeeper.analysis.results import ResultView
from chainkeeper.i18n import _, translate

MOST_SERIES = 6  # national plus the most-hit provinces and key chains


def _percent(levels) -> list[float]:
    return [round(level * 100, 1) for level in levels]


def most_hit(view: ResultView, language: str, most: int = MOST_SERIES - 1) -> list[tuple[str, list[float]]]:
    """The provinces and key chains that fall lowest, as (name, levels)."""
    candidates = []
    for kind, names, template in (("provinces", view.province_names, "{name}"),
                                  ("chains", view.chain_names, translate(_("{name} chain"), language))):
        for code, levels in view.series.get(kind, {}).items():
            if levels and min(levels) < 0.999:
                candidates.append((min(levels), template.format(name=names.get(code, code)), levels))
    return [(name, levels) for _low, name, levels in sorted(candidates)[:most]]


def _chart(title: str, series: list[tuple[str, list[float]]], language: str) -> dict:
    days = max((len(levels) for _name, levels in series), default=0)
    return {"kind": "lines", "title": title, "days": list(range(days)),
            "series": [{"name": name, "data": _percent(levels)} for name, levels in series],
            "threshold": 90, "threshold_label": translate(_("90% of normal"), language),
            "x_label": translate(_("Day"), language), "y_label": translate(_("% of normal production"), language)}


def result_chart(view: ResultView, language: str) -> dict:
    """National production per day and the most-hit provinces and chains, against the baseline (100%)."""
    national = (translate(_("National"), language), view.series.get("national", []))
    title = translate(_("Production per day as a percentage of normal: national, the most-hit provinces and key "
                        "chains; the dashed line is 90%."), language)
    return _chart(title, [national] + most_hit(view, language), language)


def day_table(view: ResultView, language: str = "zh_CN") -> dict:
    """The chart's numbers as rows: day, then one percentage per series."""
    series = [(translate(_("National"), language), view.series.get("national", []))] + most_hit(view, language)
    days = len(series[0][1])
    return {"headings": [name for name, _levels in series],
            "rows": [[day] + [round(levels[day] * 100, 1) for _name, levels in series] for day in range(days)]}


def compare_chart(a: ResultView, b: ResultView, language: str) -> dict:
    """National production per day of two runs."""
    title = translate(_("National production per day as a percentage of normal in the two runs; the dashed line "
                        "is 90%."), language)
    return _chart(title, [(f"A · {a.run.title}", a.series.get("national", [])),
                          (f"B · {b.run.title}", b.series.get("national", []))], language)
