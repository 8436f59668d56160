"""All-firm ESRI on a Dask cluster (``dask.distributed`` is an optional dependency).

The failed-firm list is cut into chunks; the network is scattered once to
every worker and each task runs :func:`chainkeeper.network.esri` on one
chunk.  Results are identical to a local run (same engine, same order).

To use a real cluster, start a scheduler and workers
(``dask scheduler`` / ``dask worker tcp://HOST:8786``) and pass
``Client("tcp://HOST:8786")``; every worker needs chainkeeper installed.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .esri import ESRIResult, esri
from .network import SupplyNetwork

__all__ = ["esri_distributed"]


def _chunk(network: SupplyNetwork, firms: np.ndarray, kwargs: dict) -> tuple:
    r = esri(network, firms=firms, **kwargs)
    return r.esri, r.downstream, r.upstream, r.iterations


def esri_distributed(
    network: SupplyNetwork,
    client: Any,
    firms: Any = None,
    *,
    chunk_size: int = 2000,
    **kwargs: Any,
) -> ESRIResult:
    """ESRI of single-firm failures computed on a ``dask.distributed`` client.

    Parameters
    ----------
    network : SupplyNetwork
    client : distributed.Client
        A connected client (``LocalCluster`` or a remote scheduler).
    firms : array_like of int, optional
        Failed firms (default: all).
    chunk_size : int, default 2000
        Failed firms per task.
    **kwargs
        Passed to :func:`chainkeeper.network.esri` (``eps``, ``weights``,
        ``revenue``, ``market``, ``engine``...).

    Returns
    -------
    ESRIResult
        Without final states (``h_d``/``h_u`` are None).
    """
    if chunk_size < 1:
        raise ValueError("chunk_size must be >= 1")
    f = np.arange(network.n_firms, dtype=np.int64) if firms is None else np.atleast_1d(
        np.asarray(firms, dtype=np.int64))
    net_future = client.scatter(network, broadcast=True, hash=False)
    chunks = [f[i:i + chunk_size] for i in range(0, f.shape[0], chunk_size)]
    futures = [client.submit(_chunk, net_future, c, kwargs, pure=False) for c in chunks]
    parts = client.gather(futures)
    if not parts:
        empty = np.zeros(0)
        return ESRIResult(empty, empty, empty, f, np.zeros(0, dtype=np.int64))
    cat = [np.concatenate([p[i] for p in parts]) for i in range(4)]
    return ESRIResult(esri=cat[0], downstream=cat[1], upstream=cat[2], firms=f, iterations=cat[3])
