"""The catalogue of critical goods: seeded from ``data/catalogue.json`` (idempotent), read by everyone signed in,
edited by the ministry. Every write is audited; nothing here commits."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime, timezone
from importlib import resources

from sqlalchemy import select
from sqlalchemy.orm import Session

from chainkeeper.audit.service import record
from chainkeeper.auth.roles import Role
from chainkeeper.coordination.messages import refuse
from chainkeeper.core.caller import Caller
from chainkeeper.docking.models import Good, GoodCategory
from chainkeeper.errors import Forbidden, NotFound, ValidationFailed
from chainkeeper.i18n import _
from chainkeeper.reference.models import Region
from chainkeeper.registry.models import Product

CODE = re.compile(r"^[a-z][a-z0-9_.]{0,39}$")
SEED_ACTOR = "catalogue seed"
# the seed's sources (as stored, English with the Chinese titles) as shown, in one language: translated on the page
SEED_SOURCES = {
    "2020 daily scheduling of key medical supplies (MIIT/NDRC, 重点医疗物资日调度), categories as publicly reported; "
    "sub-categories compiled by chainkeeper — check against the official list before relying on it":
        _("2020 daily scheduling of key medical supplies (MIIT/NDRC), categories as publicly reported; "
          "sub-categories compiled by chainkeeper — check against the official list before relying on it"),
    "MIIT 汽车半导体供需对接手册 (2021) chip types, compiled by chainkeeper":
        _("MIIT handbook of automotive semiconductor supply and demand (2021): chip types, compiled by chainkeeper"),
    "NDRC/MARA 化肥保供稳价 (fertiliser supply) main products, compiled by chainkeeper":
        _("NDRC/MARA fertiliser supply and price stability: main products, compiled by chainkeeper"),
}


def shown_source(source: str) -> str:
    """The message a category's source is shown by (to be translated): the seed's own in one language, any other
    (typed by the ministry) as it is."""
    return SEED_SOURCES.get(source, source)


@dataclass(frozen=True)
class GoodIn:
    """What the ministry enters for a good."""

    code: str
    category_code: str
    name_zh: str
    name_en: str
    unit_zh: str
    unit_en: str
    product_code: str | None = None
    authority_region: str = ""
    active: bool = True
    source: str = ""


def _seed() -> dict:
    with resources.files("chainkeeper.docking").joinpath("data/catalogue.json").open(encoding="utf-8") as handle:
        return json.load(handle)


def ensure_catalogue(session: Session) -> int:
    """Insert the seeded categories and goods that are missing (existing rows, maybe edited, are kept); returns
    how many rows were added. Seeding is not audited (it is data shipped with the code, like reference tables)."""
    data, added = _seed(), 0
    by_code = {c.code: c for c in session.scalars(select(GoodCategory))}
    for position, item in enumerate(data["categories"]):
        if item["code"] not in by_code:
            parent = by_code.get(item["parent"]) if item["parent"] else None
            category = GoodCategory(code=item["code"], parent_id=parent.id if parent else None,
                                    name_zh=item["name_zh"], name_en=item["name_en"], position=position,
                                    source=item["source"])
            session.add(category)
            session.flush()
            by_code[category.code], added = category, added + 1
    goods = set(session.scalars(select(Good.code)))
    for item in data["goods"]:
        if item["code"] not in goods:
            session.add(Good(code=item["code"], category_id=by_code[item["category"]].id, name_zh=item["name_zh"],
                             name_en=item["name_en"], unit_zh=item["unit_zh"], unit_en=item["unit_en"],
                             authority_region="", active=True, source=item["source"]))
            added += 1
    session.flush()
    return added


def categories(session: Session) -> list[GoodCategory]:
    """Every category, in catalogue order."""
    return list(session.scalars(select(GoodCategory).order_by(GoodCategory.position, GoodCategory.id)))


def goods(session: Session, *, active_only: bool = False) -> list[Good]:
    """Every good (active ones only if asked), by code."""
    query = select(Good).order_by(Good.code)
    return list(session.scalars(query.where(Good.active.is_(True)) if active_only else query))


def codes_of(session: Session, good_ids) -> dict[int, str]:
    """Good id → code of the given goods, in one statement."""
    return dict(session.execute(select(Good.id, Good.code).where(Good.id.in_(list(good_ids)))).all()) if good_ids else {}


def get_good(session: Session, code: str) -> Good:
    """The good ``code`` or :class:`NotFound`."""
    found = session.scalars(select(Good).where(Good.code == code)).first()
    if found is None:
        raise refuse(NotFound, _("no critical good {code}"), code=str(code)[:40])
    return found


def _snapshot(good: Good) -> dict:
    return {"code": good.code, "category_id": good.category_id, "name_zh": good.name_zh, "name_en": good.name_en,
            "unit_zh": good.unit_zh, "unit_en": good.unit_en, "product_code": good.product_code,
            "authority_region": good.authority_region, "active": good.active, "source": good.source}


def _check(session: Session, data: GoodIn) -> GoodCategory:
    if not CODE.match(data.code or ""):
        raise refuse(ValidationFailed, _("a code is lower-case letters, digits, . and _ (at most 40)"), field="code")
    for name, limit in (("name_zh", 120), ("name_en", 120), ("unit_zh", 20), ("unit_en", 20)):
        value = getattr(data, name) or ""
        if not value.strip() or len(value) > limit:
            raise refuse(ValidationFailed, _("{field} is required (at most {limit} characters)"), field=name,
                         limit=limit)
    category = session.scalars(select(GoodCategory).where(GoodCategory.code == data.category_code)).first()
    if category is None:
        raise refuse(ValidationFailed, _("no category {code}"), field="category_code", code=data.category_code[:40])
    if data.product_code and session.scalars(select(Product.id).where(Product.code == data.product_code)).first() \
            is None:
        raise refuse(ValidationFailed, _("the registry has no product {code}"), field="product_code",
                     code=data.product_code[:64])
    if data.authority_region and session.get(Region, data.authority_region) is None:
        raise refuse(ValidationFailed, _("no region {code}"), field="authority_region",
                     code=data.authority_region[:6])
    return category


def save_good(*, session: Session, caller: Caller, data: GoodIn) -> Good:
    """Create the good ``data.code`` or change it (the ministry only); audited with before and after."""
    if not caller.principal.has(Role.ministry):
        raise refuse(Forbidden, _("only the ministry edits the catalogue of critical goods"))
    category = _check(session, data)
    good = session.scalars(select(Good).where(Good.code == data.code)).first()
    before = _snapshot(good) if good else None
    good = good or Good(code=data.code)
    good.category_id, good.name_zh, good.name_en = category.id, data.name_zh.strip(), data.name_en.strip()
    good.unit_zh, good.unit_en, good.product_code = data.unit_zh.strip(), data.unit_en.strip(), data.product_code or None
    good.authority_region, good.active = data.authority_region or "", bool(data.active)
    good.source, good.updated_at = (data.source or "")[:300], datetime.now(timezone.utc)
    session.add(good)
    session.flush()
    record(session=session, actor=caller.actor, action="docking.good.update" if before else "docking.good.create",
           object_type="docking_good", object_id=good.id, before=before, after=_snapshot(good))
    return good
