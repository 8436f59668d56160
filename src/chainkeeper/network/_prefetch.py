"""A software prefetch for the gathers of the daily kernels (internal; needs ``numba``).

The passes over the links read a per-firm or per-link array at positions given by an index array
(``q_use[cust[l]]`` in :func:`._sim_linkpass.links_range`, ``s[links[u]]`` in :func:`._sim_linkpass.limits_range`; the set-up's and the tail's passes in customer order
read per-link arrays through ``link_of``).
At 1M firms those arrays (8 MB, 40 MB) live in the L3 cache or in memory, and each link's arithmetic is long enough
that the out-of-order core keeps only a few of these loads in flight: the pass waits on them.  Asking for the
element ``PREFETCH`` links ahead (the index array is read in order, so that position is known) keeps many
loads in flight.  A prefetch only moves a cache line; it changes no number.
"""

from __future__ import annotations

from llvmlite import ir
from numba import njit, types
from numba.core import cgutils
from numba.extending import intrinsic

#: Links ahead whose gathered element is prefetched (at 1M firms, single thread, on one day's state: 32 cut the
#: links pass from 0.18 to 0.05 s and the input limits from 0.05 to 0.02 s; 8 and 16 gain less).
PREFETCH = 32

_I8P = ir.IntType(8).as_pointer()
_I32 = ir.IntType(32)


@intrinsic
def _prefetch_element(typingctx, arr, idx):
    """Prefetch ``arr[idx]`` for reading into every cache level (``llvm.prefetch``; no bounds check needed: a
    prefetch never faults)."""
    if not isinstance(arr, types.Array) or not isinstance(idx, types.Integer):
        return None

    def codegen(context, builder, sig, args):
        ary = context.make_array(sig.args[0])(context, builder, args[0])
        index = context.cast(builder, args[1], sig.args[1], types.intp)
        ptr = builder.bitcast(builder.gep(ary.data, [index]), _I8P)
        fn = cgutils.get_or_insert_function(builder.module, ir.FunctionType(ir.VoidType(), [_I8P, _I32, _I32, _I32]),
                                            "llvm.prefetch.p0i8")
        builder.call(fn, [ptr, ir.Constant(_I32, 0), ir.Constant(_I32, 3), ir.Constant(_I32, 1)])
        return context.get_dummy_value()

    return types.void(arr, idx), codegen


@njit(cache=True, nogil=True, inline="always")
def prefetch_gather(values, index, pos):
    """Prefetch ``values[index[p]]`` for ``p = pos + PREFETCH`` (the last position of ``index`` past its end)."""
    ahead = pos + PREFETCH
    if ahead >= index.shape[0]:
        ahead = index.shape[0] - 1
    _prefetch_element(values, index[ahead])


@njit(cache=True, nogil=True, inline="always")
def prefetch_chain(values, middle, index, pos):
    """Prefetch ``values[middle[index[p]]]`` for ``p = pos + PREFETCH // 2`` and ``middle[index[p]]`` for ``p = pos +
    PREFETCH``: a gather through two index arrays (the middle element, fetched half the distance earlier, is in cache
    by the time it is read here)."""
    prefetch_gather(middle, index, pos)
    ahead = pos + PREFETCH // 2
    if ahead >= index.shape[0]:
        ahead = index.shape[0] - 1
    _prefetch_element(values, middle[index[ahead]])
