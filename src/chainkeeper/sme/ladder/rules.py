"""The ladder's rules, pure: the indicators, scoring tables and minimums of the 2022 measures (优质中小企业梯度培育管理
暂行办法, 工信部企业〔2022〕63号, annexes 1–3) read from ``data/ladder_2022_63.json``, and :func:`assess`, which scores an
enterprise's figures against one tier and explains every line.

Conventions (the data file says where each comes from): "以上/以下" include the figure itself, so a band ``min``
is met at the figure (5% → "5%以上") and a band ``max`` likewise (55% → "55%以下"); bands are listed best first and
the first band met counts. The R&D ratio is computed from the R&D expenses and the revenue, never typed.

Examples
--------
>>> result = assess("innovative", {"ip_class": "i", "revenue_wan": 5000, "rd_expense_wan": 200,
...                                "main_growth_pct": 12, "debt_ratio_pct": 40, "main_share_pct": 90,
...                                "achievements": ["clean_record"]})
>>> result.score, result.passed
(75.0, True)
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).parent / "data" / "ladder_2022_63.json"
TIERS = ("innovative", "specialized", "little_giant")


@lru_cache(maxsize=1)
def rulebook() -> dict:
    """The rulebook (parsed once)."""
    return json.loads(DATA.read_text(encoding="utf-8"))


def tier_rules(tier: str) -> dict:
    """One tier's rules; :class:`KeyError` for an unknown tier (callers check :data:`TIERS` first)."""
    return rulebook()["tiers"][tier]


def valid_until(recognised_on: date) -> date:
    """The last day of a recognition's validity: three years (the measures' validity) from the day it was recognised."""
    years = rulebook()["validity_years"]
    try:
        return recognised_on.replace(year=recognised_on.year + years)
    except ValueError:  # 29 February
        return recognised_on.replace(year=recognised_on.year + years, day=28)


@dataclass(frozen=True)
class Text:
    """A text in both languages (from the data file)."""

    zh: str
    en: str

    def get(self, language: str) -> str:
        return self.en if language == "en" else self.zh


@dataclass(frozen=True)
class Line:
    """One scored indicator: the answer, the band or option it fell in, and the points."""

    code: str
    label: Text
    answer: str
    band: Text
    points: float
    max_points: float


@dataclass(frozen=True)
class Group:
    """A group of indicators (e.g. 创新能力指标) with its subtotal and, for innovative SMEs, its minimum."""

    code: str
    label: Text
    points: float
    max_points: float
    minimum: float | None
    lines: tuple[Line, ...]

    @property
    def met(self) -> bool:
        return self.minimum is None or self.points >= self.minimum


@dataclass(frozen=True)
class Check:
    """A condition met or not, with the answer it was judged on; compound conditions keep their parts."""

    code: str
    label: Text
    met: bool
    answer: str = ""
    parts: tuple[Check, ...] = ()


@dataclass(frozen=True)
class Assessment:
    """An enterprise's figures against one tier: score (None for little giants, which have no score), groups,
    minimum conditions, direct conditions (直通条件), and the verdict with the reasons it failed."""

    tier: str
    score: float | None
    pass_mark: float | None
    groups: tuple[Group, ...]
    conditions: tuple[Check, ...]
    direct: tuple[Check, ...]
    passed: bool
    failures: tuple[Text, ...] = field(default=())

    @property
    def direct_met(self) -> bool:
        return any(check.met for check in self.direct)


def derived(facts: dict) -> dict:
    """The figures with the computed ones added: ``rd_ratio_pct`` = R&D expenses ÷ revenue × 100."""
    out = dict(facts)
    revenue, rd = facts.get("revenue_wan"), facts.get("rd_expense_wan")
    if revenue and rd is not None and revenue > 0:
        out["rd_ratio_pct"] = round(rd / revenue * 100, 4)
    out.setdefault("achievements", [])
    return out


def _number(value) -> str:
    return "—" if value is None else f"{value:g}" if isinstance(value, (int, float)) else str(value)


def _band(bands: list[dict], value) -> dict:
    """The first band ``value`` meets (``min``: at least; ``max``: at most; neither: the rest)."""
    for band in bands:
        if value is None:
            break
        if "min" in band and value >= band["min"] or "max" in band and value <= band["max"]:
            return band
        if "min" not in band and "max" not in band:
            return band
    return bands[-1] if value is not None else {"points": 0, "zh": "未填写", "en": "not given"}


def _choice_text(fact: str, code) -> Text:
    for option in rulebook()["choices"].get(fact, {}).get("options", []):
        if option["code"] == str(code):
            return Text(option["zh"], option["en"])
    return Text("未填写", "not given")


def _score_line(item: dict, facts: dict) -> Line:
    """The points of one indicator, by its kind (bands, choice, flag, per_step, count, given, best_of)."""
    label, kind, top = Text(item["zh"], item["en"]), item["kind"], float(item["max"])
    value = facts.get(item.get("fact", ""))
    if kind == "bands":
        band = _band(item["bands"], value)
        return Line(item["code"], label, _number(value), Text(band["zh"], band["en"]), float(band["points"]), top)
    if kind == "choice":
        points = item["points"].get(str(value), 0) if value is not None else 0
        text = _choice_text(item["fact"], value)
        return Line(item["code"], label, text.zh, text, float(points), top)
    if kind == "flag":
        band = item["yes"] if item["fact"] in facts["achievements"] else item["no"]
        return Line(item["code"], label, "", Text(band["zh"], band["en"]), float(band["points"]), top)
    if kind == "per_step":
        points = min(top, (int(value or 0) // item["step"]) * item["per"])
        return Line(item["code"], label, _number(value), Text(item["rule_zh"], item["rule_en"]), float(points), top)
    if kind == "count":
        met = [code for code in item["options"] if code in facts["achievements"]]
        points = min(top, len(met) * item["per"])
        return Line(item["code"], label, str(len(met)), Text(item["rule_zh"], item["rule_en"]), float(points), top)
    if kind == "given":
        points = max(0.0, min(top, float(value or 0)))
        return Line(item["code"], label, _number(value), Text("省级设定", "set by the province"), points, top)
    if kind == "best_of":
        best = max((_band(part["bands"], facts.get(part["fact"])) for part in item["parts"]),
                   key=lambda band: band["points"])
        answer = " / ".join(_number(facts.get(part["fact"])) for part in item["parts"])
        return Line(item["code"], label, answer, Text(best["zh"], best["en"]), float(best["points"]), top)
    raise ValueError(f"unknown indicator kind {kind!r} in {DATA.name}")


def _judge(rule: dict, facts: dict) -> Check:
    """One condition: a comparison of a figure, an achievement held, or ``all``/``any`` of others."""
    label = Text(rule["zh"], rule["en"])
    if "all" in rule or "any" in rule:
        parts = tuple(_judge(part, facts) for part in rule.get("all") or rule["any"])
        met = all(p.met for p in parts) if "all" in rule else any(p.met for p in parts)
        return Check(rule["code"], label, met, parts=parts)
    value, op, target = facts.get(rule["fact"]), rule["op"], rule["value"]
    if op == "has":
        return Check(rule["code"], label, target in facts["achievements"])
    if op == "in":
        return Check(rule["code"], label, value in target, _choice_text(rule["fact"], value).zh)
    met = value is not None and {">=": value >= target, "<=": value <= target, "<": value < target}[op]
    return Check(rule["code"], label, bool(met), _number(value))


def assess(tier: str, facts: dict) -> Assessment:
    """Score ``facts`` (figures keyed as in the data file's ``facts``, choices, and ``achievements``: the codes
    held) against ``tier``; pure. Missing figures score nothing and fail the conditions that need them."""
    rules, facts = tier_rules(tier), derived(facts)
    groups = []
    for group in rules["groups"]:
        lines = tuple(_score_line(item, facts) for item in group["indicators"])
        groups.append(Group(group["code"], Text(group["zh"], group["en"]), sum(line.points for line in lines),
                            float(group["max"]), group.get("minimum"), lines))
    conditions = tuple(_judge(rule, facts) for rule in rules["conditions"])
    direct = tuple(_judge(rule, facts) for rule in rules["direct"])
    score = sum(g.points for g in groups) if groups else None
    failures = [check.label for check in conditions if not check.met]
    if rules["pass_mark"] is not None:
        scored = score >= rules["pass_mark"] and all(g.met for g in groups)
        if not scored and not any(d.met for d in direct):
            failures.append(Text(rules["rule_zh"], rules["rule_en"]))
    return Assessment(tier, score, rules["pass_mark"], tuple(groups), conditions, direct, not failures,
                      tuple(failures))


SIZE_FACTS = ("employees", "revenue_wan", "assets_wan")  # the size test's figures, asked for every tier


def _walk(rule: dict, facts: set[str], achievements: set[str]) -> None:
    for part in rule.get("all", []) + rule.get("any", []) + rule.get("parts", []):
        _walk(part, facts, achievements)
    if rule.get("kind") == "flag":
        achievements.add(rule["fact"])
    elif rule.get("op") == "has":
        achievements.add(rule["value"])
    elif rule.get("fact") == "achievements":
        achievements.update(rule.get("options", []))
    elif rule.get("fact"):
        facts.add(rule["fact"])


@lru_cache(maxsize=8)
def asked(tier: str) -> tuple[frozenset[str], frozenset[str]]:
    """The figures and choices (first) and the achievements (second) that ``tier``'s rules look at, so a form
    asks for those only; the R&D ratio is computed from R&D expenses and revenue, which are asked instead."""
    rules, facts, achievements = tier_rules(tier), set(SIZE_FACTS), set()
    for group in rules["groups"]:
        for item in group["indicators"]:
            _walk(item, facts, achievements)
    for rule in rules["conditions"] + rules["direct"]:
        _walk(rule, facts, achievements)
    facts.discard("rd_ratio_pct")
    facts.update({"rd_expense_wan", "revenue_wan"})
    return frozenset(facts), frozenset(achievements)
