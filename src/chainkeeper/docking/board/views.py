"""Posts, suggestions, threads and events as plain rows for the API and the pages (names looked up once)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from chainkeeper.core.caller import Caller
from chainkeeper.docking.board import events, threads
from chainkeeper.docking.board.models import Event, Listing, Thread
from chainkeeper.docking.board.schemas import EventOut, MatchOut, MessageOut, PostOut, SuggestionOut, ThreadOut
from chainkeeper.docking.board.suggest import Suggestion, reason_text
from chainkeeper.docking.models import Good
from chainkeeper.reference import cache
from chainkeeper.reference.models import Region
from chainkeeper.registry.models import Enterprise


def names(session: Session, ids) -> dict[int, str]:
    """Enterprise id → name."""
    ids = set(ids)
    if not ids:
        return {}
    return dict(session.execute(select(Enterprise.id, Enterprise.name).where(Enterprise.id.in_(ids))).all())


def places(session: Session, codes) -> dict[str, str]:
    """Region code → its name with its city's for a county (长春市朝阳区; a municipality's district under the
    municipality's name, 上海市浦东新区, not the table's placeholder 市辖区), '' → ''."""
    codes = {c for c in codes if c}
    wanted = codes | {c[:n] for c in codes if len(c) == 6 for n in (2, 4)}
    known = cache.reference_names(session, Region)  # every region's name, read once per process
    if known is not None:
        found = {code: known[code] for code in wanted if code in known}
    else:
        found = dict(session.execute(select(Region.code, Region.name).where(Region.code.in_(wanted))).all()) \
            if wanted else {}
    return {c: _county_city(found, c) + found.get(c, c) for c in codes}


def _county_city(found: dict[str, str], code: str) -> str:
    """The name of a county's city ('' for any other code, or a city that bears the county's name)."""
    if len(code) != 6:
        return ""
    city = found.get(code[:4], "")
    if city in cache.PLACEHOLDER_CITIES:
        city = found.get(code[:2], "")
    return "" if city == found.get(code) else city


def _good_codes(session: Session, items) -> dict[int, str]:
    ids = {p.good_id for p in items if p.good_id}
    return dict(session.execute(select(Good.id, Good.code).where(Good.id.in_(ids))).all()) if ids else {}


def posts_out(session: Session, items) -> list[PostOut]:
    """Posts with their enterprises' names and goods' codes."""
    firms, goods = names(session, (p.enterprise_id for p in items)), _good_codes(session, items)
    where = places(session, (p.county_code for p in items))
    rows = []
    for post in items:
        extra = ({"capacity_per_day": post.capacity_per_day, "lead_time_days": post.lead_time_days}
                 if isinstance(post, Listing) else {"quantity": post.quantity, "date_needed": post.date_needed})
        rows.append(PostOut(id=post.id, kind="listing" if isinstance(post, Listing) else "need",
                            enterprise_id=post.enterprise_id, enterprise=firms.get(post.enterprise_id, ""),
                            title=post.title, description=post.description, good_code=goods.get(post.good_id),
                            product_code=post.product_code, unit=post.unit, county_code=post.county_code,
                            place=where.get(post.county_code, post.county_code),
                            visibility=post.visibility, state=post.state, **extra))
    return rows


def suggestions_out(session: Session, found: list[Suggestion], kind: str, language: str) -> list[SuggestionOut]:
    """Suggestions for a post of ``kind``: the other side's posts with score and reasons in ``language``."""
    others = posts_out(session, [s.listing if kind == "need" else s.need for s in found])
    return [SuggestionOut(post=other, score=s.score, parts=s.parts,
                          reasons=[reason_text(r, language) for r in s.reasons]) for other, s in zip(others, found)]


def threads_out(session: Session, caller: Caller, items: list[Thread], with_messages: bool = False) -> list[ThreadOut]:
    """Threads with the two enterprises' names (and the messages, when asked)."""
    firms = names(session, [t.buyer_id for t in items] + [t.supplier_id for t in items])
    mine = caller.principal.enterprise_id
    rows = []
    for thread in items:
        said = [MessageOut(id=m.id, enterprise_id=m.enterprise_id, mine=m.enterprise_id == mine, body=m.body,
                           created_at=m.created_at) for m in threads.messages(session, thread)] if with_messages else []
        rows.append(ThreadOut(id=thread.id, kind=thread.kind, post_id=thread.post_id, subject=thread.subject,
                              buyer_id=thread.buyer_id, buyer=firms.get(thread.buyer_id, ""),
                              supplier_id=thread.supplier_id, supplier=firms.get(thread.supplier_id, ""),
                              last_at=thread.last_at, messages=said))
    return rows


def event_out(session: Session, caller: Caller, event: Event, detail: bool = False) -> EventOut:
    """An event with its figures (and, in detail, the participants and the matches the caller may read)."""
    figures = events.statistics(session, event)
    taking_part, found = [], []
    if detail:
        taking_part = [{"id": i, "name": n} for i, n in events.participant_names(session, event)]
        matches = events.matches(session=session, caller=caller, event=event)
        firms = names(session, [m.buyer_id for m in matches] + [m.supplier_id for m in matches])
        found = [MatchOut(id=m.id, buyer_id=m.buyer_id, buyer=firms.get(m.buyer_id, ""), supplier_id=m.supplier_id,
                          supplier=firms.get(m.supplier_id, ""), subject=m.subject, state=m.state,
                          deal_value_wan=m.deal_value_wan) for m in matches]
    return EventOut(id=event.id, title=event.title, region_code=event.region_code,
                    region=places(session, [event.region_code]).get(event.region_code, ""), held_on=event.held_on,
                    place=event.place, description=event.description, participants=figures.participants,
                    matches=figures.matches, deals=figures.deals, deal_value_wan=figures.deal_value_wan,
                    taking_part=taking_part, match_list=found)
