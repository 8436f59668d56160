"""The figures an enterprise enters for the ladder, checked against the data file's definitions: numbers in range,
choices among their options, achievements among the known codes. Errors name the field in the user's language."""

from __future__ import annotations

from chainkeeper.coordination.messages import refuse
from chainkeeper.errors import ValidationFailed
from chainkeeper.i18n import _
from chainkeeper.sme.ladder.rules import rulebook

SIGNED = frozenset({"main_growth_pct", "main_growth_2y_pct", "net_margin_pct"})  # may be below zero
LIMIT = 1e9


def _label(code: str, language: str) -> str:
    for fact in rulebook()["facts"]:
        if fact["code"] == code:
            return fact["en" if language == "en" else "zh"]
    choice = rulebook()["choices"].get(code)
    return choice["en" if language == "en" else "zh"] if choice else code


def _number(code: str, kind: str, value, language: str) -> float | int | None:
    if value is None or value == "":
        return None
    try:
        number = int(value) if kind == "integer" else float(value)
    except (TypeError, ValueError):
        raise refuse(ValidationFailed, _("{label}: enter a number"), field=code, label=_label(code, language)) from None
    low = -100.0 if code in SIGNED else 0.0
    if not low <= number <= LIMIT or (code.endswith("_pct") and number > 1000) or number != number:
        raise refuse(ValidationFailed, _("{label}: {value} is out of range"), field=code,
                     label=_label(code, language), value=value)
    return number


def validate(facts: dict, language: str = "zh_CN") -> dict:
    """The figures cleaned (numbers typed, unknown keys dropped), or :class:`ValidationFailed` naming the field."""
    book, clean = rulebook(), {}
    if not isinstance(facts, dict):
        raise refuse(ValidationFailed, _("the figures must be an object of named values"), field="facts")
    for fact in book["facts"]:
        number = _number(fact["code"], fact["kind"], facts.get(fact["code"]), language)
        if number is not None:
            clean[fact["code"]] = number
    for code, choice in book["choices"].items():
        value = facts.get(code)
        if value in (None, ""):
            continue
        if str(value) not in {option["code"] for option in choice["options"]}:
            raise refuse(ValidationFailed, _("{label}: choose one of the options"), field=code,
                         label=_label(code, language))
        clean[code] = str(value)
    known = {item["code"] for item in book["achievements"]}
    given = facts.get("achievements") or []
    if not isinstance(given, (list, tuple)) or any(item not in known for item in given):
        raise refuse(ValidationFailed, _("unknown achievement among {items}"), field="achievements",
                     items=", ".join(map(str, given))[:200])
    clean["achievements"] = sorted(set(given))
    return clean
