"""Listings (a supplier offers) and board needs (a buyer seeks): posted by an enterprise user for its enterprise,
searched by text, product code, region and quantity within the caller's scope, closed by their owner. Every write
is audited and re-indexed; nothing here commits."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from chainkeeper.audit.service import record
from chainkeeper.coordination.messages import refuse
from chainkeeper.core.caller import Caller
from chainkeeper.docking import catalogue
from chainkeeper.docking.board import search
from chainkeeper.docking.board.access import own_enterprise, post_scope
from chainkeeper.docking.board.models import VISIBILITIES, BoardNeed, Listing
from chainkeeper.docking.models import Good
from chainkeeper.errors import Conflict, Forbidden, NotFound, ValidationFailed
from chainkeeper.i18n import _
from chainkeeper.reference.models import Region
from chainkeeper.registry.models import Enterprise, Product

MODELS = {"listing": Listing, "need": BoardNeed}
MAX_QUANTITY = 1e12


@dataclass(frozen=True)
class PostIn:
    """What an enterprise posts: a listing (capacity a day and lead time) or a need (quantity and date)."""

    title: str
    unit: str
    county_code: str
    good_code: str | None = None
    product_code: str | None = None
    description: str = ""
    visibility: str = "public"
    capacity_per_day: float | None = None
    lead_time_days: int | None = None
    quantity: float | None = None
    date_needed: date | None = None


@dataclass(frozen=True)
class Query:
    """A search: text, product (registry product code or critical-good code), region prefix, quantity at least
    (a listing's capacity a day, a need's quantity)."""

    text: str = ""
    product_code: str = ""
    region: str = ""
    quantity: float | None = None
    limit: int = 100


def _invalid(template: str, field: str, **params):
    return refuse(ValidationFailed, template, field=field, **params)


def _number(value, field: str, template: str) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value <= MAX_QUANTITY:
        raise _invalid(template, field)


def _check(session: Session, kind: str, data: PostIn) -> tuple[Good | None, Product | None]:
    if not (data.title or "").strip() or len(data.title) > 200:
        raise _invalid(_("enter a title (at most {limit} characters)"), "title", limit=200)
    if not (data.unit or "").strip() or len(data.unit) > 20:
        raise _invalid(_("enter a unit (at most {limit} characters)"), "unit", limit=20)
    if len(data.description or "") > 4000:
        raise _invalid(_("the description is at most {limit} characters"), "description", limit=4000)
    if data.visibility not in VISIBILITIES:
        raise _invalid(_("the visibility is public or authorities"), "visibility")
    region = session.get(Region, data.county_code or "")
    if region is None or region.level != 3:
        raise _invalid(_("no county {code}"), "county_code", code=(data.county_code or "")[:6])
    if kind == "listing":
        _number(data.capacity_per_day, "capacity_per_day", _("the capacity a day must be above 0"))
        if isinstance(data.lead_time_days, bool) or not isinstance(data.lead_time_days, int) or \
                not 0 <= data.lead_time_days <= 365:
            raise _invalid(_("the lead time is 0 to 365 days"), "lead_time_days")
    else:
        _number(data.quantity, "quantity", _("the quantity must be above 0"))
        if not isinstance(data.date_needed, date):
            raise _invalid(_("enter the date needed"), "date_needed")
    good = catalogue.get_good(session, data.good_code) if data.good_code else None
    product = None
    if data.product_code:
        product = session.scalars(select(Product).where(Product.code == data.product_code)).first()
        if product is None:
            raise _invalid(_("the registry has no product {code}"), "product_code", code=data.product_code[:64])
    return good, product


def _text(firm: Enterprise, data: PostIn, good: Good | None, product: Product | None) -> str:
    parts = [data.title, data.description, firm.name, data.product_code or ""]
    parts += [good.name_zh, good.name_en, good.code] if good else []
    parts += [product.name] if product else []
    return search.normalise(" ".join(parts))


def snapshot(post) -> dict:
    """What the audit trail keeps of a post."""
    extra = ({"capacity_per_day": post.capacity_per_day, "lead_time_days": post.lead_time_days}
             if isinstance(post, Listing) else {"quantity": post.quantity, "date_needed": post.date_needed.isoformat()})
    return {"enterprise_id": post.enterprise_id, "good_id": post.good_id, "product_code": post.product_code,
            "title": post.title, "unit": post.unit, "county_code": post.county_code, "visibility": post.visibility,
            "state": post.state, **extra}


def create(*, session: Session, caller: Caller, kind: str, data: PostIn):
    """Post a listing or a need for the caller's enterprise (state ``open``)."""
    enterprise_id = own_enterprise(caller.principal)
    good, product = _check(session, kind, data)
    firm = session.get(Enterprise, enterprise_id)
    common = dict(enterprise_id=enterprise_id, good_id=good.id if good else None,
                  product_code=data.product_code or None, title=data.title.strip(),
                  description=(data.description or "").strip(), unit=data.unit.strip(), county_code=data.county_code,
                  visibility=data.visibility, state="open", search_text=_text(firm, data, good, product),
                  created_by=caller.actor.user_id)
    post = Listing(**common, capacity_per_day=float(data.capacity_per_day), lead_time_days=data.lead_time_days) \
        if kind == "listing" else BoardNeed(**common, quantity=float(data.quantity), date_needed=data.date_needed)
    session.add(post)
    session.flush()
    search.index(session, kind, post.id, post.search_text)
    record(session=session, actor=caller.actor, action=f"board.{kind}.create", object_type=f"board_{kind}",
           object_id=post.id, after=snapshot(post))
    return post


def get(*, session: Session, caller: Caller, kind: str, post_id: int):
    """The post if the caller may read it (:class:`NotFound` otherwise, with no hint that it exists)."""
    model = MODELS[kind]
    found = session.scalars(select(model).where(model.id == post_id, post_scope(caller.principal, model))).first()
    if found is None:
        raise refuse(NotFound, _("no board post {id}"), id=post_id)
    return found


def close(*, session: Session, caller: Caller, kind: str, post_id: int):
    """Close the caller's enterprise's own post."""
    post = get(session=session, caller=caller, kind=kind, post_id=post_id)
    if post.enterprise_id != caller.principal.enterprise_id:
        raise refuse(Forbidden, _("only its own enterprise closes a board post"))
    if post.state == "closed":
        raise refuse(Conflict, _("the board post is already closed"))
    before = snapshot(post)
    post.state = "closed"
    session.flush()
    record(session=session, actor=caller.actor, action=f"board.{kind}.close", object_type=f"board_{kind}",
           object_id=post.id, before=before, after=snapshot(post))
    return post


def find(*, session: Session, caller: Caller, kind: str, query: Query, open_only: bool = True) -> list:
    """The posts of ``kind`` the caller may read that match ``query``, newest first."""
    model = MODELS[kind]
    statement = select(model).where(post_scope(caller.principal, model), search.matches(model, kind, query.text))
    if open_only:
        statement = statement.where(model.state == "open")
    if query.product_code:
        good_ids = select(Good.id).where(Good.code == query.product_code)
        statement = statement.where(or_(model.product_code == query.product_code, model.good_id.in_(good_ids)))
    if query.region:
        statement = statement.where(model.county_code.startswith(query.region, autoescape=True))
    if query.quantity:
        size = model.capacity_per_day if kind == "listing" else model.quantity
        statement = statement.where(size >= query.quantity)
    return list(session.scalars(statement.order_by(model.id.desc()).limit(max(1, min(query.limit, 500)))))


def mine(*, session: Session, caller: Caller, kind: str) -> list:
    """The caller's enterprise's posts of ``kind``, newest first (none for a user of no enterprise)."""
    model = MODELS[kind]
    if caller.principal.enterprise_id is None:
        return []
    return list(session.scalars(select(model).where(model.enterprise_id == caller.principal.enterprise_id)
                                .order_by(model.id.desc()).limit(200)))
