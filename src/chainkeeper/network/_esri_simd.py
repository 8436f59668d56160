"""Weighted row sums of the lane engine with register accumulators (internal; needs ``numba``).

The lane sweep's inner loop (:func:`._esri_lanes._lane_step`) adds ``lambda_e * loss_row(k_e)`` over a
customer's (supplier's) links, one row of lanes per link.  Written as a numpy loop over the lanes, numba keeps the
accumulator row in memory (it cannot prove that it does not alias the loss rows), so every link costs a load and
a store of the whole accumulator plus a vector loop with a run-time trip count.  :func:`rowsum` is the same loop
emitted directly in LLVM IR: the accumulators are ``NV`` vectors of 8 doubles held in registers across the links,
the next rows are prefetched ``PREFETCH`` links ahead, and the result is stored once per firm.

Every lane gets exactly the operations of the numpy loop, in the same order (``acc = acc + lambda * x`` from
``acc = 0``, a multiply then an add, never fused), so the sums are bitwise those of the loop it replaces
(``tests/network/test_esri_simd.py``).
"""

from __future__ import annotations

from llvmlite import ir
from numba import njit, types
from numba.core import cgutils
from numba.extending import intrinsic

#: Links ahead whose loss rows are prefetched (8 measured ~1.3x faster than none at 10k and 100k firms;
#: 16 the same as 8).
PREFETCH = 8
#: Most vectors of 8 lanes per row sum (64 lanes, ``_esri_lanes.MAX_LANES``).
MAX_VECTORS = 8

_I64 = ir.IntType(64)
_I32 = ir.IntType(32)
_VEC = ir.VectorType(ir.DoubleType(), 8)


def _prefetch(builder, rows, base, stride, e, nv):
    """Prefetch the loss row of link ``min(e + PREFETCH, len(rows) - 1)`` (read, keep in all cache levels)."""
    fn = cgutils.get_or_insert_function(
        builder.module, ir.FunctionType(ir.VoidType(), [ir.IntType(8).as_pointer(), _I32, _I32, _I32]),
        "llvm.prefetch.p0i8")
    ahead = builder.add(e, ir.Constant(_I64, PREFETCH))
    last = builder.sub(builder.extract_value(rows.shape, 0), ir.Constant(_I64, 1))
    ahead = builder.select(builder.icmp_signed("<", ahead, last), ahead, last)
    row = builder.add(base, builder.mul(_index(builder, rows, ahead), stride))
    for q in range(nv):
        ptr = builder.inttoptr(builder.add(row, ir.Constant(_I64, 64 * q)), ir.IntType(8).as_pointer())
        builder.call(fn, [ptr, ir.Constant(_I32, 0), ir.Constant(_I32, 3), ir.Constant(_I32, 1)])


def _contiguous(arr, ndim, dtypes) -> bool:
    """Whether the numba type ``arr`` is a C-contiguous array of ``ndim`` dimensions and one of ``dtypes``."""
    dtypes = dtypes if isinstance(dtypes, tuple) else (dtypes,)
    return isinstance(arr, types.Array) and arr.layout == "C" and arr.ndim == ndim and arr.dtype in dtypes


def _index(builder, rows, e):
    k = builder.load(builder.gep(rows.data, [e]))
    return builder.sext(k, _I64) if k.type.width < 64 else k


def _make_rowsum(nv: int, keep_max: bool = False):
    """Intrinsic ``rowsum(X, rows, lam, e0, e1, out)``: ``out[:8nv] = sum_e lam[e] * X[rows[e], :8nv]``
    (with ``keep_max``: ``out[:8nv] = max(out[:8nv], that sum)``, lane by lane)."""

    @intrinsic
    def rowsum(typingctx, X, rows, lam, e0, e1, out):
        if not _contiguous(X, 2, types.float64) or not _contiguous(lam, 1, types.float64) \
                or not _contiguous(out, 1, types.float64) or not _contiguous(rows, 1, (types.int32, types.int64)):
            return None  # typing error: the code below reads raw rows of C-contiguous float64 arrays
        sig = types.void(X, rows, lam, e0, e1, out)

        def codegen(context, builder, signature, args):
            arrs = [context.make_array(signature.args[i])(context, builder, args[i]) for i in (0, 1, 2, 5)]
            xa, ia, la, oa = arrs
            stride = builder.extract_value(xa.strides, 0)  # bytes per row of lanes
            base = builder.ptrtoint(xa.data, _I64)
            pre = builder.block
            head = builder.append_basic_block("rowsum.head")
            body = builder.append_basic_block("rowsum.body")
            done = builder.append_basic_block("rowsum.done")
            builder.branch(head)
            builder.position_at_end(head)
            e = builder.phi(_I64)
            accs = [builder.phi(_VEC) for _ in range(nv)]
            e.add_incoming(args[3], pre)
            for acc in accs:
                acc.add_incoming(ir.Constant(_VEC, [0.0] * 8), pre)
            builder.cbranch(builder.icmp_signed("<", e, args[4]), body, done)
            builder.position_at_end(body)
            _prefetch(builder, ia, base, stride, e, nv)
            row = builder.add(base, builder.mul(_index(builder, ia, e), stride))
            lam_e = builder.load(builder.gep(la.data, [e]))
            splat = builder.insert_element(ir.Constant(_VEC, ir.Undefined), lam_e, ir.Constant(_I32, 0))
            splat = builder.shuffle_vector(splat, ir.Constant(_VEC, ir.Undefined),
                                           ir.Constant(ir.VectorType(_I32, 8), [0] * 8))
            new = []
            for q, acc in enumerate(accs):
                ptr = builder.inttoptr(builder.add(row, ir.Constant(_I64, 64 * q)), _VEC.as_pointer())
                new.append(builder.fadd(acc, builder.fmul(splat, builder.load(ptr, align=8))))
            tail = builder.block
            e.add_incoming(builder.add(e, ir.Constant(_I64, 1)), tail)
            for acc, x in zip(accs, new):
                acc.add_incoming(x, tail)
            builder.branch(head)
            builder.position_at_end(done)
            out = builder.ptrtoint(oa.data, _I64)
            for q, acc in enumerate(accs):
                ptr = builder.inttoptr(builder.add(out, ir.Constant(_I64, 64 * q)), _VEC.as_pointer())
                if keep_max:  # numba's max(a, s): s if s > a else a
                    old = builder.load(ptr, align=8)
                    acc = builder.select(builder.fcmp_ordered(">", acc, old), acc, old)
                builder.store(acc, ptr, align=8)
            return context.get_dummy_value()

        return sig, codegen

    return rowsum


_rs1, _rs2, _rs3, _rs4, _rs5, _rs6, _rs7, _rs8 = (_make_rowsum(v) for v in range(1, MAX_VECTORS + 1))
_rm1, _rm2, _rm3, _rm4, _rm5, _rm6, _rm7, _rm8 = (_make_rowsum(v, True) for v in range(1, MAX_VECTORS + 1))


@njit(cache=True, inline="always")
def rowsum(X, rows, lam, e0, e1, out, nv):
    """``out[:8 nv] = sum over e in e0..e1-1 of lam[e] * X[rows[e], :8 nv]`` (``X`` C-contiguous, ``X.shape[1]``
    and ``out.shape[0]`` at least ``8 nv``; ``rows`` int32 or int64).  The caller checks the shapes once."""
    if nv == 4:
        _rs4(X, rows, lam, e0, e1, out)
    elif nv == 1:
        _rs1(X, rows, lam, e0, e1, out)
    elif nv == 2:
        _rs2(X, rows, lam, e0, e1, out)
    elif nv == 3:
        _rs3(X, rows, lam, e0, e1, out)
    elif nv == 5:
        _rs5(X, rows, lam, e0, e1, out)
    elif nv == 6:
        _rs6(X, rows, lam, e0, e1, out)
    elif nv == 7:
        _rs7(X, rows, lam, e0, e1, out)
    else:
        _rs8(X, rows, lam, e0, e1, out)


@njit(cache=True, inline="always")
def rowsum_max(X, rows, lam, e0, e1, out, nv):
    """``out[:8 nv] = max(out[:8 nv], sum over e of lam[e] * X[rows[e], :8 nv])`` lane by lane (see :func:`rowsum`)."""
    if nv == 4:
        _rm4(X, rows, lam, e0, e1, out)
    elif nv == 1:
        _rm1(X, rows, lam, e0, e1, out)
    elif nv == 2:
        _rm2(X, rows, lam, e0, e1, out)
    elif nv == 3:
        _rm3(X, rows, lam, e0, e1, out)
    elif nv == 5:
        _rm5(X, rows, lam, e0, e1, out)
    elif nv == 6:
        _rm6(X, rows, lam, e0, e1, out)
    elif nv == 7:
        _rm7(X, rows, lam, e0, e1, out)
    else:
        _rm8(X, rows, lam, e0, e1, out)
