"""One error shape for the whole API: ``{"error": {"code", "message", "details"}}``."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy.orm.exc import StaleDataError
from starlette.exceptions import HTTPException

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
                                (429, "Too many attempts"))
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


def install_error_handlers(app: FastAPI) -> None:
    """Register the handlers that turn errors into the common shape."""
    app.add_exception_handler(StaleDataError, _stale_error)
    app.add_exception_handler(BackWithError, back_with_error)
    app.add_exception_handler(ChainkeeperError, _domain_error)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _request_error)
