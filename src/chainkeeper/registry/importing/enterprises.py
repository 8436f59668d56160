"""Validation and storage of enterprise rows (upsert by USCC)."""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import bindparam, delete, insert, select, update
from sqlalchemy.orm import Session

from chainkeeper.i18n import _
from chainkeeper.registry.importing import access as rights
from chainkeeper.registry.importing import fields
from chainkeeper.registry.importing.lookups import Lookups
from chainkeeper.registry.importing.rows import INVALID, Row
from chainkeeper.registry.models import Enterprise, EnterpriseLabel
from chainkeeper.registry.names import normalize_name

BATCH = 20_000


class EnterpriseChecker:
    """Checks enterprise rows against the reference tables and the rows seen before."""

    def __init__(self, lookups: Lookups):
        self.lookups = lookups
        self.seen: dict[str, int] = {}

    def __call__(self, row: Row) -> dict | None:
        code = row.parse("uscc", fields.uscc)
        name = row.parse("name", fields.required_text)
        county = self._county(row)
        industry = self._industry(row)
        size = row.parse("size", fields.size)
        labels = row.parse("labels", fields.labels)
        chain = self._chain(row)
        person = row.parse("contact_person", lambda text: text.strip()[:64])
        phone = row.parse("contact_phone", fields.phone)
        if code is not INVALID:
            self._check_unique(row, code)
        if code is not INVALID and county is not INVALID:
            self._check_access(row, code, county)
        if not row.ok:
            return None
        city, province = self.lookups.counties[county]
        derived = chain is None
        return dict(
            uscc=code, name=name, normalized_name=normalize_name(name), county_code=county, city_code=city,
            province_code=province, industry_code=industry, size=size.value,
            chain_code=self.lookups.chain_for_industry(industry) if derived else chain,
            chain_set_by_hand=not derived, contact_person=person, contact_phone=phone,
            labels=[label.value for label in labels],
        )

    def _check_unique(self, row: Row, code: str) -> None:
        first = self.seen.setdefault(code, row.number)
        if first != row.number:
            row.fail("uscc", "duplicate", _("{code} already appears in row {first}"), code=code, first=first)

    def _check_access(self, row: Row, code: str, county: str) -> None:
        access = self.lookups.access
        if access is None or access.everything:
            return
        existing = self.lookups.enterprise_ids.get(code)
        if existing is not None and not access.enterprise(existing):
            row.fail("uscc", "out_of_scope", rights.OUT_OF_SCOPE_ENTERPRISE, code=code, scope=access.scope)
        elif not (existing is not None and access.own(existing)) and not access.county(county):
            row.fail("county_code", "out_of_scope", rights.OUT_OF_SCOPE_COUNTY, value=county, scope=access.scope)

    def _county(self, row: Row) -> str | object:
        text = row.text("county_code").strip()
        if text in self.lookups.counties:
            return text
        if not text:
            row.fail("county_code", "required", _("a value is required"))
        else:
            row.fail("county_code", "region", _("{value} is not a county-level administrative division code"),
                     value=text)
        return INVALID

    def _industry(self, row: Row) -> str | object:
        text = row.text("industry_code").strip()
        if text in self.lookups.industry_classes:
            return text
        if not text:
            row.fail("industry_code", "required", _("a value is required"))
        else:
            row.fail("industry_code", "industry", _("{value} is not a GB/T 4754-2017 industry class (4 digits)"),
                     value=text)
        return INVALID

    def _chain(self, row: Row) -> str | None | object:
        text = row.text("chain").strip()
        if not text:
            return None
        chain = self.lookups.chains.get(text.lower())
        if chain is None:
            row.fail("chain", "chain", _("{value} is not a key industrial chain"), value=text)
            return INVALID
        return chain


def _batches(items: list, size: int = BATCH):
    for start in range(0, len(items), size):
        yield items[start:start + size]


def store_enterprises(session: Session, records: list[dict], lookups: Lookups) -> tuple[int, int]:
    """Insert new enterprises and update existing ones by USCC; returns (created, updated)."""
    now = datetime.now(timezone.utc)
    new = [r for r in records if r["uscc"] not in lookups.enterprise_ids]
    old = [r for r in records if r["uscc"] in lookups.enterprise_ids]
    columns = [c for c in records[0] if c != "labels"] if records else []
    for batch in _batches(new):
        session.connection().execute(insert(Enterprise.__table__), [
            {c: r[c] for c in columns} | {"created_at": now, "updated_at": now} for r in batch
        ])
    table = Enterprise.__table__
    statement = update(table).where(table.c.id == bindparam("_id")).values(
        {c: bindparam(c) for c in columns if c != "uscc"} | {"updated_at": bindparam("updated_at")}
    )
    for batch in _batches(old):
        session.connection().execute(statement, [
            {c: r[c] for c in columns if c != "uscc"} | {"_id": lookups.enterprise_ids[r["uscc"]], "updated_at": now}
            for r in batch
        ])
    _store_labels(session, records, old, lookups)
    return len(new), len(old)


def _store_labels(session: Session, records: list[dict], old: list[dict], lookups: Lookups) -> None:
    old_ids = [lookups.enterprise_ids[r["uscc"]] for r in old]
    for batch in _batches(old_ids, 5_000):
        session.execute(delete(EnterpriseLabel).where(EnterpriseLabel.enterprise_id.in_(batch)))
    labelled = [r for r in records if r["labels"]]
    ids: dict[str, int] = {}
    for batch in _batches([r["uscc"] for r in labelled], 5_000):
        ids.update(session.execute(select(Enterprise.uscc, Enterprise.id).where(Enterprise.uscc.in_(batch))).all())
    rows = [dict(enterprise_id=ids[r["uscc"]], label=label) for r in labelled for label in r["labels"]]
    for batch in _batches(rows):
        session.connection().execute(insert(EnterpriseLabel.__table__), batch)
