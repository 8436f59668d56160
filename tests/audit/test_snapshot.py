"""Snapshots are JSON-safe and never carry secrets; they survive a round trip through the log."""

import enum
import json
from datetime import date, datetime, timezone
from decimal import Decimal

from audit.audit_support import ALICE
from sqlalchemy import Date, DateTime, Enum, Float, Integer, LargeBinary, Numeric, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from chainkeeper.audit.service import record, snapshot, verify_chain
from chainkeeper.db import unit_of_work
from chainkeeper.registry.models import Enterprise, SizeClass


class _Base(DeclarativeBase):  # not chainkeeper's Base: this table exists in no database
    """A separate registry for the test model."""


class Tier(str, enum.Enum):
    gold = "gold"


class Account(_Base):
    """A model with every awkward column type and several secrets."""

    __tablename__ = "account"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(50))
    tier: Mapped[Tier] = mapped_column(Enum(Tier))
    born: Mapped[date] = mapped_column(Date)
    seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    balance: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    score: Mapped[float] = mapped_column(Float)
    photo: Mapped[bytes] = mapped_column(LargeBinary)
    password_hash: Mapped[str] = mapped_column(String(200))
    api_token: Mapped[str] = mapped_column(String(64))
    totp_secret: Mapped[str] = mapped_column(String(64))
    salt: Mapped[str] = mapped_column("pw_salt", String(16))


def _account() -> Account:
    return Account(id=3, name="张伟", tier=Tier.gold, born=date(1990, 5, 1),
                   seen_at=datetime(2026, 1, 2, 3, 4, 5, 6, tzinfo=timezone.utc), balance=Decimal("12.50"),
                   score=float("nan"), photo=b"\x00\x01\x02", password_hash="$argon2id$...", api_token="tok",
                   totp_secret="JBSWY3DP", salt="NaCl")


def test_snapshot_is_json_safe_without_secrets():
    data = snapshot(_account())
    assert data == {"id": 3, "name": "张伟", "tier": "gold", "born": "1990-05-01",
                    "seen_at": "2026-01-02T03:04:05.000006+00:00", "balance": "12.50", "score": "nan",
                    "photo": "<3 bytes>"}
    assert json.loads(json.dumps(data, allow_nan=False)) == data


def test_secrets_stay_out_even_with_a_custom_exclude():
    data = snapshot(_account(), exclude=("name",))
    assert "name" not in data
    assert not {"password_hash", "api_token", "totp_secret", "salt"} & set(data)
    assert {"id", "tier", "balance"} <= set(data)


def test_snapshot_of_a_stored_enterprise_round_trips(audit_engine):
    with unit_of_work(audit_engine) as session:
        firm = Enterprise(uscc="91320583MA1XXXXX0X", name="昆山线束有限公司", normalized_name="昆山线束",
                          county_code="320583", city_code="3205", province_code="32", industry_code="3670",
                          size=SizeClass.medium)
        session.add(firm)
        session.flush()
        before = snapshot(firm)
        firm.size = SizeClass.large
        session.flush()
        event = record(session=session, actor=ALICE, action="update", object_type="enterprise", object_id=firm.id,
                       before=before, after=snapshot(firm))
    assert event.before_values["size"] == "medium" and event.after_values["size"] == "large"
    assert event.after_values["name"] == "昆山线束有限公司" and isinstance(event.after_values["created_at"], str)
    with unit_of_work(audit_engine) as session:
        assert verify_chain(session=session).ok
