"""One error shape for the whole API: ``{"error": {"code", "message", "details"}}``."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel
from sqlalchemy.exc import StatementError
from sqlalchemy.orm.exc import StaleDataError
from starlette.exceptions import HTTPException

from chainkeeper.db_faults import DISK_FULL, DatabaseProblem, classify
from chainkeeper.errors import ChainkeeperError, Conflict, Forbidden, NotFound, ValidationFailed
from chainkeeper.web.pages.redirects import BackWithError, back_with_error

_STATUS = {NotFound: 404, ValidationFailed: 422, Forbidden: 403, Conflict: 409}


class ErrorDetail(BaseModel):
    """The error itself."""

    code: str
    message: str
    details: list = []


class ErrorOut(BaseModel):
    """The one error shape of the API."""

    error: ErrorDetail


ERROR_RESPONSES = {
    status: {"model": ErrorOut, "description": description}
    for status, description in ((401, "Not signed in, or a bad token"), (403, "Not allowed"),
                                (404, "Not found (or not visible to the caller)"), (409, "Changed meanwhile"),
                                (422, "Invalid request"),
                                (429, "Too many attempts"),
                                (503, "The database is busy, down or its disk is full; see Retry-After"))
}
"""Documented on every API router, so clients (and schema checks) know every answer they can get."""


def error_body(code: str, message: str, details: list | None = None) -> dict:
    """The JSON body of an error response."""
    return {"error": {"code": code, "message": message, "details": details or []}}


async def _domain_error(_request: Request, error: ChainkeeperError) -> JSONResponse:
    status = next((s for kind, s in _STATUS.items() if isinstance(error, kind)), 400)
    return JSONResponse(error_body(error.code, str(error), getattr(error, "details", None)), status_code=status)


async def _http_error(_request: Request, error: HTTPException) -> JSONResponse:
    code = {404: "not_found", 405: "method_not_allowed", 401: "unauthorized", 403: "forbidden"}.get(
        error.status_code, "http_error")
    return JSONResponse(error_body(code, str(error.detail)), status_code=error.status_code)


async def _request_error(_request: Request, error: RequestValidationError) -> JSONResponse:
    details = [
        {"field": ".".join(str(part) for part in item["loc"]), "message": item["msg"]} for item in error.errors()
    ]
    return JSONResponse(error_body("invalid_request", "the request is not valid", details), status_code=422)


async def _stale_error(_request: Request, _error: StaleDataError) -> JSONResponse:
    return JSONResponse(error_body("conflict", "someone else changed this meanwhile; reload and try again"), 409)


def _wants_page(request: Request) -> bool:
    return "text/html" in request.headers.get("accept", "") and not request.url.path.startswith(("/api/", "/health"))


def database_problem_response(request: Request, problem: DatabaseProblem) -> Response:
    """503 (or 409) with ``Retry-After``: the common JSON error for the API, a translated page for a browser."""
    from chainkeeper.web.pages.rendering import render, request_language

    headers = {"Retry-After": str(problem.retry_after)} if problem.retry_after else {}
    if problem is DISK_FULL:
        _release_wal(request)
    request.state.principal = None  # the page chrome must not query the database that just failed
    language = request_language(request)
    if _wants_page(request):
        response = render(request, None, "error.html", status_code=problem.status, status=problem.status,
                          problem=problem.describe(language))
        response.headers.update(headers)
        return response
    return JSONResponse(error_body(problem.code, problem.describe(language)), status_code=problem.status,
                        headers=headers)


def _release_wal(request: Request) -> None:
    """After a disk-full failure, truncate the SQLite WAL (it holds only the failed transaction's pages)."""
    from chainkeeper.db import checkpoint

    try:
        checkpoint(request.app.state.engine)
    except Exception:  # noqa: BLE001 - best effort: the answer goes out either way
        pass


async def _database_error(request: Request, error: Exception) -> Response:
    problem = classify(error)
    if problem is None:
        raise error  # an unexpected error: the server's own 500 handling and log
    return database_problem_response(request, problem)


def install_error_handlers(app: FastAPI) -> None:
    """Register the handlers that turn errors into the common shape."""
    app.add_exception_handler(StatementError, _database_error)
    app.add_exception_handler(OSError, _database_error)
    app.add_exception_handler(StaleDataError, _stale_error)
    app.add_exception_handler(BackWithError, back_with_error)
    app.add_exception_handler(ChainkeeperError, _domain_error)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _request_error)
