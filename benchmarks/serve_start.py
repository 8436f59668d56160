"""Benchmark: the cost of ``chainkeeper serve`` from start to its first successful ``/health``.

    nice -n 5 python benchmarks/serve_start.py --workdir /tmp/ck-serve-start --before /tmp/debts/before/src --runs 5
    python benchmarks/serve_start.py --workdir /tmp/ck-serve-start --short          # CI: one run, figures only

1. Migrates an SQLite database in the work dir once (``chainkeeper db upgrade``), so every run measures a start on an
   up-to-date database (the migrations check, not the migrations).
2. Per run: starts ``python -m chainkeeper serve`` (one process, the desk's clock and audit checkpoints off) and polls
   ``/health`` every 20 ms; at the first 200 it reads the server's CPU time (``utime + stime``, children included, from
   ``/proc/<pid>/stat``), its peak RSS (``VmHWM``) and the wall time since the start, then stops it.
   With ``--before SRC`` (e.g. main's code: ``git archive main src | tar -x -C /tmp/debts/before``) each run starts
   that code too, alternating, so both see the same machine load.
3. Prints per code the median of the runs and the ratio after / before. Timings are never asserted.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx
from web_load import free_port, stop_server

HERE = Path(__file__).resolve().parent
SRC = HERE.parent / "src"
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def environment(workdir: Path, src: Path) -> dict:
    """The server's environment: ``src`` first on the path, SQLite in ``workdir``, nothing running in the background."""
    env = {k: v for k, v in os.environ.items() if k != "CHAINKEEPER_DATABASE_URL"}
    env.update(PYTHONPATH=str(src), CHAINKEEPER_DATA_DIR=str(workdir), CHAINKEEPER_DESK_TICK_SECONDS="0",
               CHAINKEEPER_AUDIT_CHECKPOINT_SECONDS="0", PYTHONUNBUFFERED="1")
    return env


def cpu_seconds(pid: int) -> float:
    """utime + stime + cutime + cstime of ``pid``."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return sum(int(value) for value in fields[11:15]) / CLOCK_TICKS


def peak_rss_mb(pid: int) -> float:
    """The process's peak resident set (VmHWM) in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def one_start(workdir: Path, src: Path, wait: float = 180) -> tuple[float, float, float]:
    """(CPU s, wall s, peak RSS MB) of one server start until its first 200 on /health."""
    port = free_port()
    command = [sys.executable, "-m", "chainkeeper", "serve", "--host", "127.0.0.1", "--port", str(port)]
    log = (workdir / f"serve-{port}.log").open("wb")
    start = time.perf_counter()
    server = subprocess.Popen(command, env=environment(workdir, src), stdout=log, stderr=subprocess.STDOUT, cwd=workdir)
    try:
        with httpx.Client(timeout=2) as client:
            while time.perf_counter() - start < wait:
                if server.poll() is not None:
                    raise SystemExit(f"{command} exited with {server.returncode}; see {log.name}")
                try:
                    if client.get(f"http://127.0.0.1:{port}/health").status_code == 200:
                        wall = time.perf_counter() - start
                        return cpu_seconds(server.pid), wall, peak_rss_mb(server.pid)
                except httpx.HTTPError:
                    pass
                time.sleep(0.02)
        raise SystemExit(f"no /health within {wait:g} s; see {log.name}")
    finally:
        stop_server(server)
        log.close()


def migrate(workdir: Path) -> None:
    """The work dir's database at the newest schema (once, before any timed start)."""
    workdir.mkdir(parents=True, exist_ok=True)
    subprocess.run([sys.executable, "-m", "chainkeeper", "db", "upgrade"], env=environment(workdir, SRC), check=True,
                   cwd=workdir, stdout=subprocess.DEVNULL)


def report(name: str, runs: list[tuple[float, float, float]]) -> tuple[float, float]:
    """Print the medians of ``runs``; returns (CPU, wall) medians."""
    cpu, wall, rss = (statistics.median(column) for column in zip(*runs))
    each = ", ".join(f"{c:.2f}" for c, _, _ in runs)
    print(f"{name:<8} CPU {cpu:6.2f} s   wall {wall:6.2f} s   peak RSS {rss:5.0f} MB   (CPU of each run: {each})")
    return cpu, wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/ck-serve-start"))
    parser.add_argument("--before", type=Path, help="another src directory to start alternately (the baseline)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--short", action="store_true", help="one run of each, for CI")
    args = parser.parse_args()
    runs = 1 if args.short else args.runs
    migrate(args.workdir)
    codes = {"after": SRC} | ({"before": args.before.resolve()} if args.before else {})
    results: dict[str, list] = {name: [] for name in codes}
    print(f"serve start to first /health, {runs} run(s), load average {os.getloadavg()[0]:.1f}", flush=True)
    for index in range(runs):
        order = list(codes.items()) if index % 2 == 0 else list(reversed(codes.items()))
        for name, src in order:
            results[name].append(one_start(args.workdir, src))
    medians = {name: report(name, values) for name, values in results.items()}
    if "before" in medians:
        (cpu_a, wall_a), (cpu_b, wall_b) = medians["after"], medians["before"]
        print(f"after / before: CPU {cpu_a / cpu_b:.2f}×, wall {wall_a / wall_b:.2f}×")
    print(f"load average at the end {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
