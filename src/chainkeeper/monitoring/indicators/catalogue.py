"""The indicators the platform knows, as data: code, names, unit, kind, and the row labels published files use.

``labels`` are the names under which the statistics bureau and the data vendors print the indicator (compared
without spaces, brackets and units), so that a file holding several indicators yields the rows of the one imported.
"""

from __future__ import annotations

from dataclasses import dataclass

from chainkeeper.i18n import _


@dataclass(frozen=True)
class IndicatorSpec:
    """One indicator of the catalogue (see :class:`.models.Indicator`)."""

    code: str
    name_zh: str
    name_en: str
    unit: str
    kind: str
    cumulative: bool = False
    labels: tuple[str, ...] = ()


KINDS = {"yoy_pct": _("year-on-year growth, %"), "level": _("level"), "index": _("index")}

CATALOGUE: tuple[IndicatorSpec, ...] = (
    IndicatorSpec("iva_yoy", "规模以上工业增加值同比增长", "Value added of industry above designated size, YoY", "%",
                  "yoy_pct", labels=("规模以上工业增加值同比增长", "工业增加值同比增长", "规模以上工业增加值当期同比增长",
                                     "规模以上工业增加值增长", "工业增加值当月同比", "规模以上工业增加值当月同比")),
    IndicatorSpec("iva_cum_yoy", "规模以上工业增加值累计增长", "Value added of industry above designated size, "
                  "cumulative YoY", "%", "yoy_pct", cumulative=True,
                  labels=("规模以上工业增加值累计增长", "工业增加值累计增长", "工业增加值累计同比",
                          "规模以上工业增加值累计同比")),
    IndicatorSpec("iva_level", "规模以上工业增加值", "Value added of industry above designated size", "亿元", "level",
                  labels=("规模以上工业增加值",)),
    IndicatorSpec("gio_yoy", "规模以上工业总产值同比增长", "Gross output value of industry above designated size, YoY",
                  "%", "yoy_pct", labels=("规模以上工业总产值同比增长", "工业总产值同比增长", "规模以上工业总产值增长")),
    IndicatorSpec("pmi", "制造业采购经理指数", "Manufacturing purchasing managers' index (PMI)", "%", "index",
                  labels=("制造业采购经理指数", "制造业PMI", "PMI")),
    IndicatorSpec("output_vehicles", "汽车产量", "Output of motor vehicles", "万辆", "level",
                  labels=("汽车产量当期值", "汽车产量", "汽车当期值")),
    IndicatorSpec("output_vehicles_yoy", "汽车产量同比增长", "Output of motor vehicles, YoY", "%", "yoy_pct",
                  labels=("汽车产量同比增长", "汽车产量当期同比增长")),
    IndicatorSpec("output_nev", "新能源汽车产量", "Output of new-energy vehicles", "万辆", "level",
                  labels=("新能源汽车产量当期值", "新能源汽车产量")),
    IndicatorSpec("output_nev_yoy", "新能源汽车产量同比增长", "Output of new-energy vehicles, YoY", "%", "yoy_pct",
                  labels=("新能源汽车产量同比增长", "新能源汽车产量当期同比增长")),
    IndicatorSpec("output_ic", "集成电路产量", "Output of integrated circuits", "亿块", "level",
                  labels=("集成电路产量当期值", "集成电路产量")),
    IndicatorSpec("output_ic_yoy", "集成电路产量同比增长", "Output of integrated circuits, YoY", "%", "yoy_pct",
                  labels=("集成电路产量同比增长", "集成电路产量当期同比增长")),
)
BY_CODE = {spec.code: spec for spec in CATALOGUE}


def normalise_label(text: str) -> str:
    """A row label as compared: no spaces, brackets, units, underscores or 'the month's' wording."""
    out = text.strip().replace(" ", "").replace("\u3000", "").replace("_", "")
    for token in ("(%)", "（%）", "(万辆)", "（万辆）", "(亿块)", "（亿块）", "(亿元)", "（亿元）", "(%", "%"):
        out = out.replace(token, "")
    return out.replace("（", "(").replace("）", ")").strip("()")


def label_matches(spec: IndicatorSpec, label: str) -> bool:
    """True when ``label`` (a row or column title of a file) names ``spec``."""
    wanted = normalise_label(label)
    return bool(wanted) and any(normalise_label(name) == wanted for name in (spec.name_zh, *spec.labels))


def names_other_indicator(spec: IndicatorSpec, label: str) -> bool:
    """True when ``label`` names an indicator of the catalogue other than ``spec``."""
    return any(label_matches(other, label) for other in CATALOGUE if other.code != spec.code)
