"""The desk benchmark's compiled load generator (``desk_load.py --client wrk``) and the CPU counters of the server.

Debian's ``wrk`` (``apt-get install -y wrk``; C, event-driven) drives the same users over the same request mix as
the Python client, so the load generator does not eat the two cores the server runs on. The users are signed in
from Python first (one loopback address each, as the login is throttled per address); a generated Lua script then
rotates their session cookies: request *k* of a wrk thread is the next request of user *k mod users*, taken from
that user's own list of shuffled rounds (``desk_load.request_mix``: queue page 1, pages 2–10, a filtered queue, two
case pages, the queue API twice, ``/health``). wrk measures every request's latency (closed loop, no think time,
like the Python client) and reports p50/p95/p99 over the whole mix; it cannot tell the routes apart (use the
Python client for a per-route breakdown).

CPU: :func:`tree_cpu` reads utime + stime of a process and all its descendants from ``/proc`` (the server's
supervisor and its workers); :class:`BackendSampler` follows every PostgreSQL backend of one database, including
those started and ended during the run (read from the postmaster's children five times a second: a backend that
lives less than that is still counted by ``pg_stat_database.sessions``, and its CPU by the postmaster's reaped
children); :func:`machine_cpu` the whole machine's busy time (``/proc/stat``), so nothing can hide: what the server,
PostgreSQL and wrk do not account for is printed as "other".
"""

from __future__ import annotations

import json
import os
import random
import re
import resource
import subprocess
import threading
import time
from pathlib import Path

TICK = os.sysconf("SC_CLK_TCK")
ROUNDS = 150  # rounds of the request mix written per user (rotated when a run gets through them)


def proc_cpu(pid: int) -> float:
    """CPU seconds (user + system) of one process, 0 when it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICK


def descendants(pid: int) -> list[int]:
    """``pid`` and every process below it."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (FileNotFoundError, ProcessLookupError, IndexError):
                continue
            children.setdefault(parent, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo += children.get(current, [])
    return found


def tree_cpu(pid: int) -> dict[int, float]:
    """CPU seconds of ``pid`` and each of its descendants, by pid."""
    return {p: proc_cpu(p) for p in descendants(pid)}


def cpu_between(before: dict[int, float], after: dict[int, float]) -> float:
    """CPU seconds spent between two readings: processes alive at the end (those started in between count
    whole; those gone by the end are lost, so keep the readings around a run in which none ends)."""
    return sum(seconds - before.get(pid, 0.0) for pid, seconds in after.items() if seconds > 0)


def proc_stat(pid: int) -> list[str] | None:
    """The fields of ``/proc/<pid>/stat`` after the command name (index 0 = state), None when it is gone."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError):
        return None


def machine_cpu() -> tuple[float, float]:
    """Busy and idle CPU seconds of the whole machine since boot (``/proc/stat``: all cores, all processes)."""
    ticks = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = ticks[3] + ticks[4]  # idle + iowait
    return (sum(ticks[:8]) - idle) / TICK, idle / TICK


def reaped_cpu(pid: int) -> float:
    """CPU seconds of a process's children that have ended and been waited for (cutime + cstime)."""
    fields = proc_stat(pid)
    return (int(fields[13]) + int(fields[14])) / TICK if fields else 0.0


def children(pid: int) -> list[int]:
    """The direct children of ``pid`` (``/proc/<pid>/task/<pid>/children``)."""
    try:
        return [int(x) for x in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except (FileNotFoundError, ProcessLookupError):
        return []


class BackendSampler(threading.Thread):
    """Follows the PostgreSQL backends serving ``database``: every ``period`` seconds the postmaster's children are
    listed, a new one is kept when its title names the database (``postgres: … user database host(port) …``),
    and each kept backend's CPU is read. Backends that start and end between two readings have their CPU counted
    only at the last reading before they ended (backends living less than ``period`` not at all: see the sessions
    created and the postmaster's reaped CPU)."""

    def __init__(self, postmaster: int, database: str, period: float = 0.2):
        super().__init__(daemon=True)
        self.postmaster, self.needle, self.period = postmaster, f" {database} ", period
        self.first: dict[tuple[int, str], float] = {}  # (pid, start time) → CPU at the first reading
        self.last: dict[tuple[int, str], float] = {}
        self.ignored: set[tuple[int, str]] = set()
        self._halt = threading.Event()
        self.sample(initial=True)  # the backends alive at the start count from here

    def sample(self, initial: bool = False) -> None:
        for pid in children(self.postmaster):
            fields = proc_stat(pid)
            if fields is None:
                continue
            key = (pid, fields[19])  # pids are reused: the start time tells two processes apart
            if key in self.ignored:
                continue
            if key not in self.last:
                try:
                    title = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
                except (FileNotFoundError, ProcessLookupError):
                    continue
                if self.needle not in title:
                    self.ignored.add(key)
                    continue
                self.first[key] = (int(fields[11]) + int(fields[12])) / TICK if initial else 0.0
            self.last[key] = (int(fields[11]) + int(fields[12])) / TICK

    def run(self) -> None:
        while not self._halt.wait(self.period):
            self.sample()

    def stop(self) -> tuple[float, int]:
        """CPU seconds of the database's backends since the start, and how many backends were seen."""
        self._halt.set()
        self.join()
        self.sample()
        return sum(cpu - self.first.get(key, 0.0) for key, cpu in self.last.items()), len(self.last)


def postmaster_of(url: str) -> int:
    """The pid of the PostgreSQL server's postmaster: the parent of a backend (read while the backend lives)."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return int(proc_stat(connection.scalar(text("SELECT pg_backend_pid()")))[1])
    finally:
        engine.dispose()


def sessions_created(admin_execute, args) -> int:
    """``pg_stat_database.sessions`` of the benchmark database: the sessions ever started on it (PostgreSQL 14+)."""
    return int(admin_execute(args, f"SELECT sessions FROM pg_stat_database WHERE datname = '{args.database}'")[0][0][0])


def backend_pids(admin_execute, args) -> list[int]:
    """The PostgreSQL backends connected to the benchmark database (the server's pooled connections)."""
    rows = admin_execute(args, f"SELECT pid FROM pg_stat_activity WHERE datname = '{args.database}'")[0]
    return [row[0] for row in rows]


def backend_cpu(pids: list[int]) -> dict[int, float]:
    """CPU seconds of each of the PostgreSQL backends ``pids`` (readable when PostgreSQL runs on this machine)."""
    return {pid: proc_cpu(pid) for pid in pids}


def lua_string(text: str) -> str:
    return '"' + re.sub(r'(["\\])', r"\\\1", text) + '"'


def write_script(path: Path, cookies: list[str], samples: list[dict], request_mix, seed: int) -> None:
    """The Lua script: per user its cookie and ROUNDS rounds of the mix; requests rotate over the users."""
    users = []
    for index, (cookie, sample) in enumerate(zip(cookies, samples)):
        rnd = random.Random(seed * 1000 + index)
        urls = [url for _ in range(ROUNDS) for _, url in request_mix(sample, rnd)]
        users.append("{cookie=" + lua_string(cookie) + ", paths={" + ",".join(map(lua_string, urls)) + "}}")
    path.write_text(LUA.replace("--USERS--", ",\n".join(users)))


LUA = r"""
-- generated by benchmarks/desk_wrk.py: rotate the signed-in users over their own request mixes
local users = {
--USERS--
}
local counter, next_path = 0, {}
local threads_set_up = 0

function setup(thread)  -- in the main state: number the threads (each thread has its own state and counters)
  thread:set("tid", threads_set_up)
  threads_set_up = threads_set_up + 1
end

function init(args)  -- threads start at different users and different places of each user's list
  counter = (tid or 0) * 7
  for i = 1, #users do next_path[i] = ((tid or 0) * 97) % #users[i].paths end
end

function request()
  counter = counter + 1
  local i = counter % #users + 1
  local user = users[i]
  next_path[i] = next_path[i] % #user.paths + 1
  return wrk.format("GET", user.paths[next_path[i]], {["Cookie"] = user.cookie})
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRK_RESULT {"requests": %d, "duration_us": %d, "bytes": %d, "connect": %d, "read": %d, "write": %d, ' ..
    '"status": %d, "timeout": %d, "p50_us": %d, "p90_us": %d, "p95_us": %d, "p99_us": %d, "max_us": %d, ' ..
    '"mean_us": %f}\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(95), latency:percentile(99),
    latency.max, latency.mean))
end
"""


def run_wrk(port: int, script: Path, seconds: float, connections: int, threads: int, timeout: float,
            path: str = "") -> dict:
    """One wrk run (of ``path`` when the script makes no requests of its own); its result (latencies in ms) and
    wrk's own CPU seconds."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    out = subprocess.run(["wrk", f"-t{threads}", f"-c{connections}", f"-d{max(1, round(seconds))}s",
                          f"--timeout={max(1, round(timeout))}s", "-s", str(script), f"http://127.0.0.1:{port}{path}"],
                         capture_output=True, text=True, check=True).stdout
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    line = next(line for line in out.splitlines() if line.startswith("WRK_RESULT "))
    found = json.loads(line[len("WRK_RESULT "):])
    result = {key[:-3]: value / 1000 for key, value in found.items() if key.endswith("_us")}
    result |= {key: found[key] for key in ("requests", "bytes", "connect", "read", "write", "status", "timeout")}
    result["wall"] = found["duration_us"] / 1e6
    result["client_cpu"] = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    result["failed"] = sum(found[key] for key in ("connect", "read", "write", "status", "timeout"))
    return result
