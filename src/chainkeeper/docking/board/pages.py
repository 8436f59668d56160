"""The board's pages under ``/docking/board``: search with the caller's posts and the forms to post, a post with
its ranked suggestions and the contact form, the conversations, and the matchmaking events. Forms post and redirect
back; a refused form rolls back and shows the message in the user's language."""

from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Annotated

from fastapi import Form, Request, Response

from chainkeeper.auth.deps import caller_of, guard
from chainkeeper.auth.roles import Principal
from chainkeeper.docking import catalogue
from chainkeeper.docking.board import events, posts, suggest, threads
from chainkeeper.docking.board import policies as bp
from chainkeeper.docking.board.access import organiser_region
from chainkeeper.docking.board.posts import PostIn
from chainkeeper.docking.board.views import event_out, posts_out, suggestions_out, threads_out
from chainkeeper.docking.units import unit_names
from chainkeeper.reporting.scope import local_date
from chainkeeper.web.deps import DbSession, ObjectId
from chainkeeper.web.kept_blocks import render_kept
from chainkeeper.web.pages.redirects import back, back_if_refused
from chainkeeper.web.pages.rendering import render, request_language
from chainkeeper.web.pages.route import page_router
from chainkeeper.web.pages.scoped_cache import page_cache, scope_key

router = page_router()
Reader = Annotated[Principal, guard(bp.READ)]
Party = Annotated[Principal, guard(bp.PARTY)]
Line = Annotated[str, Form(max_length=200)]
Long = Annotated[str, Form(max_length=4000)]
Code = Annotated[str, Form(max_length=64)]
KINDS = {"listings": "listing", "needs": "need"}
HOME = "/docking/board"


def _page(request: Request, session, name: str, **context) -> Response:
    language = request_language(request)
    return render(request, session, name, language=language, error=request.query_params.get("error"),
                  units=unit_names(language), **context)


def _number(text: str | None) -> float | None:
    try:
        return float(text) if text else None
    except ValueError:
        return None


GOODS_TTL = 10.0
"""Seconds the active goods' options are reused (every reader sees the same; a write ends them at once)."""


def _good_options(request: Request, session) -> list[tuple[str, str, str]]:
    """The active goods as (code, Chinese name, English name), by code, once per data epoch."""
    def compute() -> list[tuple[str, str, str]]:
        return [(good.code, good.name_zh, good.name_en) for good in catalogue.goods(session, active_only=True)]
    return page_cache(request.app).get(session, ("docking.board.goods",), GOODS_TTL, compute)


@router.get("/docking/board")
def board(request: Request, session: DbSession, principal: Reader) -> Response:
    """Search listings or needs; the caller's enterprise's posts; the forms to post."""
    params = request.query_params
    segment = params.get("kind") if params.get("kind") in KINDS else "listings"
    query = posts.Query(text=params.get("q", "")[:200], product_code=params.get("product_code", "")[:64],
                        region=params.get("region", "")[:6], quantity=_number(params.get("quantity")))
    caller, today, error = caller_of(principal, request), local_date(datetime.now(timezone.utc)), params.get("error")

    def context() -> dict:
        found = posts.find(session=session, caller=caller, kind=KINDS[segment], query=query)
        mine = posts.mine(session=session, caller=caller, kind="listing") + posts.mine(
            session=session, caller=caller, kind="need")
        language = request_language(request)
        return dict(language=language, units=unit_names(language), error=error, segment=segment, query=query,
                    results=posts_out(session, found), mine=posts_out(session, mine),
                    goods=_good_options(request, session), may_post=bp.PARTY.allows(principal), today=today)

    key = None if error else (scope_key(principal), today, segment, query)
    return render_kept(request, session, "docking/board/index.html", key, GOODS_TTL, context)


def _post_in(title, unit, county_code, good_code, product_code, description, visibility, **extra) -> PostIn:
    return PostIn(title=title, unit=unit, county_code=county_code.strip(), good_code=good_code or None,
                  product_code=product_code.strip() or None, description=description, visibility=visibility, **extra)


@router.post("/docking/board/listings")
def post_listing(request: Request, session: DbSession, principal: Party, title: Line, unit: Line,
                 county_code: Code, capacity_per_day: Annotated[float, Form(gt=0, le=1e12)],
                 lead_time_days: Annotated[int, Form(ge=0, le=365)], good_code: Code = "", product_code: Code = "",
                 description: Long = "", visibility: Code = "public") -> Response:
    """List a product."""
    with back_if_refused(HOME, request):
        made = posts.create(session=session, caller=caller_of(principal, request), kind="listing", data=_post_in(
            title, unit, county_code, good_code, product_code, description, visibility,
            capacity_per_day=capacity_per_day, lead_time_days=lead_time_days))
    return back(f"/docking/board/listings/{made.id}")


@router.post("/docking/board/needs")
def post_need(request: Request, session: DbSession, principal: Party, title: Line, unit: Line, county_code: Code,
              quantity: Annotated[float, Form(gt=0, le=1e12)], date_needed: Annotated[date, Form()],
              good_code: Code = "", product_code: Code = "", description: Long = "",
              visibility: Code = "public") -> Response:
    """Post a need."""
    with back_if_refused(HOME, request):
        made = posts.create(session=session, caller=caller_of(principal, request), kind="need", data=_post_in(
            title, unit, county_code, good_code, product_code, description, visibility, quantity=quantity,
            date_needed=date_needed))
    return back(f"/docking/board/needs/{made.id}")


@router.post("/docking/board/contact")
def contact(request: Request, session: DbSession, principal: Party, kind: Annotated[str, Form(max_length=8)],
            post_id: Annotated[int, Form(ge=1)], body: Long, back_to: Annotated[str, Form(max_length=200)] = HOME) \
        -> Response:
    """Write to the other side of a post (opens the conversation)."""
    url = back_to if back_to.startswith("/docking/board") else HOME
    with back_if_refused(url, request):
        thread = threads.contact(session=session, caller=caller_of(principal, request), kind=kind,
                                 post_id=post_id, body=body)
    return back(f"/docking/board/threads/{thread.id}")


@router.get("/docking/board/threads")
def thread_list(request: Request, session: DbSession, principal: Reader) -> Response:
    """The conversations of the caller's enterprise."""
    caller = caller_of(principal, request)
    return _page(request, session, "docking/board/threads.html",
                 threads=threads_out(session, caller, threads.listing(session=session, caller=caller)))


@router.get("/docking/board/threads/{thread_id}")
def thread_page(request: Request, session: DbSession, principal: Reader, thread_id: ObjectId) -> Response:
    """A conversation and the answer form."""
    caller = caller_of(principal, request)
    found = threads.get(session=session, caller=caller, thread_id=thread_id)
    return _page(request, session, "docking/board/thread.html",
                 thread=threads_out(session, caller, [found], with_messages=True)[0],
                 segment="listings" if found.kind == "listing" else "needs")


@router.post("/docking/board/threads/{thread_id}")
def answer(request: Request, session: DbSession, principal: Party, thread_id: ObjectId, body: Long) -> Response:
    """Answer in a conversation."""
    url = f"/docking/board/threads/{thread_id}"
    with back_if_refused(url, request):
        threads.reply(session=session, caller=caller_of(principal, request), thread_id=thread_id, body=body)
    return back(url)


@router.get("/docking/board/events")
def event_list(request: Request, session: DbSession, principal: Reader) -> Response:
    """The matchmaking events with their figures; the form to announce one (authorities)."""
    caller = caller_of(principal, request)
    return _page(request, session, "docking/board/events.html",
                 events=[event_out(session, caller, e) for e in events.listing(session)],
                 may_organise=organiser_region(principal) is not None, today=local_date(datetime.now(timezone.utc)))


@router.post("/docking/board/events")
def announce(request: Request, session: DbSession, principal: Annotated[Principal, guard(bp.ORGANISE)],
             title: Line, held_on: Annotated[date, Form()], place: Line = "", description: Long = "") -> Response:
    """Announce an event in the organiser's region."""
    with back_if_refused("/docking/board/events", request):
        event = events.create(session=session, caller=caller_of(principal, request), title=title, held_on=held_on,
                              place=place, description=description)
    return back(f"/docking/board/events/{event.id}")


@router.get("/docking/board/events/{event_id}")
def event_page(request: Request, session: DbSession, principal: Reader, event_id: ObjectId) -> Response:
    """An event: figures, participants, matches; take part, record a match, report a deal."""
    caller = caller_of(principal, request)
    view = event_out(session, caller, events.get(session, event_id), detail=True)
    joined = principal.enterprise_id in {p["id"] for p in view.taking_part}
    return _page(request, session, "docking/board/event.html", event=view, joined=joined,
                 may_join=bp.PARTY.allows(principal) and principal.enterprise_id is not None and not joined,
                 may_match=bp.MATCH.allows(principal) and (joined or organiser_region(principal) is not None))


@router.post("/docking/board/events/{event_id}/join")
def join(request: Request, session: DbSession, principal: Party, event_id: ObjectId) -> Response:
    """Take part in an event."""
    url = f"/docking/board/events/{event_id}"
    with back_if_refused(url, request):
        events.join(session=session, caller=caller_of(principal, request), event_id=event_id)
    return back(url)


@router.post("/docking/board/events/{event_id}/matches")
def match(request: Request, session: DbSession, principal: Annotated[Principal, guard(bp.MATCH)],
          event_id: ObjectId, buyer_id: Annotated[int, Form(ge=1)], supplier_id: Annotated[int, Form(ge=1)],
          subject: Line) -> Response:
    """Record a match made at the event."""
    url = f"/docking/board/events/{event_id}"
    with back_if_refused(url, request):
        events.record_match(session=session, caller=caller_of(principal, request), event_id=event_id,
                            buyer_id=buyer_id, supplier_id=supplier_id, subject=subject)
    return back(url)


@router.post("/docking/board/matches/{match_id}/deal")
def deal(request: Request, session: DbSession, principal: Annotated[Principal, guard(bp.MATCH)],
         match_id: ObjectId, value_wan: Annotated[float, Form(ge=0, le=1e9)], note: Line = "",
         event_id: Annotated[int, Form(ge=1)] = 1) -> Response:
    """Report the deal a match became."""
    url = f"/docking/board/events/{event_id}"
    with back_if_refused(url, request):
        events.report_deal(session=session, caller=caller_of(principal, request), match_id=match_id,
                           value_wan=value_wan, note=note)
    return back(url)


# the generic post routes last: /docking/board/threads/… and /events/… must match their own routes first
@router.get("/docking/board/{segment}/{post_id}")
def post_page(request: Request, session: DbSession, principal: Reader, segment: str, post_id: ObjectId) -> Response:
    """A post, its ranked suggestions with reasons, and the contact form."""
    if segment not in KINDS:
        return back(HOME)
    kind, caller, language = KINDS[segment], caller_of(principal, request), request_language(request)
    post = posts.get(session=session, caller=caller, kind=kind, post_id=post_id)
    found = suggest.for_post(session=session, caller=caller, kind=kind, post_id=post_id, language=language)
    return _page(request, session, "docking/board/post.html", post=posts_out(session, [post])[0],
                 suggestions=suggestions_out(session, found, kind, language), own=post.enterprise_id ==
                 principal.enterprise_id, may_contact=bp.PARTY.allows(principal) and principal.enterprise_id is not None,
                 me=principal.enterprise_id)


@router.post("/docking/board/{segment}/{post_id}/close")
def close(request: Request, session: DbSession, principal: Party, segment: str, post_id: ObjectId) -> Response:
    """Close one's own post."""
    if segment not in KINDS:
        return back(HOME)
    url = f"/docking/board/{segment}/{post_id}"
    with back_if_refused(url, request):
        posts.close(session=session, caller=caller_of(principal, request), kind=KINDS[segment], post_id=post_id)
    return back(url)
