"""Validation and storage of supply-link rows (upsert by supplier, customer and product)."""

from __future__ import annotations

from sqlalchemy import bindparam, func, insert, select, update
from sqlalchemy.orm import Session

from chainkeeper.i18n import _
from chainkeeper.registry.importing import fields
from chainkeeper.registry.importing.lookups import Lookups
from chainkeeper.registry.importing.rows import INVALID, Row
from chainkeeper.registry.models import SupplyLink

BATCH = 50_000
LinkKey = tuple[int, int, int]


class LinkChecker:
    """Checks link rows: known endpoints, no self-link, known product, non-negative numbers, no duplicates."""

    def __init__(self, lookups: Lookups):
        self.lookups = lookups
        self.seen: dict[LinkKey, int] = {}

    def __call__(self, row: Row) -> dict | None:
        supplier = self._enterprise(row, "supplier_uscc")
        customer = self._enterprise(row, "customer_uscc")
        product = self._product(row)
        value = row.parse("annual_value", fields.number, required=True)
        lead_time = row.parse("lead_time_days", fields.number, required=False)
        inventory = row.parse("inventory_days", fields.number, required=False)
        essential = row.parse("essential", fields.boolean)
        if supplier is not INVALID and supplier == customer:
            row.fail("customer_uscc", "self_link", _("an enterprise cannot supply itself"))
        if row.ok:
            self._check_unique(row, (supplier, customer, product or 0))
        if not row.ok:
            return None
        return dict(
            supplier_id=supplier, customer_id=customer, product_id=product, annual_value=value,
            lead_time_days=lead_time, inventory_days=inventory, essential=essential,
        )

    def _enterprise(self, row: Row, key: str) -> int | object:
        text = row.text(key)
        known = self.lookups.enterprise_ids.get(text)
        if known is not None:
            return known
        code = row.parse(key, fields.uscc)
        if code is INVALID:
            return INVALID
        known = self.lookups.enterprise_ids.get(code)
        if known is None:
            row.fail(key, "unknown_enterprise", _("no enterprise with code {code} is registered"), code=code)
            return INVALID
        return known

    def _product(self, row: Row) -> int | None | object:
        text = row.text("product_code").strip()
        if not text:
            return None
        known = self.lookups.product_ids.get(text)
        if known is None:
            row.fail("product_code", "unknown_product", _("no product with code {code} is registered"), code=text)
            return INVALID
        return known

    def _check_unique(self, row: Row, key: LinkKey) -> None:
        first = self.seen.setdefault(key, row.number)
        if first != row.number:
            row.fail(None, "duplicate", _("the same supplier, customer and product already appear in row {first}"),
                     first=first)


def existing_link_ids(session: Session) -> dict[LinkKey, int]:
    """Every stored link's key and id."""
    query = select(
        SupplyLink.supplier_id, SupplyLink.customer_id, func.coalesce(SupplyLink.product_id, 0), SupplyLink.id
    )
    return {(s, c, p): link_id for s, c, p, link_id in session.execute(query)}


def store_links(session: Session, records: list[dict]) -> tuple[int, int]:
    """Insert new links and update existing ones; returns (created, updated)."""
    existing = existing_link_ids(session) if records else {}
    new, old = [], []
    for record in records:
        link_id = existing.get((record["supplier_id"], record["customer_id"], record["product_id"] or 0))
        if link_id is None:
            new.append(record)
        else:
            old.append(record | {"_id": link_id})
    table = SupplyLink.__table__
    connection = session.connection()
    for start in range(0, len(new), BATCH):
        connection.execute(insert(table), new[start:start + BATCH])
    if old:
        values = {c: bindparam(c) for c in ("annual_value", "lead_time_days", "inventory_days", "essential")}
        statement = update(table).where(table.c.id == bindparam("_id")).values(values)
        for start in range(0, len(old), BATCH):
            connection.execute(statement, old[start:start + BATCH])
    return len(new), len(old)
