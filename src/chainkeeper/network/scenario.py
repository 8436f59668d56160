"""Disruption scenarios for :func:`chainkeeper.network.simulate`.

A :class:`Shock` cuts the production capacity of a set of firms (given
directly, or every firm of some regions or industries) by a fraction, from a
start day, and lets it recover along a path.  A scenario is a list of shocks;
where several hit one firm on one day, the largest cut applies.

Examples
--------
"Region 31, -90%, 30 days" with a linear recovery:

>>> s = Shock(cut=0.9, regions=[31], duration=30, recovery="linear")
>>> [round(s.cut_on(d), 3) for d in (0, 15, 29, 30)]
[0.9, 0.45, 0.03, 0.0]
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Sequence

import numpy as np

from .errors import ScenarioError
from .network import SupplyNetwork

__all__ = ["Shock", "capacity_schedule"]

Recovery = Literal["step", "linear", "exponential"]


@dataclass(frozen=True)
class Shock:
    """A capacity cut for a set of firms.

    Parameters
    ----------
    cut : float
        Share of capacity lost, in (0, 1] (0.9 = -90%).
    firms, regions, industries : sequence of int, optional
        Hit firms: the union of the listed firm indices and of every firm in
        the listed region codes or industries.  At least one must be given.
    start : int, default 0
        First day of the cut (days are numbered from 0).
    duration : int or None
        Days until full recovery; ``None`` = the cut never ends.
    recovery : {"step", "linear", "exponential"}
        ``"step"``: the full cut until ``start + duration``, then none;
        ``"linear"``: falls linearly to 0 at ``start + duration``;
        ``"exponential"``: ``cut * exp(-(t - start) / tau)`` with
        ``tau = duration / ln(100)`` (99% recovered at the end), 0 after.
    """

    cut: float
    firms: Sequence[int] | None = None
    regions: Sequence[int] | None = None
    industries: Sequence[int] | None = None
    start: int = 0
    duration: int | None = None
    recovery: Recovery = "step"

    def __post_init__(self) -> None:
        if not (0.0 < float(self.cut) <= 1.0):
            raise ScenarioError(f"cut must be in (0, 1], got {self.cut}")
        if self.firms is None and self.regions is None and self.industries is None:
            raise ScenarioError("a shock needs firms, regions or industries")
        if self.start < 0:
            raise ScenarioError(f"start must be >= 0, got {self.start}")
        if self.duration is not None and self.duration <= 0:
            raise ScenarioError(f"duration must be positive, got {self.duration}")
        if self.recovery not in ("step", "linear", "exponential"):
            raise ScenarioError(f"unknown recovery path {self.recovery!r}")
        if self.recovery != "step" and self.duration is None:
            raise ScenarioError(f"a {self.recovery} recovery needs a duration")

    def cut_on(self, day: int) -> float:
        """The capacity cut on ``day``.

        Examples
        --------
        >>> Shock(cut=0.5, firms=[0], start=2, duration=3).cut_on(1)
        0.0
        >>> Shock(cut=0.5, firms=[0], start=2, duration=3).cut_on(4)
        0.5
        """
        t = day - self.start
        if t < 0 or (self.duration is not None and t >= self.duration):
            return 0.0
        if self.recovery == "step":
            return float(self.cut)
        if self.recovery == "linear":
            return float(self.cut) * (1.0 - t / self.duration)
        tau = self.duration / np.log(100.0)
        return float(self.cut) * float(np.exp(-t / tau))

    def mask(self, network: SupplyNetwork) -> np.ndarray:
        """Boolean mask of the firms hit by this shock."""
        n = network.n_firms
        hit = np.zeros(n, dtype=bool)
        if self.firms is not None:
            f = np.asarray(self.firms, dtype=np.int64)
            if f.size and (f.min() < 0 or f.max() >= n):
                raise ScenarioError(f"shock names firms outside 0..{n - 1}")
            hit[f] = True
        if self.regions is not None:
            if network.region is None:
                raise ScenarioError("the shock is by region but the network has no regions")
            hit |= np.isin(network.region, np.asarray(self.regions))
        if self.industries is not None:
            hit |= np.isin(network.industry, np.asarray(self.industries))
        return hit


def capacity_schedule(network: SupplyNetwork, shocks: Sequence[Shock] | Shock):
    """Return ``cut(day) -> ndarray (n,)``: each firm's capacity cut on a day.

    Examples
    --------
    >>> net = SupplyNetwork.from_edges([0], [1], [1.0], [0, 0], [[1]])
    >>> cut = capacity_schedule(net, Shock(cut=0.4, firms=[1], duration=2))
    >>> cut(0).tolist(), cut(2).tolist()
    ([0.0, 0.4], [0.0, 0.0])
    """
    if isinstance(shocks, Shock):
        shocks = [shocks]
    masks = [np.flatnonzero(s.mask(network)) for s in shocks]
    n = network.n_firms

    def cut(day: int) -> np.ndarray:
        out = np.zeros(n)
        for s, idx in zip(shocks, masks):
            c = s.cut_on(day)
            if c > 0.0:
                _max_into(out, idx, c)
        return out

    return cut


def _max_into(out: np.ndarray, idx: np.ndarray, value: float) -> None:
    out[idx] = np.maximum(out[idx], value)
