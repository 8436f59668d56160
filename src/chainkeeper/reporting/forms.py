"""Web forms generated from a report type's fields: reading the posted form into values (a table field's rows
added and removed on the server, so the form works without scripts), and the errors by field path."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from chainkeeper.reporting.fields import FieldSpec

ROW_KEY = re.compile(r"^t\.([a-z][a-z0-9_]*)\.(\d{1,3})\.([a-z][a-z0-9_]*)$")
MAX_FORM_ROWS = 200


@dataclass
class FormState:
    """What the form shows: the values (tables as lists of row dicts, text as typed), errors by path, the reason."""

    values: dict
    errors: dict[str, str] = field(default_factory=dict)
    reason: str = ""


def read_form(fields: tuple[FieldSpec, ...], form, *, keep_blank: bool = False) -> dict:
    """The values of a posted form: ``f.<key>`` for plain fields, ``t.<key>.<row>.<column>`` for table cells; rows
    left wholly blank are dropped (kept while rows are being added or removed)."""
    values: dict = {}
    for spec in fields:
        if spec.kind != "table":
            values[spec.key] = (form.get(f"f.{spec.key}") or "").strip()
    rows: dict[str, dict[int, dict]] = {}
    for name in form.keys():
        found = ROW_KEY.match(name)
        if found and int(found.group(2)) < MAX_FORM_ROWS:
            rows.setdefault(found.group(1), {}).setdefault(int(found.group(2)), {})[found.group(3)] = \
                (form.get(name) or "").strip()
    for spec in fields:
        if spec.kind == "table":
            table = rows.get(spec.key, {})
            keys = {column.key for column in spec.columns}
            values[spec.key] = [{k: v for k, v in table[i].items() if k in keys} for i in sorted(table)
                                if keep_blank or any(table[i].get(k) for k in keys)]
    return values


def edit_rows(fields: tuple[FieldSpec, ...], values: dict, action: str) -> bool:
    """Apply an ``add:<key>`` or ``remove:<key>:<row>`` button to ``values``; True when it was one."""
    parts = action.split(":")
    tables = {spec.key: spec for spec in fields if spec.kind == "table"}
    if len(parts) < 2 or parts[1] not in tables:
        return False
    rows = values.setdefault(parts[1], [])
    if parts[0] == "add" and len(rows) < (tables[parts[1]].max_rows or MAX_FORM_ROWS):
        rows.append({})
        return True
    if parts[0] == "remove" and len(parts) == 3 and parts[2].isdigit() and int(parts[2]) < len(rows):
        rows.pop(int(parts[2]))
        return True
    return parts[0] == "add"


def with_blank_row(fields: tuple[FieldSpec, ...], values: dict) -> dict:
    """``values`` with one empty row in every table that has none (so a new form shows where to type)."""
    shown = dict(values)
    for spec in fields:
        if spec.kind == "table" and not shown.get(spec.key):
            shown[spec.key] = [{}]
    return shown


def shown(value: object) -> str:
    """A stored value as the form shows it."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
