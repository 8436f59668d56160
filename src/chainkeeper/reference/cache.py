"""In-memory copies of reference names for the pages: one load per database, not a query per page.

Regions and industries are static (loaded by migration 0002): they are read once per engine. Key chains can be
edited (:mod:`chainkeeper.reference.chain_admin`): their copy is dropped when this process writes one and otherwise
lives :data:`CHAIN_TTL` seconds, so an edit made by another process shows within that time.
"""

from __future__ import annotations

import threading
import time
from weakref import WeakKeyDictionary

from sqlalchemy import Engine, event, select
from sqlalchemy.orm import Session

from chainkeeper.reference.models import Industry, KeyChain, Region

CHAIN_TTL = 30.0
_lock = threading.Lock()
_static: WeakKeyDictionary[Engine, dict] = WeakKeyDictionary()
_chains: WeakKeyDictionary[Engine, tuple[float, list[tuple[str, str, str]]]] = WeakKeyDictionary()


def _engine(session: Session) -> Engine:
    bind = session.get_bind()
    return getattr(bind, "engine", bind)


def _load_static(session: Session) -> dict:
    regions = session.execute(select(Region.code, Region.name, Region.level).order_by(Region.code)).all()
    return {
        Region: {code: name for code, name, _level in regions},
        Industry: dict(session.execute(select(Industry.code, Industry.name)).all()),
        "provinces": {code: name for code, name, level in regions if level == 1},
    }


def _static_names(session: Session) -> dict:
    engine = _engine(session)
    found = _static.get(engine)
    if found is None:
        found = _load_static(session)
        with _lock:
            _static[engine] = found
    return found


def reference_names(session: Session, model: type) -> dict[str, str] | None:
    """Every name of a static reference table (Region or Industry) by code; None for other tables."""
    if model not in (Region, Industry):
        return None
    return _static_names(session)[model]


def province_names(session: Session) -> dict[str, str]:
    """Province names by 2-digit code, in code order."""
    return _static_names(session)["provinces"]


def chains(session: Session) -> list[tuple[str, str, str]]:
    """(code, Chinese name, English name) of the key chains in display order."""
    engine, now = _engine(session), time.monotonic()
    cached = _chains.get(engine)
    if cached is None or now - cached[0] > CHAIN_TTL:
        rows = session.execute(select(KeyChain.code, KeyChain.name_zh, KeyChain.name_en)
                               .order_by(KeyChain.position)).all()
        cached = (now, [tuple(row) for row in rows])
        with _lock:
            _chains[engine] = cached
    return cached[1]


def forget_chains() -> None:
    """Drop the cached key chains (after this process changed one)."""
    with _lock:
        _chains.clear()


@event.listens_for(KeyChain, "after_insert")
@event.listens_for(KeyChain, "after_update")
@event.listens_for(KeyChain, "after_delete")
def _chain_written(_mapper, _connection, target) -> None:
    forget_chains()
    session = Session.object_session(target)
    if session is not None:  # forget again when the change is committed or rolled back
        session.info["chains_changed"] = True


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_rollback")
def _transaction_ended(session: Session) -> None:
    if session.info.pop("chains_changed", False):
        forget_chains()


PLACEHOLDER_CITIES = ("市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划")
"""Statistical placeholders at the prefecture level (municipalities' districts, directly governed counties)."""


def full_region_names(session: Session, codes) -> dict[str, str]:
    """Each code's name with its province and city in front: 320583 → 江苏省苏州市昆山市 (placeholders skipped)."""
    names = reference_names(session, Region)
    result = {}
    for code in {c for c in codes if c}:
        parts = [code[:2], code[:4] if len(code) >= 4 else None, code if len(code) == 6 else None]
        chain = [names.get(part) for part in parts if part]
        result[code] = "".join(dict.fromkeys(n for n in chain if n and n not in PLACEHOLDER_CITIES)) or code
    return result
