"""Words of the early-warning pages and messages (translated where shown)."""

from __future__ import annotations

from chainkeeper.i18n import _

LEVEL_LABELS = {"red": _("Red"), "yellow": _("Yellow"), "blue": _("Blue")}
KIND_LABELS = {
    "below": _("growth below a threshold"),
    "mom_drop": _("drop month on month"),
    "below_national": _("below the national figure"),
    "robust_z": _("robust z-score"),
    "stl_residual": _("seasonal-trend residual"),
    "inventory_levels": _("days of inventory"),
    "price_rise": _("price rise"),
}
LINE_LABELS = {
    "threshold": _("threshold"), "drop_line": _("previous figure less the drop"),
    "rise_line": _("base price plus the rise"), "red": _("red limit"), "yellow": _("yellow limit"),
    "blue": _("blue limit"),
}
SUBJECT_LABELS = {"region": _("region"), "indicator": _("industry or product"), "enterprise": _("enterprise"),
                  "input": _("raw material")}
PARAM_LABELS = {
    "threshold": _("threshold (percent)"), "points": _("drop (percentage points)"), "gap": _("gap to the national figure (points)"),
    "k": _("limit k (robust sigmas)"), "window": _("window (periods)"), "min_history": _("least history (periods)"),
    "direction": _("direction (low, high, both)"), "period": _("seasonal period (months)"),
    "min_cycles": _("least history (seasons)"), "red": _("red below (days)"), "yellow": _("yellow below (days)"),
    "blue": _("blue below (days)"), "percent": _("rise (percent)"), "periods": _("over (periods)"),
    "inputs": _("input industries (codes, comma-separated)"), "series": _("price series (indicator code)"),
}
FIGURE_LABELS = {
    "threshold": _("threshold"), "gap": _("distance to the threshold"), "previous": _("previous figure"),
    "previous_period": _("previous period"), "drop": _("drop (points)"), "points": _("drop that warns"),
    "national": _("national figure"), "behind": _("behind the national figure (points)"),
    "median": _("median"), "sigma": _("robust sigma"), "z": _("z-score"), "k": _("limit k"),
    "expected": _("expected (trend + season)"), "residual": _("residual"), "days": _("days of inventory"),
    "limit": _("limit (days)"), "base": _("base price"), "base_period": _("base period"),
    "rise_percent": _("rise (percent)"), "percent": _("rise that warns (percent)"), "periods": _("periods"),
}
INDICATOR_NAMES = {"inventory_days": _("days of inventory"), "raw_material_price": _("raw-material price")}
