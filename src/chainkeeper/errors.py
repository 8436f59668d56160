"""The platform's error hierarchy: domain errors that the web and CLI edges turn into responses."""

from __future__ import annotations


class ChainkeeperError(Exception):
    """Base of every error the platform raises on purpose."""

    code = "error"


class NotFound(ChainkeeperError):
    """The requested object does not exist (or is not visible to the caller)."""

    code = "not_found"


class ValidationFailed(ChainkeeperError):
    """Input was rejected; ``details`` lists what and where."""

    code = "validation_failed"

    def __init__(self, message: str, details: list[dict] | None = None):
        super().__init__(message)
        self.details = details or []


class Forbidden(ChainkeeperError):
    """The caller's role or region does not allow this action on this object."""

    code = "forbidden"


class Conflict(ChainkeeperError):
    """Someone else changed the object meanwhile; reload and try again."""

    code = "conflict"
