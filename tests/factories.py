"""Small builders of registry rows for tests."""

from __future__ import annotations

import random

from chainkeeper.registry.uscc import generate

_rng = random.Random(20220411)


def new_uscc(county: str = "320583") -> str:
    """A fresh valid code registered in ``county``."""
    return generate(county, _rng)


def enterprise_row(**overrides: str) -> dict[str, str]:
    """A valid enterprise row (a Kunshan parts maker unless overridden)."""
    row = dict(uscc=new_uscc(), name=f"昆山测试{_rng.randrange(10**6)}零部件有限公司", county_code="320583",
               industry_code="3670", size="medium", labels="", chain="", contact_person="张伟",
               contact_phone="13912345678")
    return row | overrides


def link_row(supplier: str, customer: str, **overrides: str) -> dict[str, str]:
    """A valid link row between two codes."""
    row = dict(supplier_uscc=supplier, customer_uscc=customer, product_code="", annual_value="1000000",
               lead_time_days="3", inventory_days="7", essential="1")
    return row | overrides


def write_csv(path, rows: list[dict[str, str]], *, encoding: str = "utf-8", header: list[str] | None = None) -> None:
    """Write rows as CSV with ``header`` names (default: the rows' keys) in ``encoding``."""
    import csv
    import io

    keys = list(rows[0])
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header or keys)
    for row in rows:
        writer.writerow([row[k] for k in keys])
    path.write_bytes(buffer.getvalue().encode(encoding))
