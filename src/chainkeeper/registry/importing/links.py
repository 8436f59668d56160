"""Validation and storage of supply-link rows (upsert by supplier, customer and product)."""

from __future__ import annotations

from operator import itemgetter

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from chainkeeper.db import bulk_insert, bulk_update
from chainkeeper.i18n import _
from chainkeeper.registry.importing import access as rights
from chainkeeper.registry.importing import fields
from chainkeeper.registry.importing.bulk_write import (check_references, foreign_keys_enforced, rebuild_wanted,
                                                       rebuilt_indexes)
from chainkeeper.registry.importing.lookups import Lookups
from chainkeeper.registry.importing.rows import INVALID, Row, Spool
from chainkeeper.registry.models import SupplyLink

LinkKey = tuple[int, int, int]


LINK_FIELDS = ("supplier_id", "customer_id", "product_id", "annual_value", "lead_time_days", "inventory_days",
               "essential")
"""The columns of a link record, in the order of the tuples the checkers keep."""


def link_key(supplier: int, customer: int, product: int | None) -> int:
    """(supplier, customer, product) packed in one int: the duplicate check's key (less memory than a tuple)."""
    return (supplier << 80) | (customer << 40) | (product or 0)


class LinkChecker:
    """Checks link rows one by one: known endpoints, no self-link, known product, non-negative numbers, no
    duplicates. The import runs :mod:`.link_columns` (a chunk of rows at a time), which hands every row it
    cannot pass whole to this checker, so the errors are this checker's."""

    def __init__(self, lookups: Lookups):
        self.lookups = lookups
        self.seen: dict[int, int] = {}  # (supplier, customer, product) packed in one int: less memory

    def __call__(self, row: Row) -> tuple | None:
        supplier = self._enterprise(row, "supplier_uscc")
        customer = self._enterprise(row, "customer_uscc")
        product = self._product(row)
        value = row.parse("annual_value", fields.number, required=True)
        lead_time = row.parse("lead_time_days", fields.number, required=False)
        inventory = row.parse("inventory_days", fields.number, required=False)
        essential = row.parse("essential", fields.boolean)
        if supplier is not INVALID and supplier == customer:
            row.fail("customer_uscc", "self_link", _("an enterprise cannot supply itself"))
        elif supplier is not INVALID and customer is not INVALID:
            self._check_access(row, supplier, customer)
        if row.ok:
            self._check_unique(row, link_key(supplier, customer, product))
        if not row.ok:
            return None
        return supplier, customer, product, value, lead_time, inventory, essential

    def _check_access(self, row: Row, supplier: int, customer: int) -> None:
        access = self.lookups.access
        if access is None or access.enterprise(supplier) or access.enterprise(customer):
            return
        row.fail("supplier_uscc", "out_of_scope", rights.OUT_OF_SCOPE_LINK, scope=access.scope)

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

    def _check_unique(self, row: Row, key: int) -> None:
        first = self.seen.setdefault(key, row.number)
        if first != row.number:
            row.fail(None, "duplicate", _("the same supplier, customer and product already appear in row {first}"),
                     first=first)


LINK_VALUES = ("annual_value", "lead_time_days", "inventory_days", "essential")


def existing_links(session: Session) -> dict[LinkKey, tuple]:
    """Every stored link's key, mapped to its id and current values."""
    query = select(
        SupplyLink.supplier_id, SupplyLink.customer_id, func.coalesce(SupplyLink.product_id, 0), SupplyLink.id,
        *(getattr(SupplyLink, name) for name in LINK_VALUES),
    )
    return {(s, c, p): (link_id, *values) for s, c, p, link_id, *values in session.execute(query)}


def store_links(session: Session, records: list[tuple], existing: dict[LinkKey, tuple]) -> tuple[int, int]:
    """Insert new links and update ``existing`` ones (see :func:`existing_links`); returns (created, updated).

    ``records`` are tuples in :data:`LINK_FIELDS` order. An existing link whose values are unchanged counts as
    updated but is not rewritten, so re-importing a file costs little.
    """
    new, changed, matched = ([], [], 0) if existing else (list(records), [], 0)
    for record in records if existing else ():
        stored = existing.get((record[0], record[1], record[2] or 0))
        if stored is None:
            new.append(record)
            continue
        matched += 1
        if tuple(stored[1:]) != record[3:]:
            changed.append(dict(zip(LINK_VALUES, record[3:])) | {"id": stored[0]})
    connection = session.connection()
    new.sort(key=itemgetter(0, 1))  # index pages are then filled in order
    bulk_insert(connection, SupplyLink.__table__, new, columns=LINK_FIELDS)
    bulk_update(connection, SupplyLink.__table__, changed)
    return len(new), matched


def store_all_links(session: Session, spool: Spool, lookups: Lookups) -> tuple[int, int]:
    """Write every link record kept in ``spool`` (see :func:`store_links`); returns (created, updated).

    When the connection does not check foreign keys (:func:`.bulk_write.import_bind`), every id is checked against
    those read in this transaction first; a large import into SQLite builds the secondary indexes once at the end
    (:func:`.bulk_write.rebuilt_indexes`)."""
    connection = session.connection()
    existing = existing_links(session)
    references = None
    if not foreign_keys_enforced(connection):
        references = set(lookups.enterprise_ids.values()), {None, *lookups.product_ids.values()}
    created = updated = 0
    wanted = rebuild_wanted(spool.count - len(existing), len(existing))
    with rebuilt_indexes(connection, SupplyLink.__tablename__, wanted):
        for batch in spool.batches():
            if references is not None:
                check_references(batch, *references)
            new, old = store_links(session, batch, existing)
            created, updated = created + new, updated + old
    return created, updated
