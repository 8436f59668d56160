"""Read-only API routes answered in one thread-pool hop, serialised straight to JSON bytes.

A plain ``def`` route with a ``response_model`` costs FastAPI two hops to the thread pool (the route, then the
re-validation of its own return value) and a validation of a model the route has just built. :func:`json_route`
runs the route *and* its serialisation (pydantic-core, in Rust, by the route's declared return type) in a single
hop and hands FastAPI a finished :class:`~starlette.responses.Response`, which it sends as is. A route may return
plain data (dicts from Core rows) instead of models: it is validated against the declared return type first (in
pydantic-core, as FastAPI does with a ``response_model``), so the JSON is the same bytes either way. The route keeps its
signature, its ``response_model`` (the OpenAPI document) and its dependencies (policy guard, session). The
request's session (a parameter named ``session``) is committed in the same hop, after the body is made, so the
session dependency has nothing left to do in the pool.

``json_route(kept=ttl)`` also keeps the finished bytes (issue 15: answers that are a function of the data, like the
daily picture, the key nodes or the warnings, were computed anew on every call) in the application's kept answers
(:func:`chainkeeper.web.pages.scoped_cache.answer_cache`: one data epoch, ended by any committed write anywhere, and
at most ``ttl`` seconds) under everything that decides them: the route, the caller's scope
(:func:`~chainkeeper.web.pages.scoped_cache.scope_key`) and language, every parameter of the route (the query) and,
with ``day``, the day it depends on. Such a route takes the ``request``; a failing call keeps nothing.
"""

from __future__ import annotations

import functools
import typing
from collections.abc import Callable
from datetime import date
from typing import Any

from fastapi.concurrency import run_in_threadpool
from pydantic import TypeAdapter
from pydantic_core import to_json
from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import Response

from chainkeeper.auth.roles import Principal
from chainkeeper.web.pages.scoped_cache import answer_cache, scope_key

JSON = "application/json"
KEPT_SECONDS = 10.0
"""How long a kept answer is reused at most (writes end it at once; this bounds writes outside the ORM session and
the day turning), as the pages' kept blocks."""


class Serialised(bytes):
    """JSON a route made itself from plain rows (:func:`rows_json`), sent as it is: not validated again."""


def rows_json(rows: Any) -> Serialised:
    """Plain data (dicts of str, numbers, datetimes, lists…) as JSON by pydantic-core's own serialiser: the bytes
    the route's response model gives for the same values (floats, datetimes, NaN as null) when the rows hold each
    field's final type in the model's field order — each route's tests compare the two."""
    return Serialised(to_json(rows, inf_nan_mode="null"))


def json_route(endpoint: Callable[..., Any] | None = None, *, kept: float | None = None,
               day: Callable[[], date] | None = None) -> Callable[..., Any]:
    """Decorate a synchronous GET route (below ``@router.get``): run it and serialise its result in the pool;
    with ``kept``, keep the bytes for that many seconds at most (see the module's docstring)."""
    if endpoint is None:
        return lambda route: json_route(route, kept=kept, day=day)
    adapters: list[TypeAdapter] = []  # resolved on first call: the return annotation may name later classes

    def dump(args: tuple, kwargs: dict) -> bytes:
        result = endpoint(*args, **kwargs)
        if isinstance(result, Serialised):
            return bytes(result)
        if not adapters:
            adapters.append(TypeAdapter(typing.get_type_hints(endpoint)["return"]))
        return adapters[0].dump_json(adapters[0].validate_python(result))

    def answer(args: tuple, kwargs: dict) -> Response:
        session = kwargs.get("session")
        if kept is None:
            body = dump(args, kwargs)
        else:
            body = answer_cache(kwargs["request"].app).get(session, _key(endpoint, kwargs, day), kept,
                                                           lambda: dump(args, kwargs))
        if isinstance(session, Session) and session.in_transaction():
            session.commit()  # the request's read transaction ends here, in this thread: no hop for it afterwards
        return Response(body, media_type=JSON)

    @functools.wraps(endpoint)
    async def run(*args: Any, **kwargs: Any) -> Response:
        return await run_in_threadpool(answer, args, kwargs)

    return run


def _key(endpoint: Callable[..., Any], kwargs: dict, day: Callable[[], date] | None) -> tuple:
    """What decides a kept answer: the route, the caller's scope and language, the route's other parameters (the
    query; never the session or the request) and the day."""
    principal = next(value for value in kwargs.values() if isinstance(value, Principal))
    query = tuple((name, value) for name, value in sorted(kwargs.items())
                  if not isinstance(value, (Principal, Session, Request)))
    return (endpoint.__module__, endpoint.__qualname__, scope_key(principal), principal.language, query,
            day() if day is not None else None)
