"""Background jobs of the serving process: simulation runs, one at a time, in a worker thread.

A page or API call stores a queued run and, once its transaction is committed, hands the run's id to
:func:`submit` (FastAPI's background tasks run after the response, hence after the commit). The worker runs
:func:`chainkeeper.analysis.runs.execute_run`, which never raises: a failed job is a failed run with a message.
Jobs left queued or running by a process that died are marked failed when the application starts
(:func:`chainkeeper.analysis.runs.recover_orphans`).
"""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor

from sqlalchemy import Engine

from chainkeeper.analysis.runs import execute_run

_EXECUTOR = ThreadPoolExecutor(max_workers=1, thread_name_prefix="analysis")  # the machine's cores are shared


def submit(engine: Engine, run_id: int) -> Future:
    """Queue the run on this process's worker thread."""
    return _EXECUTOR.submit(execute_run, engine, run_id)
