"""REST endpoints of the matching board under ``/api/v1/docking/board``: listings and needs (search, post, close,
suggestions), threads (contact, answer) and matchmaking events (announce, take part, matches, deals). One
transaction per request; every read scoped by the services."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request

from chainkeeper.auth.deps import caller_of, guard
from chainkeeper.auth.roles import Principal
from chainkeeper.docking.board import events, posts, suggest, threads
from chainkeeper.docking.board import policies as bp
from chainkeeper.docking.board.posts import PostIn
from chainkeeper.docking.board.schemas import (ContactBody, DealBody, EventBody, EventOut, ListingBody, MatchBody,
                                               MatchOut, MessageBody, NeedBody, PostOut, SuggestionOut, ThreadOut)
from chainkeeper.docking.board.views import event_out, posts_out, suggestions_out, threads_out
from chainkeeper.web.deps import DbSession, ObjectId
from chainkeeper.web.errors import ERROR_RESPONSES
from chainkeeper.web.json_api import json_route

router = APIRouter(prefix="/docking/board", tags=["docking board"], responses=ERROR_RESPONSES)
Reader = Annotated[Principal, guard(bp.READ)]
Party = Annotated[Principal, guard(bp.PARTY)]
Text = Annotated[str, Query(max_length=200)]


def _language(principal: Principal) -> str:
    return principal.language or "zh_CN"


@router.get("/threads", response_model=list[ThreadOut])
@json_route
def my_threads(request: Request, session: DbSession, principal: Reader) -> list[ThreadOut]:
    """The conversations of the caller's enterprise, the latest first."""
    caller = caller_of(principal, request)
    return threads_out(session, caller, threads.listing(session=session, caller=caller))


@router.post("/threads", response_model=ThreadOut, status_code=201)
def contact(body: ContactBody, request: Request, session: DbSession, principal: Party) -> ThreadOut:
    """Write to the supplier of a listing or the buyer of a need (opens the conversation, or adds to it)."""
    caller = caller_of(principal, request)
    thread = threads.contact(session=session, caller=caller, kind=body.kind, post_id=body.post_id, body=body.body)
    return threads_out(session, caller, [thread], with_messages=True)[0]


@router.get("/threads/{thread_id}", response_model=ThreadOut)
def thread(thread_id: ObjectId, request: Request, session: DbSession, principal: Reader) -> ThreadOut:
    """A conversation with its messages (its two enterprises only)."""
    caller = caller_of(principal, request)
    found = threads.get(session=session, caller=caller, thread_id=thread_id)
    return threads_out(session, caller, [found], with_messages=True)[0]


@router.post("/threads/{thread_id}/messages", response_model=ThreadOut, status_code=201)
def answer(thread_id: ObjectId, body: MessageBody, request: Request, session: DbSession, principal: Party) -> ThreadOut:
    """Answer in a conversation."""
    caller = caller_of(principal, request)
    threads.reply(session=session, caller=caller, thread_id=thread_id, body=body.body)
    found = threads.get(session=session, caller=caller, thread_id=thread_id)
    return threads_out(session, caller, [found], with_messages=True)[0]


@router.get("/events", response_model=list[EventOut])
@json_route
def list_events(request: Request, session: DbSession, principal: Reader) -> list[EventOut]:
    """Every matchmaking event with its figures, the latest first."""
    caller = caller_of(principal, request)
    return [event_out(session, caller, e) for e in events.listing(session)]


@router.post("/events", response_model=EventOut, status_code=201)
def announce(body: EventBody, request: Request, session: DbSession,
             principal: Annotated[Principal, guard(bp.ORGANISE)]) -> EventOut:
    """Announce an event in the organiser's region (the ministry: any region, or national)."""
    caller = caller_of(principal, request)
    event = events.create(session=session, caller=caller, **body.model_dump())
    return event_out(session, caller, event, detail=True)


@router.get("/events/{event_id}", response_model=EventOut)
def event(event_id: ObjectId, request: Request, session: DbSession, principal: Reader) -> EventOut:
    """An event: figures, participants and the matches the caller may read."""
    caller = caller_of(principal, request)
    return event_out(session, caller, events.get(session, event_id), detail=True)


@router.post("/events/{event_id}/join", response_model=EventOut)
def join(event_id: ObjectId, request: Request, session: DbSession, principal: Party) -> EventOut:
    """The caller's enterprise takes part."""
    caller = caller_of(principal, request)
    events.join(session=session, caller=caller, event_id=event_id)
    return event_out(session, caller, events.get(session, event_id), detail=True)


@router.post("/events/{event_id}/matches", response_model=MatchOut, status_code=201)
def match(event_id: ObjectId, body: MatchBody, request: Request, session: DbSession,
          principal: Annotated[Principal, guard(bp.MATCH)]) -> MatchOut:
    """Record a match between two participants (the organisers, or one of the two enterprises)."""
    caller = caller_of(principal, request)
    made = events.record_match(session=session, caller=caller, event_id=event_id, **body.model_dump())
    return next(m for m in event_out(session, caller, events.get(session, event_id), detail=True).match_list
                if m.id == made.id)


@router.post("/matches/{match_id}/deal", response_model=MatchOut)
def deal(match_id: ObjectId, body: DealBody, request: Request, session: DbSession,
         principal: Annotated[Principal, guard(bp.MATCH)]) -> MatchOut:
    """Report the deal a match became (value in 10,000 yuan)."""
    caller = caller_of(principal, request)
    made = events.report_deal(session=session, caller=caller, match_id=match_id, value_wan=body.value_wan,
                              note=body.note)
    return next(m for m in event_out(session, caller, events.get(session, made.event_id), detail=True).match_list
                if m.id == made.id)


@router.post("/listings", response_model=PostOut, status_code=201)
def post_listing(body: ListingBody, request: Request, session: DbSession, principal: Party) -> PostOut:
    """A supplier lists a product: capacity a day, lead time, place, visibility."""
    made = posts.create(session=session, caller=caller_of(principal, request), kind="listing",
                        data=PostIn(**body.model_dump()))
    return posts_out(session, [made])[0]


@router.post("/needs", response_model=PostOut, status_code=201)
def post_need(body: NeedBody, request: Request, session: DbSession, principal: Party) -> PostOut:
    """A buyer posts a need: quantity, date needed, place, visibility."""
    made = posts.create(session=session, caller=caller_of(principal, request), kind="need",
                        data=PostIn(**body.model_dump()))
    return posts_out(session, [made])[0]


def _post_routes(segment: str, kind: str) -> None:
    """Search, read, close and suggestions of the posts of ``kind`` under ``/{segment}``."""

    @router.get(f"/{segment}", response_model=list[PostOut], name=f"search_{segment}")
    def search(request: Request, session: DbSession, principal: Reader, q: Text = "", product_code: Text = "",
               region: Annotated[str, Query(max_length=6)] = "",
               quantity: Annotated[float | None, Query(ge=0, le=1e12)] = None) -> list[PostOut]:
        """Open posts the caller may read, by Chinese full text (``q``, terms split on spaces), product code
        (registry product or critical good), region (code prefix) and quantity at least."""
        found = posts.find(session=session, caller=caller_of(principal, request), kind=kind,
                           query=posts.Query(text=q, product_code=product_code, region=region, quantity=quantity))
        return posts_out(session, found)

    @router.get(f"/{segment}/{{post_id}}", response_model=PostOut, name=f"read_{kind}")
    def read(post_id: ObjectId, request: Request, session: DbSession, principal: Reader) -> PostOut:
        """One post (if the caller may read it)."""
        return posts_out(session, [posts.get(session=session, caller=caller_of(principal, request), kind=kind,
                                             post_id=post_id)])[0]

    @router.post(f"/{segment}/{{post_id}}/close", response_model=PostOut, name=f"close_{kind}")
    def close(post_id: ObjectId, request: Request, session: DbSession, principal: Party) -> PostOut:
        """Close the caller's enterprise's own post."""
        return posts_out(session, [posts.close(session=session, caller=caller_of(principal, request), kind=kind,
                                               post_id=post_id)])[0]

    @router.get(f"/{segment}/{{post_id}}/suggestions", response_model=list[SuggestionOut],
                name=f"suggestions_{kind}")
    def suggestions(post_id: ObjectId, request: Request, session: DbSession, principal: Reader) -> list[SuggestionOut]:
        """The best matches of the other side, ranked, each with its reasons."""
        found = suggest.for_post(session=session, caller=caller_of(principal, request), kind=kind, post_id=post_id,
                                 language=_language(principal))
        return suggestions_out(session, found, kind, _language(principal))


_post_routes("listings", "listing")
_post_routes("needs", "need")
