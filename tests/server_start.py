"""Waiting for a ``chainkeeper serve`` subprocess to answer ``/health``: bounded by the CPU the server has used, not by
wall time. At load 30 a cold start (3–4 s of CPU) took over 60 s of wall time and the tests failed for it; a server
that is stuck still fails, when it has burnt ``cpu_limit`` seconds of CPU, dies, or after ``wall_limit`` seconds."""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

import httpx

CPU_LIMIT = 60.0  # seconds of CPU (the server and its workers) without an answer: ~15x a cold start
WALL_LIMIT = 900.0  # a server that neither answers nor uses the CPU (a deadlock) still fails


def cpu_seconds(pid: int) -> float:
    """User + system CPU of ``pid`` and its descendants (living, and the reaped ones it waited for)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    todo = [pid]
    while todo:
        current = todo.pop()
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            total += sum(int(v) for v in fields[11:15]) / ticks  # utime stime cutime cstime
            for task in Path(f"/proc/{current}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except (FileNotFoundError, ProcessLookupError):
            continue
    return total


def wait_until_up(process: subprocess.Popen, url: str, describe=lambda: "", *, cpu_limit: float = CPU_LIMIT,
                  wall_limit: float = WALL_LIMIT) -> None:
    """Return once ``url``/health answers 200; fail (AssertionError with ``describe()``, e.g. the log) when the process
    dies, has used ``cpu_limit`` s of CPU or ``wall_limit`` s have passed."""
    started = time.monotonic()
    while True:
        try:
            if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        assert process.poll() is None, f"the server exited:\n{describe()}"
        used = cpu_seconds(process.pid)
        assert used < cpu_limit, f"the server did not start in {used:.0f} s of CPU:\n{describe()}"
        assert time.monotonic() - started < wall_limit, f"the server did not start in {wall_limit:.0f} s:\n{describe()}"
        time.sleep(0.3)
