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

A route may also return a finished document, :class:`Body` (from :func:`exact_json`): validating each row into a
model and serialising it again cost a list's route about a third of its work (issue 15). :func:`exact_json` makes
the document with orjson from data already in the return type's shape (its keys in the model's field order, its
values of the fields' types), which gives the bytes pydantic-core makes — except floats of 1e16 and more (orjson
writes ``1e16``, pydantic ``1e+16``): a document with such a number is refused (None) and the route returns its data.

A route declared ``@json_route(kept=seconds)`` keeps its documents per caller's scope and language and the route's
arguments (with ``day``, the day the answer depends on; else today), as the pages' kept blocks do
(:mod:`chainkeeper.web.pages.scoped_cache`: one data epoch, ended by any committed write anywhere, at most
``seconds``; nothing is kept from a transaction that wrote, nor for an API token's audited call). Answers that are a
function of the data, like the daily picture, the key nodes or the warnings, were computed anew on every call.
:func:`rows_json` writes a route's plain rows with pydantic-core's own serialiser when orjson's floats would differ.
"""

from __future__ import annotations

import functools
import re
import typing
from collections.abc import Callable, Hashable
from datetime import date
from typing import Any

import orjson
from fastapi.concurrency import run_in_threadpool
from pydantic import TypeAdapter
from pydantic_core import to_json
from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import Response

from chainkeeper.auth.roles import Principal
from chainkeeper.core.request import READ_REQUEST
from chainkeeper.web.pages.scoped_cache import ScopedCache, Sees, scope_key

JSON = "application/json"
KEPT_SECONDS = 10.0
"""How long a kept answer is reused at most (writes end it at once; this bounds the day turning and writes by
another database client), as the pages' kept blocks."""
KEPT_DOCUMENTS = 400
"""Documents kept at most (a list's is up to a few hundred kB)."""
_EXPONENT = re.compile(rb"\de\d")
"""How orjson writes a float of 1e16 or more (``2.5e16``); may also match inside a string, which only costs the
fallback."""


class Body(bytes):
    """A route's finished JSON document, sent as is."""


def exact_json(data: Any) -> Body | None:
    """``data`` (dicts in the route's return type's field order, values of the fields' types) as the JSON document
    pydantic-core makes of it, or None when a float would be written differently (the route returns ``data``)."""
    body = orjson.dumps(data)
    return None if _EXPONENT.search(body) else Body(body)


def rows_json(rows: Any) -> Body:
    """Plain data (dicts of str, numbers, datetimes, lists…) as JSON by pydantic-core's own serialiser: the bytes
    the route's response model gives for the same values (floats, datetimes, NaN as null) when the rows hold each
    field's final type in the model's field order — each route's tests compare the two."""
    return Body(to_json(rows, inf_nan_mode="null"))


def json_route(endpoint: Callable[..., Any] | None = None, *, kept: float | None = None,
               day: Callable[[], date] | None = None, sees: Callable[[Principal], Sees] | None = None):
    """Decorate a synchronous GET route (below ``@router.get``): run it and serialise its result in the pool.

    With ``kept`` (seconds), ``@json_route(kept=...)`` keeps each document under the caller's scope and the route's
    arguments (:func:`_kept_key`) until any write is committed or ``kept`` seconds pass (:data:`KEPT_ANSWERS`): a
    request of a kept document is answered on the event loop, with no statement and no trip to the pool. With
    ``sees`` (the caller's principal to what its documents can show of a narrow write: :meth:`ScopedCache.get`),
    the narrow writes the caller cannot see leave its documents kept."""
    if endpoint is None:
        return functools.partial(json_route, kept=kept, day=day, sees=sees)
    adapters: list[TypeAdapter] = []  # resolved on first call: the return annotation may name later classes

    def document(args: tuple, kwargs: dict) -> bytes:
        result = endpoint(*args, **kwargs)
        if isinstance(result, Body):
            return result
        if not adapters:
            adapters.append(TypeAdapter(typing.get_type_hints(endpoint)["return"]))
        return adapters[0].dump_json(adapters[0].validate_python(result))

    def answer(args: tuple, kwargs: dict, key: Hashable | None, seen: Sees | None) -> Response:
        session = kwargs.get("session")
        if key is None:
            body = document(args, kwargs)
        else:
            body = KEPT_ANSWERS.get(session, key, kept, lambda: document(args, kwargs), seen)
        if isinstance(session, Session) and session.in_transaction():
            session.commit()  # the request's read transaction ends here, in this thread: no hop for it afterwards
        return Response(body, media_type=JSON)

    @functools.wraps(endpoint)
    async def run(*args: Any, **kwargs: Any) -> Response:
        key = _kept_key(endpoint, kwargs, day) if kept else None
        seen = _seen(kwargs, sees) if key is not None else None
        if key is not None:
            body = KEPT_ANSWERS.peek(key, kept, seen)
            if body is not None:
                return Response(body, media_type=JSON)
        return await run_in_threadpool(answer, args, kwargs, key, seen)

    return run


KEPT_ANSWERS = ScopedCache(KEPT_DOCUMENTS)
"""The documents of the routes with ``kept`` seconds, in this process."""


def _seen(kwargs: dict, sees: Callable[[Principal], Sees] | None) -> Sees | None:
    """``sees`` of the caller (the route's principal argument), or None."""
    if sees is not None:
        for value in kwargs.values():
            if isinstance(value, Principal):
                return sees(value)
    return None


def _kept_key(endpoint: Callable[..., Any], kwargs: dict, day: Callable[[], date] | None) -> Hashable | None:
    """The route, its database, its day (``day()``, else today), and its arguments with the caller as its scope
    (:func:`~chainkeeper.web.pages.scoped_cache.scope_key`) and language; None without a caller or outside a read
    request's session."""
    session = kwargs.get("session")
    if not isinstance(session, Session) or not session.info.get(READ_REQUEST):
        return None  # a write's or an API token's request (audited): always answered afresh
    arguments = []
    scoped = False
    for name, value in kwargs.items():
        if isinstance(value, Principal):
            value, scoped = (scope_key(value), value.language), True
        elif isinstance(value, (Session, Request)):
            continue
        arguments.append((name, value))
    if not scoped:
        return None
    return endpoint, session.get_bind(), day() if day is not None else date.today(), tuple(arguments)
