"""Pure supply-network engine: networks, systemic risk, propagation, key nodes.

``chainkeeper.network`` depends only on numpy and scipy (numba and dask are
optional accelerators).  It imports nothing from the database, web or CLI
layers: callers build arrays and hand them to :meth:`SupplyNetwork.from_edges`.

Examples
--------
>>> from chainkeeper.network import SupplyNetwork, esri
>>> net = SupplyNetwork.from_edges([0, 1], [1, 2], [1.0, 1.0], [0, 0, 0], [[2]])
>>> esri(net, firms=[1]).h_d.tolist()
[1.0, 0.0, 0.0]
"""

from .errors import (
    EssentialityMatrixError,
    InvalidWeightError,
    LengthMismatchError,
    MissingIndustryError,
    NetworkInputError,
    ScenarioError,
    ShockError,
    UnknownFirmError,
)
import sys
from importlib import import_module
from types import ModuleType

_HOMES = {  # each public name and the submodule it lives in: imported on first use (PEP 562)
    "limiting_chain": "causes", "ConvergenceWarning": "esri", "ESRIResult": "esri", "esri": "esri",
    "numba_available": "esri", "stock_days_per_link": "initial_state", "SupplyNetwork": "network",
    "essentiality_from_io": "network", "Shock": "scenario", "capacity_schedule": "scenario",
    "SimulationResult": "simulate", "SimulationWarning": "simulate", "simulate": "simulate",
    "StabilityReport": "stability", "stability": "stability",
}
"""The engine's public names are loaded lazily: ``simulate`` brings numba and its kernels (0.2–0.3 s of CPU), which a
server that never simulates (``chainkeeper serve`` until the first analysis job) need not pay at start-up."""


def __getattr__(name: str):
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"{__name__}.{home}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_HOMES))


class _Engine(ModuleType):
    """The package keeps its functions ``esri``, ``simulate`` and ``stability`` under their own names when their
    submodules (of the same names) are imported: the import system binds a submodule on its package, which used to
    be undone by the package's own eager ``from .esri import esri``."""

    def __setattr__(self, name: str, value) -> None:
        if isinstance(value, ModuleType) and _HOMES.get(name) == name:
            value = getattr(value, name)
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Engine


__all__ = [
    "SupplyNetwork",
    "essentiality_from_io",
    "esri",
    "ESRIResult",
    "ConvergenceWarning",
    "numba_available",
    "Shock",
    "capacity_schedule",
    "simulate",
    "stock_days_per_link",
    "limiting_chain",
    "SimulationResult",
    "SimulationWarning",
    "stability",
    "StabilityReport",
    "NetworkInputError",
    "LengthMismatchError",
    "InvalidWeightError",
    "MissingIndustryError",
    "UnknownFirmError",
    "EssentialityMatrixError",
    "ShockError",
    "ScenarioError",
]
