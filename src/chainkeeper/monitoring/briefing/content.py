"""The briefing's content: plain JSON built from sections, each with figures, tables and charts.

Labels are stored as message ids (English source strings) and translated when the content is shown, so the same
snapshot gives the Chinese and the English page, the PDF and the XLSX annex. Data (region and list names, figures)
is stored as it is; data named in both languages (an indicator's name) as ``{"zh_CN": …, "en": …}`` (see
:func:`both`). :func:`localise` returns the content in one language; the page, the PDF and the annex read only
that.

A section: ``{"key", "title", "figures": [{"label", "value", "unit"}], "tables": [table], "charts": [chart],
"notes": [message]}``. A table: ``{"key", "title", "columns": [message], "rows": [[cell, …]], "label_kind":
"message" | "data"}`` (the first cell of a row is a message id when ``label_kind`` is "message"). A chart is what
the page's charts draw (``kind`` "bars"): ``{"key", "title", "categories", "categories_kind", "series": [{"name",
"data"}], "horizontal", "integer", "unit"}``.
"""

from __future__ import annotations

import copy
from typing import Any

from chainkeeper.i18n import translate

SCHEMA_VERSION = 1


def both(zh: str, en: str) -> dict:
    """A name given in both languages (data, not a message id)."""
    return {"zh_CN": zh, "en": en}


def pick(value: Any, language: str) -> Any:
    """``value`` in ``language`` when it is a :func:`both` pair, else as it is."""
    if isinstance(value, dict) and "zh_CN" in value:
        return value.get(language) or value["zh_CN"]
    return value


def figure(label: str, value: float | int | None, unit: str = "") -> dict:
    """A headline figure: a message id, its value, its unit (a message id, e.g. "%")."""
    return {"label": label, "value": value, "unit": unit}


def table(key: str, title: str, columns: list[str], rows: list[list[Any]], label_kind: str = "data") -> dict:
    """A table of the section (the first column's cells are message ids when ``label_kind`` is "message")."""
    return {"key": key, "title": title, "columns": columns, "rows": rows, "label_kind": label_kind}


def bars(key: str, title: str, categories: list[str], series: list[tuple[str, list]], *, categories_kind="data",
         horizontal: bool = False, integer: bool = True, unit: str = "") -> dict:
    """A bar chart: categories (data, or message ids) and named series of numbers."""
    return {"key": key, "kind": "bars", "title": title, "categories": categories, "categories_kind": categories_kind,
            "series": [{"name": name, "data": data} for name, data in series], "horizontal": horizontal,
            "integer": integer, "unit": unit}


def note(message: str, **params: object) -> dict:
    """A note with ``{name}`` placeholders filled when shown."""
    return {"message": message, "params": params}


def _note(item: str | dict, language: str) -> str:
    if isinstance(item, dict):
        return translate(item["message"], language, **item.get("params", {}))
    return translate(item, language)


def section(key: str, title: str, *, figures: list[dict] = (), tables: list[dict] = (), charts: list[dict] = (),
            notes: list[str | dict] = ()) -> dict:
    """One section of the briefing."""
    return {"key": key, "title": title, "figures": list(figures), "tables": list(tables), "charts": list(charts),
            "notes": list(notes)}


def _table(found: dict, language: str) -> dict:
    found["title"] = translate(found["title"], language)
    found["columns"] = [translate(column, language) for column in found["columns"]]
    found["rows"] = [[pick(cell, language) for cell in row] for row in found["rows"]]
    if found.get("label_kind") == "message":
        found["rows"] = [[translate(str(row[0]), language), *row[1:]] for row in found["rows"]]
    return found


def _chart(found: dict, language: str) -> dict:
    found["title"] = translate(found["title"], language)
    found["categories"] = [pick(category, language) for category in found["categories"]]
    if found.get("categories_kind") == "message":
        found["categories"] = [translate(category, language) for category in found["categories"]]
    for series in found["series"]:
        series["name"] = translate(series["name"], language)
    return found


def localise(content: dict, language: str) -> dict:
    """A copy of ``content`` with every message id in ``language``."""
    found = copy.deepcopy(content)
    params = {key: pick(value, language) for key, value in found.get("title_params", {}).items()}
    found["title"] = translate(found.get("title", ""), language, **params)
    for part in found.get("sections", []):
        part["title"] = translate(part["title"], language)
        part["notes"] = [_note(item, language) for item in part.get("notes", [])]
        for item in part.get("figures", []):
            label = pick(item["label"], language)
            item["label"] = label if isinstance(item["label"], dict) else translate(label, language)
            item["unit"] = translate(pick(item["unit"], language), language) if item.get("unit") else ""
        part["tables"] = [_table(item, language) for item in part.get("tables", [])]
        part["charts"] = [_chart(item, language) for item in part.get("charts", [])]
    found["pending"] = [translate(item, language) for item in found.get("pending", [])]
    return found


def shown(value: Any) -> str:
    """A cell or figure as text: thousands separators for integers, one decimal for other numbers, "—" for none."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,.1f}"
    return str(value)
