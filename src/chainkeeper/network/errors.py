"""Exception types raised by :mod:`chainkeeper.network` for bad input.

Every check in the engine raises one of these (all are :class:`ValueError`
subclasses), so callers can catch :class:`NetworkInputError` to report any
problem with user data, and the message says which firm or link is wrong.
"""

from __future__ import annotations

__all__ = [
    "NetworkInputError",
    "LengthMismatchError",
    "InvalidWeightError",
    "MissingIndustryError",
    "UnknownFirmError",
    "EssentialityMatrixError",
    "ShockError",
    "ScenarioError",
]


class NetworkInputError(ValueError):
    """Base class: the data given to the network engine is not valid."""


class LengthMismatchError(NetworkInputError):
    """Arrays that must describe the same links or firms differ in length."""


class InvalidWeightError(NetworkInputError):
    """A weight (or other quantity) is negative, NaN or infinite."""


class MissingIndustryError(NetworkInputError):
    """A firm has no industry (negative, NaN or missing industry code)."""


class UnknownFirmError(NetworkInputError):
    """A link names a firm that is not in the firm index."""


class EssentialityMatrixError(NetworkInputError):
    """The essentiality matrix has the wrong shape or values outside {0, 1, 2}."""


class ShockError(NetworkInputError):
    """A shock vector/matrix has the wrong shape or values outside [0, 1]."""


class ScenarioError(NetworkInputError):
    """A simulation scenario is inconsistent with the network."""
