"""Small builders of registry rows for tests, and of the worlds built from them (firms, links, users, callers)."""

from __future__ import annotations

import random
from collections.abc import Iterable

from chainkeeper.audit.actor import Actor
from chainkeeper.auth.models import User
from chainkeeper.auth.roles import Role
from chainkeeper.auth.service import create_user, principal_of
from chainkeeper.core.caller import Caller
from chainkeeper.db import unit_of_work
from chainkeeper.registry.importing import import_rows
from chainkeeper.registry.service import get_enterprise
from chainkeeper.registry.uscc import generate

_rng = random.Random(20220411)
PASSWORD = "correct-horse-42"
"""The password of every test user the worlds below create."""


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


def import_registry(engine, rows: dict[str, dict[str, str]], links: Iterable[dict[str, str]] = ()) -> dict[str, int]:
    """Import the enterprise ``rows`` (by key) and the ``links`` between them; returns key → enterprise id."""
    assert import_rows(engine, "enterprises", list(rows.values())).written
    links = list(links)
    if links:
        assert import_rows(engine, "links", links).written
    with unit_of_work(engine) as session:
        return {key: get_enterprise(session=session, uscc=row["uscc"]).id for key, row in rows.items()}


def create_users(session, users: dict[str, tuple[Role, str | None, str | None]], ids: dict[str, int], *,
                 password: str = PASSWORD, email_domain: str | None = None) -> dict[str, int]:
    """Create the ``users`` (username → (role, region, firm key in ``ids``)), with an e-mail address at
    ``email_domain`` if given; returns username → user id."""
    user_ids = {}
    for username, (role, region, firm) in users.items():
        user = create_user(session=session, username=username, password=password, display_name=username,
                           roles={role}, enterprise_id=ids.get(firm), region_code=region,
                           email=f"{username}@{email_domain}" if email_domain else "")
        session.flush()
        user_ids[username] = user.id
    return user_ids


def caller_of(engine, user_id: int) -> Caller:
    """The caller for a test user, read back from the database (its real roles and bindings)."""
    with unit_of_work(engine) as session:
        principal = principal_of(session.get(User, user_id))
    return Caller(principal, Actor(principal.user_id, principal.username, principal.main_role.value))
