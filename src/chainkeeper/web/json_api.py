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
"""

from __future__ import annotations

import functools
import typing
from collections.abc import Callable
from typing import Any

from fastapi.concurrency import run_in_threadpool
from pydantic import TypeAdapter
from sqlalchemy.orm import Session
from starlette.responses import Response

JSON = "application/json"


def json_route(endpoint: Callable[..., Any]) -> Callable[..., Any]:
    """Decorate a synchronous GET route (below ``@router.get``): run it and serialise its result in the pool."""
    adapters: list[TypeAdapter] = []  # resolved on first call: the return annotation may name later classes

    def answer(args: tuple, kwargs: dict) -> Response:
        result = endpoint(*args, **kwargs)
        if not adapters:
            adapters.append(TypeAdapter(typing.get_type_hints(endpoint)["return"]))
        body = adapters[0].dump_json(adapters[0].validate_python(result))
        session = kwargs.get("session")
        if isinstance(session, Session) and session.in_transaction():
            session.commit()  # the request's read transaction ends here, in this thread: no hop for it afterwards
        return Response(body, media_type=JSON)

    @functools.wraps(endpoint)
    async def run(*args: Any, **kwargs: Any) -> Response:
        return await run_in_threadpool(answer, args, kwargs)

    return run
