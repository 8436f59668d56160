"""A day's allocation: every good solved on its own (a producer's stock of one good serves no other), in parallel."""

from __future__ import annotations

import os
from collections.abc import Hashable, Mapping
from concurrent.futures import ProcessPoolExecutor

from chainkeeper.docking.allocation import allocate


def allocate_day(problems: Mapping[Hashable, tuple], *, workers: int | None = None, **options) -> dict:
    """Every good's allocation of a day: ``problems`` maps a good to ``(supplies, demands)`` or ``(supplies,
    demands, fixed)`` (a producer's stock of one good serves no other, so the goods are independent problems);
    the answer maps each good to its :class:`Allocation`. ``workers`` processes (default: the CPUs this process may
    use; 1 = here, one after the other), the largest goods first; ``options`` go to :func:`allocate`."""
    workers = workers or len(os.sched_getaffinity(0))
    if workers <= 1 or len(problems) <= 1:
        return {good: allocate(*problem, **options) for good, problem in problems.items()}
    order = sorted(problems, key=lambda good: -len(problems[good][0]) * len(problems[good][1]))
    with ProcessPoolExecutor(max_workers=min(workers, len(problems))) as pool:
        futures = {good: pool.submit(allocate, *problems[good], **options) for good in order}
        return {good: futures[good].result() for good in problems}
