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
"""

from __future__ import annotations

import functools
import re
import typing
from collections.abc import Callable
from typing import Any

import orjson
from fastapi.concurrency import run_in_threadpool
from pydantic import TypeAdapter
from sqlalchemy.orm import Session
from starlette.responses import Response

JSON = "application/json"
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


def json_route(endpoint: Callable[..., Any]) -> Callable[..., Any]:
    """Decorate a synchronous GET route (below ``@router.get``): run it and serialise its result in the pool."""
    adapters: list[TypeAdapter] = []  # resolved on first call: the return annotation may name later classes

    def answer(args: tuple, kwargs: dict) -> Response:
        result = endpoint(*args, **kwargs)
        if not adapters:
            adapters.append(TypeAdapter(typing.get_type_hints(endpoint)["return"]))
        body = result if isinstance(result, Body) else adapters[0].dump_json(adapters[0].validate_python(result))
        session = kwargs.get("session")
        if isinstance(session, Session) and session.in_transaction():
            session.commit()  # the request's read transaction ends here, in this thread: no hop for it afterwards
        return Response(body, media_type=JSON)

    @functools.wraps(endpoint)
    async def run(*args: Any, **kwargs: Any) -> Response:
        return await run_in_threadpool(answer, args, kwargs)

    return run
