"""The picture's charts as JSON for ECharts (drawn by static/js/picture.js): every point carries the address of
the enterprises behind it, so a click drills down."""

from __future__ import annotations

from collections.abc import Callable

from chainkeeper.i18n import _, translate
from chainkeeper.monitoring.scheduling.service import Picture


def _pct(rate: float | None) -> float | None:
    return None if rate is None else round(100.0 * rate, 1)


def index_chart(view: Picture, language: str) -> dict:
    """Each group's output index (baseline = 100) over the last days, and all members together; a click on a
    group's line shows that group's picture."""
    days = [day.isoformat() for day in view.days]
    series = [{"name": translate(_("All key enterprises"), language), "data": [None if v is None else round(v, 1)
                                                                              for v in view.total_series],
               "url": ""}]
    for group_id, values in view.series.items():
        series.append({"name": view.group_names[group_id], "data": [None if v is None else round(v, 1)
                                                                    for v in values],
                       "url": f"/monitoring/picture?day={view.day.isoformat()}&group={group_id}"})
    return {"kind": "index", "days": days, "series": series, "baseline_label": translate(_("baseline"), language),
            "title": translate(_("Output index of the key groups (pre-shock baseline = 100)"), language)}


def region_chart(view: Picture, names: dict[str, str], language: str, query: Callable[..., str]) -> dict:
    """Resumption rate and 达产率 by province; a click lists the province's enterprises behind the figure."""
    parts = view.by_region
    return {"kind": "rates", "categories": [names.get(p.key, p.key) for p in parts],
            "series": [{"name": translate(_("Resumption rate"), language),
                        "data": [_pct(p.figures.resumption_rate) for p in parts],
                        "urls": [f"/monitoring/picture/enterprises?{query(figure='resumption', region=p.key)}"
                                 for p in parts]},
                       {"name": translate(_("Capacity attainment (达产率)"), language),
                        "data": [_pct(p.figures.attainment_rate) for p in parts],
                        "urls": [f"/monitoring/picture/enterprises?{query(figure='attainment', region=p.key)}"
                                 for p in parts]}],
            "title": translate(_("Resumption and capacity attainment by province"), language)}
