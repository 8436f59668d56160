"""A policy's fields as typed (web form, XLSX cell) and as checked: one place for both doors.

:func:`from_text` turns text cells into a :class:`PolicyIn`, collecting a problem per field instead of stopping at
the first; :func:`check` checks a :class:`PolicyIn` however it was made (the API builds it from JSON).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from chainkeeper.i18n import _
from chainkeeper.registry.importing.fields import CellError
from chainkeeper.registry.importing.fields import size as parse_size
from chainkeeper.sme.policies.rules import FACTS, LABELS, OPS, SIZES, Rule, parse_rule

_SPLIT = re.compile(r"[,，;；、\s]+")
_INDUSTRY = re.compile(r"^(?:[A-T]|\d{2,4})$")
_REGION = re.compile(r"^(?:\d{2}|\d{4}|\d{6})?$")
_LABEL_NAMES = {**{k: k for k in LABELS}, "专精特新": "specialized", "小巨人": "little_giant",
                "专精特新小巨人": "little_giant", "单项冠军": "single_champion", "高新技术企业": "high_tech",
                "科技型中小企业": "tech_sme", "创新型中小企业": "innovative_sme", "外资企业": "foreign_invested",
                "龙头企业": "leading", "关键节点企业": "key_node"}

FIELDS = ("code", "title", "issuer", "document_number", "source_url", "region_scope", "industries", "size_classes",
          "labels_any", "min_age_years", "max_age_years", "rules", "valid_from", "valid_to", "benefit",
          "how_to_apply", "illustrative")
LONG = {"code": 40, "title": 300, "issuer": 200, "document_number": 120, "source_url": 500, "benefit": 4000,
        "how_to_apply": 4000}


@dataclass
class PolicyIn:
    """A policy as given (before it is stored)."""

    code: str
    title: str
    issuer: str
    document_number: str = ""
    source_url: str = ""
    region_scope: str = ""
    industries: list[str] = field(default_factory=list)
    size_classes: list[str] = field(default_factory=list)
    labels_any: list[str] = field(default_factory=list)
    min_age_years: float | None = None
    max_age_years: float | None = None
    rules: list[Rule] = field(default_factory=list)
    valid_from: date | None = None
    valid_to: date | None = None
    benefit: str = ""
    how_to_apply: str = ""
    illustrative: bool = False


Problem = tuple[str, str, dict]
"""(field, msgid, params)."""


def _items(text: str) -> list[str]:
    return [x for x in _SPLIT.split(text.strip()) if x]


def _parse(name: str, text: str):
    """One cell's value; ValueError with a msgid when it cannot be read."""
    text = (text or "").strip()
    if name in ("industries",):
        return [x.upper() for x in _items(text)]
    if name == "size_classes":
        return [parse_size(x).value for x in _items(text)]
    if name == "labels_any":
        return [_LABEL_NAMES.get(x, x) for x in _items(text)]
    if name in ("min_age_years", "max_age_years"):
        return float(text) if text else None
    if name == "rules":
        return [parse_rule(x) for x in re.split(r"[;；\n]+", text) if x.strip()]
    if name in ("valid_from", "valid_to"):
        try:
            return date.fromisoformat(text) if text else None
        except ValueError:
            raise ValueError(_("a date reads YYYY-MM-DD")) from None
    if name == "illustrative":
        return text.lower() in ("1", "yes", "true", "是", "y", "x", "✓")
    return text


def _is_msgid(text: object) -> bool:
    return isinstance(text, str) and text in _OWN_MESSAGES


_OWN_MESSAGES = {_("a date reads YYYY-MM-DD"), _("a rule reads fact, comparison, number, e.g. rd_ratio_pct>=3"),
                 _("unknown fact in a rule; use one of employees, revenue_wan, assets_wan, rd_ratio_pct, "
                   "revenue_growth_pct, invention_patents")}


def from_text(cells: dict[str, str]) -> tuple[PolicyIn | None, list[Problem]]:
    """A :class:`PolicyIn` from text cells, or the problems (one per field at fault)."""
    values, problems = {}, []
    for name in FIELDS:
        try:
            values[name] = _parse(name, cells.get(name, ""))
        except CellError as error:
            problems.append((name, error.message, dict(error.params)))
        except ValueError as error:
            message = error.args[0] if error.args and _is_msgid(error.args[0]) else _("the value cannot be read")
            problems.append((name, message, {}))
    if problems:
        return None, problems
    data = PolicyIn(**values)
    problems = check(data)
    return (None, problems) if problems else (data, [])


def check(data: PolicyIn) -> list[Problem]:
    """The problems of ``data``, one per field at fault (empty = fine)."""
    problems: list[Problem] = []
    for name in ("code", "title", "issuer"):
        if not getattr(data, name).strip():
            problems.append((name, _("a value is required"), {}))
    for name, most in LONG.items():
        if len(getattr(data, name)) > most:
            problems.append((name, _("at most {limit} characters"), {"limit": most}))
    if not _REGION.match(data.region_scope):
        problems.append(("region_scope", _("a region code has 2, 4 or 6 digits (empty = national)"), {}))
    bad = [x for x in data.industries if not _INDUSTRY.match(x)]
    if bad:
        problems.append(("industries", _("not a GB/T 4754-2017 code: {codes}"), {"codes": "、".join(bad)}))
    bad = [x for x in data.size_classes if x not in SIZES]
    if bad:
        problems.append(("size_classes", _("unknown size class: {values}"), {"values": "、".join(bad)}))
    bad = [x for x in data.labels_any if x not in LABELS]
    if bad:
        problems.append(("labels_any", _("unknown label: {values}"), {"values": "、".join(bad)}))
    for name in ("min_age_years", "max_age_years"):
        value = getattr(data, name)
        if value is not None and not 0 <= value <= 200:
            problems.append((name, _("an age in years between 0 and 200"), {}))
    if data.min_age_years is not None and data.max_age_years is not None and data.min_age_years > data.max_age_years:
        problems.append(("max_age_years", _("the largest age is below the smallest"), {}))
    if any(r.op not in OPS or r.fact not in FACTS for r in data.rules):
        problems.append(("rules", _("a rule reads fact, comparison, number, e.g. rd_ratio_pct>=3"), {}))
    if data.valid_from and data.valid_to and data.valid_to < data.valid_from:
        problems.append(("valid_to", _("the policy ends before it starts"), {}))
    return problems
