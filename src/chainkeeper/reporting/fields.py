"""The fields of a report type, defined as data, and the validation of submitted values against them.

A report type's ``fields`` column holds a JSON list of field specs (see :meth:`FieldSpec.to_dict`). Values are a dict
``{key: value}``; a ``table`` field's value is a list of rows, each a dict over the table's ``columns``.
:func:`validate` returns the cleaned values and a list of :class:`FieldError`, each naming the field path
(``inventory[2].days``, rows counted from 0) with a message that is also its translation key.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from chainkeeper.errors import ValidationFailed
from chainkeeper.i18n import _, translate

KINDS = ("integer", "number", "percent", "choice", "text", "table")
NUMERIC_KINDS = ("integer", "number", "percent")
KEY = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
DEFAULT_TEXT_LENGTH = 2000
DEFAULT_MAX_ROWS = 200
MAX_FIELDS = 100


@dataclass(frozen=True)
class FieldSpec:
    """One field of a report type: what it is called (zh/en), its kind, unit and limits."""

    key: str
    label_zh: str
    label_en: str
    kind: str
    unit: str = ""
    min: float | None = None
    max: float | None = None
    required: bool = False
    choices: tuple[tuple[str, str, str], ...] = ()  # (value, label_zh, label_en)
    max_length: int | None = None
    columns: tuple[FieldSpec, ...] = ()
    max_rows: int | None = None

    def label(self, language: str | None) -> str:
        """The label in ``language`` (English for ``en``, else Chinese)."""
        return self.label_en if (language or "").startswith("en") else self.label_zh

    def choice_label(self, value: str, language: str | None) -> str:
        """The label of choice ``value`` in ``language`` (the value itself when unknown)."""
        for choice, label_zh, label_en in self.choices:
            if choice == value:
                return label_en if (language or "").startswith("en") else label_zh
        return value

    def to_dict(self) -> dict:
        """The JSON form kept in ``report_type.fields`` (only what is set)."""
        data: dict = {"key": self.key, "label_zh": self.label_zh, "label_en": self.label_en, "kind": self.kind}
        for name in ("unit", "min", "max", "max_length", "max_rows"):
            if getattr(self, name) not in (None, ""):
                data[name] = getattr(self, name)
        if self.required:
            data["required"] = True
        if self.choices:
            data["choices"] = [list(choice) for choice in self.choices]
        if self.columns:
            data["columns"] = [column.to_dict() for column in self.columns]
        return data

    @classmethod
    def from_dict(cls, data: dict) -> FieldSpec:
        """A spec from its JSON form (not checked: see :func:`parse_fields`)."""
        return cls(key=str(data.get("key", "")), label_zh=str(data.get("label_zh", "")),
                   label_en=str(data.get("label_en", "")), kind=str(data.get("kind", "")),
                   unit=str(data.get("unit") or ""), min=data.get("min"), max=data.get("max"),
                   required=bool(data.get("required", False)),
                   choices=tuple(tuple(str(part) for part in choice) for choice in data.get("choices") or ()),
                   max_length=data.get("max_length"),
                   columns=tuple(cls.from_dict(column) for column in data.get("columns") or ()),
                   max_rows=data.get("max_rows"))


@dataclass(frozen=True)
class FieldError:
    """A bad value: the field path, the message (English, the catalog key) and its parameters."""

    path: str
    message: str
    params: dict = field(default_factory=dict)

    def text(self, language: str | None) -> str:
        """The message in ``language``."""
        return translate(self.message, language, **self.params)

    def detail(self, language: str | None = "en") -> dict:
        """The error as the platform's ``details`` entry."""
        return {"field": self.path, "message": self.text(language)}


class ReportInvalid(ValidationFailed):
    """Submitted values do not fit the report type; ``errors`` lists every bad field."""

    def __init__(self, errors: list[FieldError]):
        self.errors = list(errors)
        self.template, self.params = _("the report has {count} invalid values"), {"count": len(self.errors)}
        super().__init__(self.template.format(**self.params), [error.detail() for error in self.errors])


class FieldsInvalid(ValidationFailed):
    """A report type's field definitions are not valid; ``errors`` lists what and where."""

    def __init__(self, errors: list[FieldError]):
        self.errors = list(errors)
        self.template, self.params = _("the field definitions have {count} errors"), {"count": len(self.errors)}
        super().__init__(self.template.format(**self.params), [error.detail() for error in self.errors])


# --- checking the definitions -------------------------------------------------------------------------------------

def parse_fields(data: list[dict] | tuple[FieldSpec, ...] | list[FieldSpec]) -> tuple[FieldSpec, ...]:
    """Field specs from JSON (or specs), checked; raises :class:`FieldsInvalid` naming every bad definition."""
    specs = tuple(item if isinstance(item, FieldSpec) else FieldSpec.from_dict(item) for item in data or ())
    errors = _check_specs(specs, "fields", nested=False)
    if not specs:
        errors.append(FieldError("fields", _("define at least one field")))
    if len(specs) > MAX_FIELDS:
        errors.append(FieldError("fields", _("at most {max} fields"), {"max": MAX_FIELDS}))
    if errors:
        raise FieldsInvalid(errors)
    return specs


def fields_json(fields: tuple[FieldSpec, ...]) -> list[dict]:
    """The JSON form of ``fields`` (for ``report_type.fields``)."""
    return [spec.to_dict() for spec in fields]


def _check_specs(specs: tuple[FieldSpec, ...], prefix: str, *, nested: bool) -> list[FieldError]:
    errors, seen = [], set()
    for index, spec in enumerate(specs):
        path = f"{prefix}[{index}]"
        if not KEY.match(spec.key):
            errors.append(FieldError(f"{path}.key", _("a key is lower-case letters, digits and _ (at most 40)")))
        elif spec.key in seen:
            errors.append(FieldError(f"{path}.key", _("the key {key} is used twice"), {"key": spec.key}))
        seen.add(spec.key)
        errors += _check_spec(spec, path, nested=nested)
    return errors


def _check_spec(spec: FieldSpec, path: str, *, nested: bool) -> list[FieldError]:
    errors = []
    if not spec.label_zh.strip() or not spec.label_en.strip():
        errors.append(FieldError(f"{path}.label", _("a field needs a Chinese and an English label")))
    if spec.kind not in KINDS or (nested and spec.kind == "table"):
        errors.append(FieldError(f"{path}.kind", _("the kind must be one of: {kinds}"),
                                 {"kinds": ", ".join(k for k in KINDS if not (nested and k == "table"))}))
    for name in ("min", "max"):
        bound = getattr(spec, name)
        if bound is not None and (isinstance(bound, bool) or not isinstance(bound, (int, float))):
            errors.append(FieldError(f"{path}.{name}", _("enter a number")))
    if isinstance(spec.min, (int, float)) and isinstance(spec.max, (int, float)) and spec.min > spec.max:
        errors.append(FieldError(f"{path}.max", _("the maximum is below the minimum")))
    if spec.kind == "choice" and (not spec.choices or any(len(choice) != 3 for choice in spec.choices)):
        errors.append(FieldError(f"{path}.choices", _("a choice field needs choices (value, label_zh, label_en)")))
    if spec.kind == "table" and not nested:
        if not spec.columns:
            errors.append(FieldError(f"{path}.columns", _("a table field needs columns")))
        errors += _check_specs(spec.columns, f"{path}.columns", nested=True)
    return errors


# --- validating values --------------------------------------------------------------------------------------------

def validate(fields: tuple[FieldSpec, ...] | list[FieldSpec], values: dict | None) -> tuple[dict, list[FieldError]]:
    """``values`` checked against ``fields``: (clean values, errors). Empty strings count as missing; numbers may
    come as text; a choice may be given by its value or either label; unknown keys are errors."""
    if not isinstance(values, dict):
        return {}, [FieldError("values", _("the values must be an object of field keys"))]
    clean, errors = {}, []
    known = {spec.key for spec in fields}
    errors += [FieldError(str(key)[:60], _("unknown field")) for key in values if key not in known]
    for spec in fields:
        value, field_errors = _value(spec, values.get(spec.key), spec.key)
        clean[spec.key] = value
        errors += field_errors
    return clean, errors


def _value(spec: FieldSpec, raw: object, path: str) -> tuple[object, list[FieldError]]:
    if _blank(raw):
        if spec.required:
            return None, [FieldError(path, _("a value is required"))]
        return ([] if spec.kind == "table" else None), []
    if spec.kind in NUMERIC_KINDS:
        return _number(spec, raw, path)
    if spec.kind == "choice":
        return _choice(spec, raw, path)
    if spec.kind == "text":
        return _text(spec, raw, path)
    return _table(spec, raw, path)


def _blank(raw: object) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip()) or (isinstance(raw, list) and not raw)


def _number(spec: FieldSpec, raw: object, path: str) -> tuple[object, list[FieldError]]:
    number = _as_number(raw)
    if number is None:
        message = _("enter a whole number") if spec.kind == "integer" else _("enter a number")
        return None, [FieldError(path, message)]
    if spec.kind == "integer":
        if number != int(number):
            return None, [FieldError(path, _("enter a whole number"))]
        number = int(number)
    lowest = spec.min if spec.min is not None else (0 if spec.kind == "percent" else None)
    if lowest is not None and number < lowest:
        return None, [FieldError(path, _("at least {min}"), {"min": _shown(lowest)})]
    if spec.max is not None and number > spec.max:
        return None, [FieldError(path, _("at most {max}"), {"max": _shown(spec.max)})]
    return number, []


def _as_number(raw: object) -> float | int | None:
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        return raw
    if isinstance(raw, float):
        return raw if math.isfinite(raw) else None
    if not isinstance(raw, str) or len(raw) > 40:
        return None
    text = raw.strip().replace(",", "").replace("，", "").rstrip("%％").strip()
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    if not number.is_finite():
        return None
    return int(number) if number == number.to_integral_value() else float(number)


def _shown(bound: float) -> str:
    return str(int(bound)) if float(bound).is_integer() else str(bound)


def _choice(spec: FieldSpec, raw: object, path: str) -> tuple[object, list[FieldError]]:
    text = str(raw).strip()
    for value, label_zh, label_en in spec.choices:
        if text in (value, label_zh) or text.lower() == label_en.lower():
            return value, []
    return None, [FieldError(path, _("choose one of: {choices}"),
                             {"choices": ", ".join(value for value, _zh, _en in spec.choices)})]


def _text(spec: FieldSpec, raw: object, path: str) -> tuple[object, list[FieldError]]:
    if not isinstance(raw, (str, int, float)) or isinstance(raw, bool):
        return None, [FieldError(path, _("enter text"))]
    text = str(raw).strip()
    limit = spec.max_length or DEFAULT_TEXT_LENGTH
    if len(text) > limit:
        return None, [FieldError(path, _("at most {max_length} characters"), {"max_length": limit})]
    return text, []


def _table(spec: FieldSpec, raw: object, path: str) -> tuple[object, list[FieldError]]:
    if not isinstance(raw, list) or not all(isinstance(row, dict) for row in raw):
        return None, [FieldError(path, _("enter a list of rows"))]
    limit = spec.max_rows or DEFAULT_MAX_ROWS
    if len(raw) > limit:
        return None, [FieldError(path, _("at most {max_rows} rows"), {"max_rows": limit})]
    rows, errors = [], []
    for index, row in enumerate(raw):
        clean, row_errors = validate(spec.columns, row)
        rows.append(clean)
        errors += [FieldError(f"{path}[{index}].{error.path}", error.message, error.params) for error in row_errors]
    return rows, errors
