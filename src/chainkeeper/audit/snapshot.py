"""Snapshots: the JSON-safe column values of an ORM object, without secrets."""

from __future__ import annotations

import enum
import math
import re
import uuid
from collections.abc import Iterable, Mapping
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import PurePath

from sqlalchemy import inspect

DEFAULT_EXCLUDE = ("password_hash", "secret_hash", "token_hash", "csrf_token", "api_key", "totp_secret")
# Never snapshotted, whatever ``exclude`` says: any column named like a secret.
SECRET_NAME = re.compile(
    r"password|passwd|secret|(^|_)(token|salt|api_?key|private_?key|credentials?)(_|$)", re.IGNORECASE
)


def is_secret(name: str) -> bool:
    """Whether a column named ``name`` may hold a secret (password, token, key …)."""
    return SECRET_NAME.search(name) is not None


def json_safe(value: object) -> object:
    """``value`` as plain JSON data: enums by value, dates as ISO text, decimals as text, bytes by length."""
    if isinstance(value, enum.Enum):
        return json_safe(value.value)
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    if isinstance(value, (Decimal, uuid.UUID, PurePath)):
        return str(value)
    if isinstance(value, (bytes, bytearray, memoryview)):
        return f"<{len(bytes(value))} bytes>"
    if isinstance(value, Mapping):
        return {str(key): json_safe(item) for key, item in value.items()}
    if isinstance(value, (set, frozenset)):
        return sorted((json_safe(item) for item in value), key=repr)
    if isinstance(value, (list, tuple)):
        return [json_safe(item) for item in value]
    return str(value)


def snapshot(obj: object, *, exclude: Iterable[str] = DEFAULT_EXCLUDE) -> dict:
    """The column values of ORM object ``obj`` by attribute name, JSON-safe.

    Leaves out the ``exclude`` attributes and, always, any attribute named like a secret. Take it after a flush
    when database defaults (ids, timestamps) should appear.
    """
    skip = set(exclude)
    return {
        attribute.key: json_safe(getattr(obj, attribute.key))
        for attribute in inspect(obj).mapper.column_attrs
        if attribute.key not in skip and not is_secret(attribute.key)
    }
