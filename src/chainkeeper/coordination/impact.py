"""Impact of a blocking point: who stops, on which day, which of them are white-listed, and the output at risk.

A case names a blocking party — an enterprise, or a region (a closed highway exit, a locked-down county). The engine's
day-by-day model (:func:`chainkeeper.network.simulate`, firm-level ARIO after Inoue & Todo) cuts the capacity of the
blocked firms and follows the shortage down the registry's supply links, each customer living on its inventory of
the input (the links' ``inventory_days``; the engine's default where unknown) until it runs dry. The answer,
:class:`Impact`, is what the coordination desk shows and sorts its queue by.

Days are numbered from 0, the day the block starts (``on``): a firm with ``day_below_50 == 5`` stops on
``on + 5 days``, the sixth day of the block. Money is CNY: link weights are annual values, so a firm's baseline
daily output is ``x0 / 365`` where ``x0`` is the engine's baseline output (``max(sales to firms, purchases from
firms)`` — the registry holds no turnover, so sales outside the registry are not counted).

Loading the registry network takes seconds at 100,000 enterprises; :class:`NetworkCache` (and
:func:`cached_registry_network`) keeps one loaded network per database for a few minutes and drops it as soon as
the registry changes.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import numpy as np
from sqlalchemy import BigInteger, case, cast, func, select
from sqlalchemy.orm import Session

from chainkeeper.analysis.loader import RegistryNetwork, load_registry_network
from chainkeeper.errors import NotFound, ValidationFailed
from chainkeeper.network import Shock, SupplyNetwork
from chainkeeper.reference.models import Region
from chainkeeper.registry.models import Enterprise, SupplyLink
from chainkeeper.registry.service import region_clause
from chainkeeper.whitelist.recommend import listed_enterprise_ids

__all__ = [
    "AFFECTED_BELOW",
    "AffectedFirm",
    "Blocking",
    "Impact",
    "NetworkCache",
    "assess_firms",
    "assess_impact",
    "cached_registry_network",
    "priority_score",
    "registry_fingerprint",
]

DAYS_PER_YEAR = 365.0
AFFECTED_BELOW = 0.99
"""A downstream firm is *affected* when its daily output falls below this share of normal on some day."""
DEFAULT_LIMIT = 200
DEFAULT_MAX_AGE = 300.0


@dataclass(frozen=True)
class AffectedFirm:
    """A downstream enterprise whose production falls because of the block.

    ``day_below_90`` / ``day_below_50``: first day (0 = the block's first day) it produces below 90% / 50% of
    normal, None if not within the horizon; below 50% is taken as "stops". ``min_level``: its lowest daily output
    as a share of normal. ``lost_output_cny``: its output lost over the horizon. ``listed``: on a published,
    non-suspended white-list entry on the assessment date.
    """

    enterprise_id: int
    uscc: str
    name: str
    city: int
    day_below_90: int | None
    day_below_50: int | None
    min_level: float
    lost_output_cny: float
    listed: bool


@dataclass(frozen=True)
class Blocking:
    """The blocking party: ``kind`` is ``"enterprise"`` (code = USCC) or ``"region"`` (code = 2/4/6-digit code)."""

    kind: str
    code: str
    name: str
    enterprise_id: int | None = None


@dataclass(frozen=True)
class Impact:
    """What a blocking point does within ``horizon_days``; fields only, the desk renders the words.

    Attributes
    ----------
    blocking : Blocking
    on : date
        First day of the block; white-list status is taken on this date.
    horizon_days, cut, duration
        The scenario: capacity cut (1.0 = stopped) of the blocked firms from day 0 for ``duration`` days
        (None = beyond the horizon).
    n_blocked : int
        Firms of the registry inside the block (1 for an enterprise; 0 for a region without registered firms).
    affected : tuple of AffectedFirm
        Downstream firms (reachable from a blocked one along supply links, blocked ones excluded) whose output
        falls below :data:`AFFECTED_BELOW`; stopping firms first by the day they stop, then firms that only fall
        below 90% by that day, then the rest; ties by name. At most ``limit`` of them (see ``n_affected``).
    n_affected, n_listed_affected : int
        All affected firms, and those of them that are white-listed (not capped).
    n_listed_stopping : int
        White-listed affected firms that stop (below 50%) within the horizon.
    listed_stop_days : tuple of int
        Their stopping days, ascending (one per firm): "stops 4 listed enterprises within 6 days" is
        ``len(...) == 4`` and ``listed_stop_days[-1] + 1 == 6``.
    first_listed_stop_day, first_stop_day : int or None
        Earliest stopping day of a listed affected firm / of any affected firm.
    n_other_hit : int
        Firms outside the block that are not downstream of it but still lose output (suppliers whose orders
        shrink, and their ripples); they count in the output at risk, not in ``affected``.
    output_at_risk_cny : float
        Output lost over the horizon by every firm outside the block (downstream and upstream):
        sum over days and firms of ``(1 - level_t) * x0 / 365``.
    blocked_output_cny : float
        The blocked firms' own lost output over the horizon (the direct loss; not in ``output_at_risk_cny``).
    priority : float
        The queue's sort key, in CNY::

            priority = output_at_risk_cny * (1 + sum over listed firms that stop of (H - d) / H)

        with ``H = horizon_days`` and ``d`` the firm's stopping day. A case that stops no listed enterprise ranks
        by its output at risk; each listed enterprise that stops adds up to one more times that output, the more
        the earlier it stops (a stop on day 0 doubles it, one on the last day adds ``1/H``). Higher = sooner.
    """

    blocking: Blocking
    on: date
    horizon_days: int
    cut: float
    duration: int | None
    n_blocked: int
    affected: tuple[AffectedFirm, ...]
    n_affected: int
    n_listed_affected: int
    n_listed_stopping: int
    listed_stop_days: tuple[int, ...]
    first_listed_stop_day: int | None
    first_stop_day: int | None
    n_other_hit: int
    output_at_risk_cny: float
    blocked_output_cny: float
    priority: float

    @property
    def truncated(self) -> bool:
        """True when ``affected`` holds fewer firms than ``n_affected``."""
        return len(self.affected) < self.n_affected

    def summary_params(self) -> dict:
        """Numbers for the desk's one-line summary (rendered and translated by the caller).

        ``listed_stopping`` firms stop ``within_days`` days (None when none stops); ``output_at_risk_bn`` is in
        billions of CNY over ``horizon_days``.
        """
        return {
            "blocking": self.blocking.name or self.blocking.code,
            "listed_stopping": self.n_listed_stopping,
            "within_days": self.listed_stop_days[-1] + 1 if self.listed_stop_days else None,
            "affected": self.n_affected,
            "listed_affected": self.n_listed_affected,
            "output_at_risk_bn": self.output_at_risk_cny / 1e9,
            "horizon_days": self.horizon_days,
        }


def priority_score(output_at_risk_cny: float, listed_stop_days, horizon_days: int) -> float:
    """The queue key of :class:`Impact` (see ``Impact.priority``).

    >>> priority_score(100.0, [0, 5], 10)
    250.0
    >>> priority_score(100.0, [], 10)
    100.0
    """
    weight = sum((horizon_days - d) / horizon_days for d in listed_stop_days)
    return float(output_at_risk_cny) * (1.0 + weight)


# --------------------------------------------------------------------------------------------------- assessment
def assess_impact(*, session: Session, enterprise_id: int | None = None, region_code: str | None = None, on: date,
                  horizon_days: int = 30, cut: float = 1.0, duration: int | None = None,
                  loaded: RegistryNetwork | None = None, limit: int = DEFAULT_LIMIT) -> Impact:
    """Simulate the block of one enterprise or of every registered firm of a region and report the impact.

    Parameters
    ----------
    enterprise_id, region_code
        Exactly one: the blocked enterprise's database id, or a region code (2-digit province, 4-digit prefecture
        or 6-digit county, as stored on :class:`~chainkeeper.registry.models.Enterprise`).
    on
        First day of the block; the white lists are read as of this date.
    horizon_days, cut, duration
        Days simulated; the capacity cut of the blocked firms (1.0 = stopped); how long it lasts (None = all along).
    loaded
        A loaded registry network; by default :func:`cached_registry_network` (loaded once, reused until the
        registry changes).
    limit
        At most this many firms in ``Impact.affected`` (the counts are not capped).

    Raises
    ------
    NotFound
        Unknown enterprise id or region code.
    ValidationFailed
        Both or neither of ``enterprise_id`` and ``region_code``; a malformed region code; a bad scenario.
    """
    _check_scenario(enterprise_id, region_code, horizon_days, cut, duration)
    loaded = loaded if loaded is not None else cached_registry_network(session)
    if enterprise_id is not None:
        blocking, blocked = _enterprise_block(session, loaded, enterprise_id)
    else:
        blocking, blocked = _region_block(session, loaded, region_code)
    return _impact(session, loaded, blocking, blocked, on, horizon_days, cut, duration, limit)


def assess_firms(*, session: Session, enterprise_ids, blocking: Blocking, on: date, horizon_days: int = 30,
                 cut: float = 1.0, duration: int | None = None, loaded: RegistryNetwork | None = None,
                 limit: int = DEFAULT_LIMIT) -> Impact:
    """:func:`assess_impact` for any set of enterprises named by ``blocking`` (e.g. one industry of a region, for an
    early warning on a product); ids not in the loaded network are ignored."""
    _check_scenario(None, "", horizon_days, cut, duration)
    loaded = loaded if loaded is not None else cached_registry_network(session)
    return _impact(session, loaded, blocking, _index_of(loaded, enterprise_ids), on, horizon_days, cut, duration,
                   limit)


def _check_scenario(enterprise_id, region_code, horizon_days, cut, duration) -> None:
    if (enterprise_id is None) == (region_code is None):
        raise ValidationFailed("name exactly one blocking party: an enterprise or a region")
    if not isinstance(horizon_days, int) or horizon_days < 1:
        raise ValidationFailed(f"horizon_days must be a positive number of days, got {horizon_days!r}")
    if not 0.0 < float(cut) <= 1.0:
        raise ValidationFailed(f"cut must be in (0, 1], got {cut!r}")
    if duration is not None and duration < 1:
        raise ValidationFailed(f"duration must be a positive number of days, got {duration!r}")


def _index_of(loaded: RegistryNetwork, ids) -> np.ndarray:
    """Firm indices of the given enterprise ids that are in the loaded network."""
    ids = np.asarray(list(ids), dtype=np.int64)
    known = loaded.enterprise_ids
    if ids.size == 0 or known.size == 0:
        return np.zeros(0, dtype=np.int64)
    pos = np.minimum(np.searchsorted(known, ids), known.size - 1)
    return np.unique(pos[known[pos] == ids])


def _enterprise_block(session: Session, loaded: RegistryNetwork, enterprise_id: int) -> tuple[Blocking, np.ndarray]:
    index = _index_of(loaded, [enterprise_id])
    if index.size == 0:
        if session.get(Enterprise, enterprise_id) is None:
            raise NotFound(f"no enterprise {enterprise_id}")
        raise NotFound(f"enterprise {enterprise_id} is not in the loaded registry network")
    i = int(index[0])
    return Blocking("enterprise", str(loaded.usccs[i]), loaded.names[i], int(enterprise_id)), index


def _region_block(session: Session, loaded: RegistryNetwork, code: str) -> tuple[Blocking, np.ndarray]:
    code = str(code).strip()
    if not code.isdigit() or len(code) not in (2, 4, 6):
        raise ValidationFailed(f"a region code has 2, 4 or 6 digits, got {code!r}")
    region = session.get(Region, code)
    if region is None:
        raise NotFound(f"no region {code}")
    ids = session.scalars(select(Enterprise.id).where(region_clause(code)))
    return Blocking("region", code, region.name), _index_of(loaded, ids)


def _downstream(net: SupplyNetwork, blocked: np.ndarray) -> np.ndarray:
    """Mask of the firms reachable from ``blocked`` along supplier → customer links (``blocked`` excluded)."""
    reached = np.zeros(net.n_firms, dtype=bool)
    reached[blocked] = True
    frontier = blocked
    while frontier.size:
        starts = net.out_ptr[frontier]
        lengths = net.out_ptr[frontier + 1] - starts
        before = np.cumsum(lengths) - lengths  # position of each firm's first link in the gathered list
        links = np.repeat(starts - before, lengths) + np.arange(int(lengths.sum()))
        customers = np.unique(net.customer[links])
        frontier = customers[~reached[customers]]
        reached[frontier] = True
    reached[blocked] = False
    return reached


def _day(value) -> int | None:
    return None if value < 0 else int(value)


def _impact(session, loaded, blocking, blocked, on, horizon_days, cut, duration, limit) -> Impact:
    net = loaded.network
    n = net.n_firms
    in_block = np.zeros(n, dtype=bool)
    in_block[blocked] = True
    listed_ids = listed_enterprise_ids(session, on)
    listed = np.isin(loaded.enterprise_ids, np.fromiter(listed_ids, dtype=np.int64, count=len(listed_ids)))
    empty = {"blocking": blocking, "on": on, "horizon_days": horizon_days, "cut": float(cut), "duration": duration,
             "n_blocked": int(blocked.size)}
    if blocked.size == 0:
        return Impact(**empty, affected=(), n_affected=0, n_listed_affected=0, n_listed_stopping=0,
                      listed_stop_days=(), first_listed_stop_day=None, first_stop_day=None, n_other_hit=0,
                      output_at_risk_cny=0.0, blocked_output_cny=0.0, priority=0.0)
    from chainkeeper.network import simulate  # numba on first use, not at start-up

    result = simulate(net, [Shock(cut=float(cut), firms=blocked, duration=duration)], days=horizon_days)
    lost = result.total_loss / DAYS_PER_YEAR
    hit = result.min_level < AFFECTED_BELOW
    downstream = _downstream(net, blocked)
    affected = np.flatnonzero(hit & downstream)
    stops = affected[result.first_below_50[affected] >= 0]
    listed_stops = stops[listed[stops]]
    listed_stop_days = tuple(sorted(int(d) for d in result.first_below_50[listed_stops]))
    at_risk = float(lost[~in_block].sum())
    firms = sorted((_firm(loaded, result, lost, listed, int(i)) for i in affected), key=_order)[:max(limit, 0)]
    return Impact(
        **empty, affected=tuple(firms), n_affected=int(affected.size),
        n_listed_affected=int(listed[affected].sum()), n_listed_stopping=len(listed_stop_days),
        listed_stop_days=listed_stop_days,
        first_listed_stop_day=listed_stop_days[0] if listed_stop_days else None,
        first_stop_day=int(result.first_below_50[stops].min()) if stops.size else None,
        n_other_hit=int((hit & ~downstream & ~in_block).sum()),
        output_at_risk_cny=at_risk, blocked_output_cny=float(lost[in_block].sum()),
        priority=priority_score(at_risk, listed_stop_days, horizon_days),
    )


def _firm(loaded: RegistryNetwork, result, lost, listed, i: int) -> AffectedFirm:
    return AffectedFirm(
        enterprise_id=int(loaded.enterprise_ids[i]), uscc=str(loaded.usccs[i]), name=loaded.names[i],
        city=int(loaded.city[i]), day_below_90=_day(result.first_below_90[i]),
        day_below_50=_day(result.first_below_50[i]), min_level=float(result.min_level[i]),
        lost_output_cny=float(lost[i]), listed=bool(listed[i]),
    )


def _order(firm: AffectedFirm):
    never = float("inf")
    return (never if firm.day_below_50 is None else firm.day_below_50,
            never if firm.day_below_90 is None else firm.day_below_90, firm.name)


# -------------------------------------------------------------------------------------------------------- cache
def registry_fingerprint(session: Session) -> tuple:
    """A cheap summary of everything :func:`load_registry_network` reads; it changes when the registry does.

    Enterprises: count, largest id and latest ``updated_at`` (every insert and update — imports, edits, chain
    changes — sets it). Links carry no timestamp and imports update them in place, so for them: count, largest
    id, and sums over the links of their loaded values (ends, annual value rounded to CNY, inventory days to
    0.01 day, essential flag), each multiplied by a weight taken from the link id so that values moved between
    links change the sum too. All integer arithmetic, so both databases return the same value for the same rows
    on every call (a float sum could differ in its last bits between parallel plans). One scan of each table; no
    index is needed.

    A change that leaves every one of these sums equal is possible in principle but needs a contrived
    coincidence; the cache's age limit bounds how long such a change could go unseen.
    """
    weight = SupplyLink.id % 1009 + 1
    value = cast(func.round(SupplyLink.annual_value), BigInteger) % 1_000_003
    stock = cast(func.round(func.coalesce(SupplyLink.inventory_days, -1.0) * 100), BigInteger) % 1_000_003
    ends = (SupplyLink.supplier_id % 1013) * 1019 + SupplyLink.customer_id % 1019
    firms = session.execute(select(func.count(Enterprise.id), func.max(Enterprise.id),
                                   func.max(Enterprise.updated_at))).one()
    links = session.execute(select(
        func.count(SupplyLink.id), func.max(SupplyLink.id), func.sum(weight * ends), func.sum(weight * value),
        func.sum(weight * stock), func.sum(case((SupplyLink.essential, weight), else_=0)),
    )).one()
    return tuple(firms) + tuple(None if v is None else int(v) for v in links)


@dataclass
class _Cached:
    network: RegistryNetwork
    fingerprint: tuple
    loaded_at: float


def _database_key(session: Session) -> str:
    bind = session.get_bind()
    url = getattr(bind, "url", None) or bind.engine.url
    return url.render_as_string(hide_password=True)


class NetworkCache:
    """Loaded registry networks, one per database URL, reused while fresh.

    :meth:`get` returns the cached network when it is younger than ``max_age_seconds`` *and* the registry's
    :func:`registry_fingerprint` (computed on every call, before any load, so a change committed during a load is
    seen on the next call) is unchanged; otherwise it loads anew. Thread-safe: concurrent callers for the same
    database wait for one load instead of each loading. The returned :class:`RegistryNetwork` is shared — treat it
    as read-only (its arrays are).

    ``loader`` and ``clock`` are for tests.
    """

    def __init__(self, max_age_seconds: float = DEFAULT_MAX_AGE, *,
                 loader: Callable[..., RegistryNetwork] = load_registry_network,
                 clock: Callable[[], float] = time.monotonic):
        self.max_age_seconds = max_age_seconds
        self._loader, self._clock = loader, clock
        self._guard = threading.Lock()
        self._locks: dict[str, threading.Lock] = {}
        self._entries: dict[str, _Cached] = {}

    def get(self, session: Session, *, max_age_seconds: float | None = None) -> RegistryNetwork:
        """The registry network of ``session``'s database, from the cache when still valid."""
        max_age = self.max_age_seconds if max_age_seconds is None else max_age_seconds
        key = _database_key(session)
        fingerprint = registry_fingerprint(session)
        with self._guard:
            lock = self._locks.setdefault(key, threading.Lock())
        with lock:
            entry = self._entries.get(key)
            if entry is not None and entry.fingerprint == fingerprint and self._clock() - entry.loaded_at < max_age:
                return entry.network
            started = self._clock()
            self._entries.pop(key, None)  # never keep a stale network alive during the load
            network = self._loader(session=session)
            self._entries[key] = _Cached(network, fingerprint, started)
            return network

    def clear(self) -> None:
        """Forget every cached network."""
        with self._guard:
            self._entries.clear()


_CACHE = NetworkCache()


def cached_registry_network(session: Session, max_age_seconds: float = DEFAULT_MAX_AGE) -> RegistryNetwork:
    """The whole registry's network from the process-wide :class:`NetworkCache` (see there for validity)."""
    return _CACHE.get(session, max_age_seconds=max_age_seconds)
