"""Matchmaking events (对接会): an authority organises one in its region (the ministry anywhere), enterprises take
part, matches are recorded (by the organiser or by one of the two enterprises, both taking part) and the deals
reported; the statistics count participants, matches, deals and their value. Events and their statistics are
announced to everyone signed in; a match's details only to its two enterprises and the authorities over the event's
region. Every write is audited; nothing here commits."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timezone

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, object_session

from chainkeeper.audit.service import record
from chainkeeper.coordination.messages import refuse
from chainkeeper.core.caller import Caller
from chainkeeper.docking.board.access import organiser_region, own_enterprise, require_organiser
from chainkeeper.docking.board.models import Event, Match, Participant
from chainkeeper.errors import Conflict, Forbidden, NotFound, ValidationFailed
from chainkeeper.i18n import _
from chainkeeper.reference.models import Region
from chainkeeper.registry.models import Enterprise


@dataclass(frozen=True)
class Statistics:
    """An event's figures."""

    participants: int
    matches: int
    deals: int
    deal_value_wan: float


TOO_LONG = {"title": _("enter a title (at most {limit} characters)"),
            "subject": _("enter what the match is about (at most {limit} characters)"),
            "place": _("the place is at most {limit} characters"),
            "description": _("the description is at most {limit} characters"),
            "note": _("the note is at most {limit} characters")}


def _text(value: str, field: str, limit: int, required: bool = True) -> str:
    value = (value or "").strip()
    if (required and not value) or len(value) > limit:
        raise refuse(ValidationFailed, TOO_LONG[field], field=field, limit=limit)
    return value


def create(*, session: Session, caller: Caller, title: str, held_on: date, place: str = "", description: str = "",
           region_code: str | None = None) -> Event:
    """Announce an event in ``region_code`` (by default the organiser's own region)."""
    own = organiser_region(caller.principal)
    region = own if region_code is None else region_code
    require_organiser(caller.principal, region or "")
    if region and session.get(Region, region) is None:
        raise refuse(ValidationFailed, _("no region {code}"), field="region_code", code=region[:6])
    event = Event(title=_text(title, "title", 200), region_code=region or "", held_on=held_on,
                  place=_text(place, "place", 200, required=False),
                  description=_text(description, "description", 4000, required=False),
                  organised_by=caller.actor.user_id)
    session.add(event)
    session.flush()
    record(session=session, actor=caller.actor, action="board.event.create", object_type="board_event",
           object_id=event.id, after={"title": event.title, "region_code": event.region_code,
                                      "held_on": held_on.isoformat()})
    return event


def get(session: Session, event_id: int) -> Event:
    """The event or :class:`NotFound`."""
    event = session.get(Event, event_id)
    if event is None:
        raise refuse(NotFound, _("no matchmaking event {id}"), id=event_id)
    return event


def listing(session: Session, limit: int = 200) -> list[Event]:
    """Every event, the latest first."""
    return list(session.scalars(select(Event).order_by(Event.held_on.desc(), Event.id.desc()).limit(limit)))


def join(*, session: Session, caller: Caller, event_id: int) -> Participant:
    """The caller's enterprise takes part in the event."""
    mine = own_enterprise(caller.principal)
    event = get(session, event_id)
    if session.scalar(select(Participant.id).where(Participant.event_id == event.id,
                                                   Participant.enterprise_id == mine)) is not None:
        raise refuse(Conflict, _("your enterprise already takes part"))
    participant = Participant(event_id=event.id, enterprise_id=mine)
    session.add(participant)
    session.flush()
    record(session=session, actor=caller.actor, action="board.event.join", object_type="board_event",
           object_id=event.id, after={"enterprise_id": mine})
    return participant


def _participants(session: Session, event: Event) -> set[int]:
    return set(session.scalars(select(Participant.enterprise_id).where(Participant.event_id == event.id)))


def _may_act(caller: Caller, event: Event, *parties: int) -> None:
    """The organiser's region covers the event, or the caller's enterprise is one of ``parties``."""
    own = organiser_region(caller.principal)
    if own is not None and event.region_code.startswith(own):
        return
    if caller.principal.enterprise_id is not None and caller.principal.enterprise_id in parties:
        return
    raise refuse(Forbidden, _("only the event's organisers or the two enterprises record a match or a deal"))


def record_match(*, session: Session, caller: Caller, event_id: int, buyer_id: int, supplier_id: int,
                 subject: str) -> Match:
    """A match made at the event between two of its participants."""
    event = get(session, event_id)
    _may_act(caller, event, buyer_id, supplier_id)
    taking_part = _participants(session, event)
    for field, firm in (("buyer_id", buyer_id), ("supplier_id", supplier_id)):
        if firm not in taking_part:
            raise refuse(ValidationFailed, _("enterprise {id} does not take part in the event"), field=field,
                         id=firm)
    if buyer_id == supplier_id:
        raise refuse(ValidationFailed, _("a match is between two enterprises"), field="supplier_id")
    match = Match(event_id=event.id, buyer_id=buyer_id, supplier_id=supplier_id,
                  subject=_text(subject, "subject", 200), state="matched", deal_note="",
                  created_by=caller.actor.user_id)
    session.add(match)
    session.flush()
    record(session=session, actor=caller.actor, action="board.match.create", object_type="board_match",
           object_id=match.id, after={"event_id": event.id, "buyer_id": buyer_id, "supplier_id": supplier_id,
                                      "subject": match.subject})
    return match


def report_deal(*, session: Session, caller: Caller, match_id: int, value_wan: float, note: str = "") -> Match:
    """Report the deal a match became (its value in 10,000 yuan)."""
    match = session.get(Match, match_id)
    if match is None or not match_scope_allows(caller, match):
        raise refuse(NotFound, _("no match {id}"), id=match_id)
    _may_act(caller, get(session, match.event_id), match.buyer_id, match.supplier_id)
    if match.state == "deal":
        raise refuse(Conflict, _("the deal was already reported"))
    if isinstance(value_wan, bool) or not isinstance(value_wan, (int, float)) or not 0 <= value_wan <= 1e9:
        raise refuse(ValidationFailed, _("the deal value is a number of 10,000 yuan, 0 or more"), field="value_wan")
    match.state, match.deal_value_wan = "deal", float(value_wan)
    match.deal_note, match.reported_by = _text(note, "note", 500, required=False), caller.actor.user_id
    match.reported_at = datetime.now(timezone.utc)
    session.flush()
    record(session=session, actor=caller.actor, action="board.match.deal", object_type="board_match",
           object_id=match.id, before={"state": "matched"}, after={"state": "deal", "value_wan": value_wan})
    return match


def match_scope_allows(caller: Caller, match: Match) -> bool:
    """True when the caller may read the match (its enterprises, authorities over the event, national roles)."""
    principal = caller.principal
    if principal.is_national:
        return True
    if principal.enterprise_id in (match.buyer_id, match.supplier_id):
        return True
    own = organiser_region(principal)
    return own is not None and object_session(match).get(Event, match.event_id).region_code.startswith(own)


def matches(*, session: Session, caller: Caller, event: Event) -> list[Match]:
    """The event's matches the caller may read."""
    principal = caller.principal
    own = organiser_region(principal)
    query = select(Match).where(Match.event_id == event.id).order_by(Match.id)
    if not principal.is_national and not (own is not None and event.region_code.startswith(own)):
        mine = principal.enterprise_id if principal.enterprise_id is not None else -1
        query = query.where(or_(Match.buyer_id == mine, Match.supplier_id == mine))
    return list(session.scalars(query))


def statistics(session: Session, event: Event) -> Statistics:
    """Participants, matches, deals and the deals' value of the event."""
    people = session.scalar(select(func.count()).select_from(Participant).where(Participant.event_id == event.id))
    made, deals, value = session.execute(
        select(func.count(), func.count(Match.deal_value_wan), func.coalesce(func.sum(Match.deal_value_wan), 0))
        .where(Match.event_id == event.id)).one()
    return Statistics(int(people or 0), int(made or 0), int(deals or 0), float(value or 0))


def participant_names(session: Session, event: Event) -> list[tuple[int, str]]:
    """(enterprise id, name) of the participants, by name."""
    query = (select(Enterprise.id, Enterprise.name).join(Participant, Participant.enterprise_id == Enterprise.id)
             .where(Participant.event_id == event.id).order_by(Enterprise.name))
    return [tuple(row) for row in session.execute(query).all()]
