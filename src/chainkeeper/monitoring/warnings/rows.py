"""The warnings list of the API as plain rows (issue 15): the warnings' columns in two prebuilt statements (the
warnings, then their links), each explanation parsed from its stored JSON text by orjson, no ``EarlyWarning``
entity — the ORM's loading, the JSON type's ``json.loads`` and the answer's validation were most of the call."""

from __future__ import annotations

import json
from functools import lru_cache

import orjson
from sqlalchemy import Text, bindparam, cast, select
from sqlalchemy.orm import Session

from chainkeeper.auth.roles import Principal
from chainkeeper.monitoring.warnings.models import EarlyWarning, Level, WarningLink
from chainkeeper.monitoring.warnings.service import PAGE, WarningFilter, filtered

COLUMNS = (EarlyWarning.id, EarlyWarning.rule_id, EarlyWarning.kind, EarlyWarning.subject_kind,
           EarlyWarning.region_code, EarlyWarning.indicator, EarlyWarning.industry_code, EarlyWarning.enterprise_id,
           EarlyWarning.input_industry, EarlyWarning.period, EarlyWarning.level, EarlyWarning.value,
           cast(EarlyWarning.explanation, Text), EarlyWarning.raised_at, EarlyWarning.acknowledged_by,
           EarlyWarning.acknowledged_by_name, EarlyWarning.acknowledged_at, EarlyWarning.note)
KEYS = ("id", "rule_id", "kind", "subject_kind", "region_code", "indicator", "industry_code", "enterprise_id",
        "input_industry", "period", "level", "value", "explanation", "raised_at", "acknowledged_by",
        "acknowledged_by_name", "acknowledged_at", "note")
SEVERITY = {Level.red: 0, Level.yellow: 1, Level.blue: 2}
LINKS = (select(WarningLink.warning_id, WarningLink.target_kind, WarningLink.target_id)
         .where(WarningLink.warning_id.in_(bindparam("ids", expanding=True))).order_by(WarningLink.id))


@lru_cache(maxsize=256)
def _query(principal: Principal, where: WarningFilter, limit: int):
    """The warnings' select of a caller's scope and filter, built once per combination (values bound in it)."""
    return filtered(select(*COLUMNS), principal, where, limit)


def warning_rows(*, session: Session, principal: Principal, where: WarningFilter = WarningFilter(),
                 limit: int = PAGE) -> list[dict]:
    """The warnings of :func:`.service.list_warnings` (same scope, filters, order) as the API's ``WarningOut``
    fields in their order, with their links as ``{"kind", "id"}`` in link order."""
    connection = session.connection()
    found = connection.execute(_query(principal, where, limit)).all()
    found.sort(key=lambda row: (SEVERITY[row[10]], row[16] is not None))
    links: dict[int, list[dict]] = {}
    if found:
        for warning_id, kind, target in connection.execute(LINKS, {"ids": [row[0] for row in found]}):
            links.setdefault(warning_id, []).append({"kind": kind.value, "id": target})
    rows = []
    for row in found:
        item = dict(zip(KEYS, row))
        item.update(subject_kind=row[3].value, level=row[10].value, value=float(row[11]),
                    explanation=_parsed(row[12]), links=links.get(row[0], []))
        rows.append(item)
    return rows


def _parsed(text) -> dict:
    """A stored explanation (JSON text; a dict already where the driver parsed it); the JSON type's own reader for
    what orjson refuses (NaN and infinities, which Python's writer stores)."""
    if not isinstance(text, (str, bytes)):
        return dict(text or {})
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        return json.loads(text)
