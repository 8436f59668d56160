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
from .causes import limiting_chain
from .esri import ConvergenceWarning, ESRIResult, esri, numba_available
from .initial_state import stock_days_per_link
from .network import SupplyNetwork, essentiality_from_io
from .scenario import Shock, capacity_schedule
from .simulate import SimulationResult, SimulationWarning, simulate
from .stability import StabilityReport, stability

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
