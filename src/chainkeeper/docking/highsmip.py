"""One mixed-integer solve in ``highspy``, with a starting answer: HiGHS's MIP stopped at its limit (time or nodes)
keeps the best answer it holds, and with a feasible start it always holds one.

SciPy's ``milp`` takes no start, so a lot MIP cut short before HiGHS found an answer of its own ended the day
``solver_failed`` even where the previous stage's answer (feasible for this one: it meets the floors it set) was at
hand. ``Highs.setSolution`` passes that answer in (HiGHS guide, "Solving a MIP": "a feasible solution … can be
passed to HiGHS … used as the initial incumbent"); HiGHS's ``mip_gap`` says how far the incumbent may be from the
optimum.
"""

from __future__ import annotations

from dataclasses import dataclass

import highspy
import numpy as np
from scipy import sparse


@dataclass
class MipAnswer:
    """``status``: ``optimal`` (within the requested gap), ``limit`` (stopped at the time or node limit; ``x`` the
    incumbent, None if it had none), ``infeasible`` or ``failed``; ``gap``: HiGHS's relative MIP gap (0 if optimal)."""

    status: str
    x: np.ndarray | None
    gap: float


def solve(cost: np.ndarray, a, row_lower: np.ndarray, row_upper: np.ndarray, lower: np.ndarray, upper: np.ndarray,
          integer: np.ndarray, *, time_limit: float, gap: float, node_limit: int | None = None,
          presolve: bool = False, start: np.ndarray | None = None) -> MipAnswer:
    """``min cost·x`` s.t. ``row_lower ≤ a·x ≤ row_upper``, ``lower ≤ x ≤ upper``, ``x[integer]`` whole."""
    highs = highspy.Highs()
    highs.setOptionValue("output_flag", False)
    highs.setOptionValue("time_limit", float(max(time_limit, 0.0)))
    highs.setOptionValue("mip_rel_gap", float(gap))
    highs.setOptionValue("presolve", "on" if presolve else "off")
    if node_limit is not None:
        highs.setOptionValue("mip_max_nodes", int(node_limit))
    matrix = sparse.csc_matrix(a)
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = matrix.shape[1], matrix.shape[0]
    lp.col_cost_ = np.asarray(cost, dtype=float)
    lp.col_lower_, lp.col_upper_ = np.asarray(lower, dtype=float), np.asarray(upper, dtype=float)
    lp.row_lower_ = np.where(np.isfinite(row_lower), row_lower, -highspy.kHighsInf).astype(float)
    lp.row_upper_ = np.where(np.isfinite(row_upper), row_upper, highspy.kHighsInf).astype(float)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_, lp.a_matrix_.index_, lp.a_matrix_.value_ = matrix.indptr, matrix.indices, matrix.data
    lp.integrality_ = [highspy.HighsVarType.kInteger if whole else highspy.HighsVarType.kContinuous
                       for whole in integer]
    highs.passModel(lp)
    if start is not None:
        solution = highspy.HighsSolution()
        solution.col_value = list(np.asarray(start, dtype=float))
        solution.value_valid = True
        highs.setSolution(solution)
    highs.run()
    status, info = highs.getModelStatus(), highs.getInfo()
    feasible = info.primal_solution_status == 2  # kSolutionStatusFeasible
    x = np.asarray(highs.getSolution().col_value) if feasible else None
    if status == highspy.HighsModelStatus.kOptimal:
        return MipAnswer("optimal", x, 0.0)
    if status == highspy.HighsModelStatus.kInfeasible:
        return MipAnswer("infeasible", None, 0.0)
    if status in (highspy.HighsModelStatus.kTimeLimit, highspy.HighsModelStatus.kSolutionLimit,
                  highspy.HighsModelStatus.kIterationLimit, highspy.HighsModelStatus.kInterrupt):
        return MipAnswer("limit", x, min(1.0, float(info.mip_gap)) if x is not None else 1.0)  # ≤ 100 %
    return MipAnswer("failed", None, 0.0)
