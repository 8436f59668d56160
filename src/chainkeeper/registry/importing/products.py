"""Validation and storage of product rows (upsert by product code)."""

from __future__ import annotations

from sqlalchemy import bindparam, insert, update
from sqlalchemy.orm import Session

from chainkeeper.i18n import _
from chainkeeper.registry.importing import access as rights
from chainkeeper.registry.importing import fields
from chainkeeper.registry.importing.lookups import Lookups
from chainkeeper.registry.importing.rows import INVALID, Row
from chainkeeper.registry.models import Product


class ProductChecker:
    """Checks product rows: a unique code, a name, an optional industry class."""

    def __init__(self, lookups: Lookups):
        self.lookups = lookups
        self.seen: dict[str, int] = {}

    def __call__(self, row: Row) -> dict | None:
        code = row.parse("code", fields.required_text, max_length=64)
        name = row.parse("name", fields.required_text)
        industry = row.text("industry_code").strip() or None
        if industry is not None and industry not in self.lookups.industry_classes:
            row.fail("industry_code", "industry", _("{value} is not a GB/T 4754-2017 industry class (4 digits)"),
                     value=industry)
        if code is not INVALID:
            first = self.seen.setdefault(code, row.number)
            if first != row.number:
                row.fail("code", "duplicate", _("{code} already appears in row {first}"), code=code, first=first)
            elif name is not INVALID:
                self._check_access(row, code, (name, industry))
        return dict(code=code, name=name, industry_code=industry) if row.ok else None

    def _check_access(self, row: Row, code: str, values: tuple) -> None:
        access = self.lookups.access
        if access is None or access.products or code not in self.lookups.product_ids:
            return
        if self.lookups.product_values.get(code) != values:
            row.fail("code", "out_of_scope", rights.PRODUCT_CHANGE, code=code)


def store_products(session: Session, records: list[dict], lookups: Lookups) -> tuple[int, int]:
    """Insert new products and update existing ones by code; returns (created, updated)."""
    new = [r for r in records if r["code"] not in lookups.product_ids]
    old = [
        {"_id": lookups.product_ids[r["code"]], "name": r["name"], "industry_code": r["industry_code"]}
        for r in records if r["code"] in lookups.product_ids
    ]
    table = Product.__table__
    if new:
        session.connection().execute(insert(table), new)
    if old:
        statement = update(table).where(table.c.id == bindparam("_id")).values(
            name=bindparam("name"), industry_code=bindparam("industry_code")
        )
        session.connection().execute(statement, old)
    return len(new), len(old)
