"""Ranked match suggestions: for a buyer's need the open listings that could serve it, for a supplier's listing the
open needs it could serve — within what the caller may read, never the caller's own enterprise's posts. Each
suggestion scores four things in [0, 1] and keeps them as reasons (codes with values, rendered in the reader's
language by :func:`reason_text`):

* product (weight 0.4): the same registry product code 1, the same critical good 0.9, otherwise the share of the
  need's text bigrams found in the listing's text (below 0.3: nothing in common);
* distance (0.25): 1 − d / 3000 km between the two counties' centroids (``docking/geo.py``), at least 0;
* capacity (0.2): capacity a day × the days left to produce (days to the date needed − lead time, at least 1)
  against the quantity, at most 1;
* lead time (0.15): 1 when the goods arrive by the date needed, falling to 0 when they are late by the lead time.

Candidates are the posts of the same good or product code plus the 200 sharing most bigrams; a candidate with no
product score (nothing in common) is never suggested."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timezone

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from chainkeeper.core.caller import Caller
from chainkeeper.docking import geo
from chainkeeper.docking.board import posts, search
from chainkeeper.docking.board.access import post_scope
from chainkeeper.docking.board.models import BoardNeed, Listing
from chainkeeper.docking.models import Good
from chainkeeper.docking.units import unit_name
from chainkeeper.i18n import _, translate
from chainkeeper.reporting.scope import local_date

WEIGHTS = {"product": 0.4, "distance": 0.25, "capacity": 0.2, "lead_time": 0.15}
FAR_KM = 3000.0
MIN_SHARE = 0.3
"""Below this share of the need's text bigrams, two posts of different products have nothing in common."""
REASONS = {
    "same_product": _("the same product ({code})"),
    "same_good": _("the same critical good ({good})"),
    "similar_text": _("similar description ({share}% of the words in common)"),
    "distance": _("{km} km apart"),
    "capacity_covers": _("{capacity} a day covers {quantity} within {days} days"),
    "capacity_short": _("{capacity} a day makes only {covered} of {quantity} by the date needed"),
    "lead_ok": _("delivered in {lead} days, {spare} days before the date needed"),
    "lead_late": _("takes {lead} days: {late} days after the date needed"),
}


@dataclass(frozen=True)
class Suggestion:
    """A listing for a need (or the reverse), its score (0–100) and the reasons."""

    listing: Listing
    need: BoardNeed
    score: float
    parts: dict[str, float]
    reasons: tuple[dict, ...]


def reason_text(reason: dict, language: str) -> str:
    """A reason in ``language`` (a quantity of ``units`` followed by its unit in that language)."""
    params = dict(reason.get("params", {}))
    for name, unit in reason.get("units", {}).items():
        params[name] = f"{params[name]} {unit_name(unit, language)}"
    return translate(REASONS[reason["code"]], language, **params)


def _product(listing: Listing, need: BoardNeed, good_names: dict[int, str]) -> tuple[float, dict | None]:
    if listing.product_code and listing.product_code == need.product_code:
        return 1.0, {"code": "same_product", "params": {"code": listing.product_code}}
    if listing.good_id and listing.good_id == need.good_id:
        return 0.9, {"code": "same_good", "params": {"good": good_names.get(listing.good_id, "")}}
    wanted = search.bigrams(need.search_text)
    if not wanted:
        return 0.0, None
    share = len(wanted & search.bigrams(listing.search_text)) / len(wanted)
    if share < MIN_SHARE:
        return 0.0, None
    return share, {"code": "similar_text", "params": {"share": round(share * 100)}}


def _number(value: float) -> str:
    return f"{value:,.0f}"


def score(listing: Listing, need: BoardNeed, today: date, good_names: dict[int, str]) -> Suggestion | None:
    """The suggestion of ``listing`` for ``need`` as of ``today``; None when the products have nothing in common."""
    product, why = _product(listing, need, good_names)
    if why is None:
        return None
    km = geo.distance_km(geo.point(listing.county_code), geo.point(need.county_code))
    days_left = (need.date_needed - today).days
    producing = max(1, days_left - listing.lead_time_days)
    covered = listing.capacity_per_day * producing
    capacity = min(1.0, covered / need.quantity)
    late = listing.lead_time_days - days_left
    lead = 1.0 if late <= 0 else max(0.0, 1 - late / max(listing.lead_time_days, 1))
    parts = {"product": product, "distance": max(0.0, 1 - km / FAR_KM), "capacity": capacity, "lead_time": lead}
    reasons = [why, {"code": "distance", "params": {"km": _number(km)}}]
    amounts = {"capacity": _number(listing.capacity_per_day), "quantity": _number(need.quantity)}
    units = {"capacity": listing.unit, "quantity": need.unit}
    if capacity >= 1:
        days = max(1, -(-int(need.quantity) // max(int(listing.capacity_per_day), 1)))
        reasons.append({"code": "capacity_covers", "params": amounts | {"days": days}, "units": units})
    else:
        reasons.append({"code": "capacity_short", "params": amounts | {"covered": _number(covered)}, "units": units})
    reasons.append({"code": "lead_ok", "params": {"lead": listing.lead_time_days, "spare": -late}} if late <= 0
                   else {"code": "lead_late", "params": {"lead": listing.lead_time_days, "late": late}})
    total = 100 * sum(WEIGHTS[k] * v for k, v in parts.items())
    return Suggestion(listing, need, round(total, 1), parts, tuple(reasons))


def _candidates(session: Session, caller: Caller, post, target) -> list:
    """Open posts of the other kind, readable by the caller, not of the post's enterprise, that share the product
    or text."""
    kind = "listing" if target is Listing else "need"
    related = [target.id.in_(list(search.shared_grams(session, kind, post.search_text)))]
    if post.product_code:
        related.append(target.product_code == post.product_code)
    if post.good_id:
        related.append(target.good_id == post.good_id)
    query = select(target).where(target.state == "open", target.enterprise_id != post.enterprise_id,
                                 post_scope(caller.principal, target), or_(*related))
    return list(session.scalars(query))


def _good_names(session: Session, language: str) -> dict[int, str]:
    column = Good.name_en if language == "en" else Good.name_zh
    return dict(session.execute(select(Good.id, column)).all())


def for_post(*, session: Session, caller: Caller, kind: str, post_id: int, language: str = "zh_CN",
             today: date | None = None, limit: int = 10) -> list[Suggestion]:
    """The best ``limit`` suggestions for the post (listings for a need, needs for a listing), best first."""
    post = posts.get(session=session, caller=caller, kind=kind, post_id=post_id)
    today = today or local_date(datetime.now(timezone.utc))
    names = _good_names(session, language)
    found = []
    for other in _candidates(session, caller, post, Listing if kind == "need" else BoardNeed):
        pair = (other, post) if kind == "need" else (post, other)
        suggestion = score(*pair, today, names)
        if suggestion is not None:
            found.append(suggestion)
    found.sort(key=lambda s: (-s.score, s.listing.id if kind == "need" else s.need.id))
    return found[:limit]
