"""Benchmark: the coordination desk under load — queue, case page and queue API on `chainkeeper serve` + PostgreSQL.

    python benchmarks/desk_load.py --workdir /tmp/ck-desk-load --runs 3 --users 20 --cases 200000 --workers 1 2
    python benchmarks/desk_load.py --workdir /tmp/ck-desk-load --reuse --profile      # where one request's time goes
    python benchmarks/desk_load.py --workdir /tmp/ck-desk-load --reuse --client wrk   # compiled load generator
    python benchmarks/desk_load.py --workdir /tmp/ck-desk-load --reuse --client wrk --before /tmp/before/src

Target: with a queue of 200,000 cases the desk's pages answer in under 150 ms at the 95th percentile with 20
concurrent users (the same bar as the registry pages, see benchmarks/web_load.py and docs/benchmarks.md).

1. Builds (or, with ``--reuse``, reuses when built with the same parameters) a PostgreSQL database ``--database``
   on the server ``--database-url`` (default ``CHAINKEEPER_TEST_POSTGRES_URL``): ``load_demo(engine,
   n_firms=--firms)`` (the demo registry, its users and its few story cases), then ``--cases`` cases written with
   ``chainkeeper.db.bulk_insert`` (COPY) together with their timelines (``desk_case_event``: submit, accept,
   assign, feedback, confirm, close or reject, as far as each case got). Cases reference real enterprises: about
   half are "my supplier cannot deliver" (requester = the customer of a random supply link, blocking party = its
   supplier, product = the link's), a fifth name another firm of the requester's province, the rest (mostly
   logistics, energy, policy and funding cases) an unregistered party (a highway exit, a port, a power company …)
   in a real county. Categories, urgency, levels
   (county 12 %, city 70 %, province 13 %, escalated to the ministry 5 %; the handling region follows the blocking
   party's region) and states follow the case's age: ``--per-day`` (10,000) cases were filed in the last 24 hours
   (Shanghai office hours weighted, mostly still submitted or accepted), the others over the ``--days`` before,
   more recent ones more often, mostly resolved or closed. Deadlines come from the desk's own SLA policy and
   working-day calendar, ``overdue`` is set for open cases past their deadline, and ~90 % carry an impact
   assessment (priority and the JSON summary the pages read). No audit events are written for the generated
   cases (the measured pages do not read the audit trail). Authority users are created for the provinces and
   cities with the most cases (``desk_p<code>``, ``desk_c<code>``) and one ministry user, password
   ``desk-bench-2022``.
2. For each ``--workers`` count and each run: starts ``python -m chainkeeper serve --workers N`` with
   ``CHAINKEEPER_DATABASE_URL`` set to the database (the desk's scheduler off: ``CHAINKEEPER_DESK_TICK_SECONDS=0``,
   so runs do not change the data; ``--tick`` keeps it), and waits for ``/health``.
3. Logs ``--users`` clients in one after another (each with its own cookie jar and loopback address, as
   web_load.py does): one in five as the ministry, two in five as a province, two in five as a city authority,
   warms up for ``--warmup`` seconds, then every client loops for ``--seconds`` with no think time over a shuffled
   round: ``/desk`` (page 1, default priority order), ``/desk?page=2..10``, ``/desk`` with one filter (open
   cases, a state, a category, overdue, or a region inside the user's scope), two case pages
   ``/desk/cases/{id}`` of random cases the user may see, ``/api/v1/desk/cases`` (page 1, 50 rows) and the API
   with one filter on page 1–3; plus ``/health``, the floor.
4. Prints per endpoint and per route (``GET /desk``, ``GET /desk/cases/{id}``, ``GET /api/v1/desk/cases``):
   count, failed, median, p95, p99 (ms), throughput, and whether p95 < 150 ms; with ``--runs N`` the medians
   across runs. A failed request (not 200, or no answer within ``--timeout``) counts with the time it took to fail.
   Raw results: ``<workdir>/desk_load_results_w<workers>_u<users>.json``.

``--client wrk`` (issue 15): the same users and request mix driven by Debian's ``wrk`` through a generated Lua
script that rotates the users' session cookies (see ``desk_wrk.py``), so the load generator leaves the cores to
the server; it reports p50/p90/p95/p99 over the whole mix (not per route). Every run, with either client, also
prints the CPU of the server's processes (supervisor and workers, from ``/proc``) and of the PostgreSQL backends
serving the database over the measured part, per request — the backends started during the run included (sampled
five times a second from the postmaster's children), the sessions PostgreSQL started on the database
(``pg_stat_database.sessions``) and the whole machine's busy time (``/proc/stat``), so no short-lived process can
go unseen (they did: the pool's overflow connections, see docs/benchmarks.md, lane ``deskpool``).

``--before DIR`` (a ``src`` folder, e.g. ``git archive main src | tar -x -C /tmp/before``): every run of the old
code is followed by one of this code on the same database; the medians of both and their ratios are printed.

``--writes RATE`` (issue 15): during each run a ministry API client files ``RATE`` cases a second through the server
(``desk_writes.py``): every filing is a committed write, which ends every kept page and answer, so this shows the desk
while cases keep arriving rather than the read-only load's kept path. The cases stay in the database.

Before every run (either code, with or without ``--writes``) the desk's counter deltas are folded
(``case_counts.compact_counts``, what the desk's tick does; the tick is off beside the benchmark) and their table
vacuumed (``desk_data.fold_counts``): the delta rows earlier ``--writes`` runs left would otherwise pile up, and every
count of the desk read more rows from run to run (issue 15, lane deskprov).

``--short`` (CI, issue 15): a small database (``--firms 5000 --cases 20000 --per-day 1000``, built once in
``/tmp/ck-desk-short`` and reused), one run of one worker with 8 users for 8 s (``wrk`` when installed), then
``/health`` alone on the same server for as long: prints the desk mix's p95 and server CPU per request, the same for
``/health`` and their ratio. Nothing is asserted; without a PostgreSQL server (``--database-url`` or
``CHAINKEEPER_TEST_POSTGRES_URL``) it prints that it skipped.

``--profile`` (no load): runs each page in-process (FastAPI TestClient on the same database) as a province
user, a city user and the ministry, prints the SQL statements of one request with their times, EXPLAIN (ANALYZE,
BUFFERS) of the queue's count and page queries, and the top of a cProfile of 20 requests per page (the app's
threads).

The first figures of this benchmark led to migration 0010 (a stored due time, indexes for the queue's orders and
an index-only scope index for counts) and to counts capped at 10,000; see docs/benchmarks.md.

The code: ``desk_data.py`` (step 1, the database), ``desk_clients.py`` (steps 2–4: samples, server, clients,
counters, printed results), ``desk_wrk.py`` (``--client wrk``), ``desk_profile.py`` (``--profile``) and this
module (the command line, the runs and their summary).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import shutil
import statistics
import sys
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from desk_clients import (Counters, accounts, load, load_samples, load_wrk, print_run, print_wrk_run, start_server,
                          summary_table, wrk_summary)
from desk_clients import request_mix  # noqa: F401 - desk_cpu.py replays the mix through this module
from desk_data import admin_execute, build, database_url, fold_counts
from desk_wrk import LUA, run_wrk
from desk_writes import writes
from desk_profile import profile
# the registry benchmark's helpers
from web_load import free_port, stop_server


# --------------------------------------------------------------------------------------------------------- main


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/ck-desk-load"))
    parser.add_argument("--reuse", action="store_true", help="reuse the database if built with the same parameters")
    parser.add_argument("--database-url", help="PostgreSQL server URL whose user may create databases "
                        "(default: CHAINKEEPER_TEST_POSTGRES_URL or the local test server)")
    parser.add_argument("--database", default="ck_desk_load", help="name of the benchmark database (re-created)")
    parser.add_argument("--firms", type=int, default=50_000)
    parser.add_argument("--cases", type=int, default=200_000)
    parser.add_argument("--per-day", type=int, default=10_000, help="cases filed in the last 24 hours")
    parser.add_argument("--days", type=int, default=120, help="the older cases span this many days")
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2],
                        help="server processes (one set of runs per count)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--warmup", type=float, default=10)
    parser.add_argument("--timeout", type=float, default=120, help="client timeout per request, seconds")
    parser.add_argument("--port", type=int, default=0, help="0: a free port")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--tick", action="store_true", help="keep the desk's scheduler on in the server")
    parser.add_argument("--writes", type=float, default=0, help="cases filed per second by a ministry API client "
                        "during each run (desk_writes.py; they stay in the database); 0: a read-only load")
    parser.add_argument("--profile", action="store_true", help="profile one request of each page instead of loading")
    parser.add_argument("--client", choices=("python", "wrk"), default="python",
                        help="load generator: the Python client (per-route figures) or Debian's wrk (compiled: "
                             "leaves the cores to the server; whole-mix percentiles)")
    parser.add_argument("--wrk-threads", type=int, default=2, help="wrk's threads (--client wrk)")
    parser.add_argument("--before", type=Path, help="a src folder of older code (git archive main src | tar -x -C "
                        "DIR): each run of it is followed by one of this code, on the same database")
    parser.add_argument("--short", action="store_true", help="CI: 5k firms / 20k cases, one short run and /health "
                        "alone on the same server; figures printed, nothing asserted")
    args = parser.parse_args()
    if args.short and not short_mode(args, parser):
        return
    workdir = args.workdir.resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    os.environ["CHAINKEEPER_DATA_DIR"] = str(workdir)  # signing keys and attachments of the demo
    os.environ.pop("CHAINKEEPER_DATABASE_URL", None)
    built = build(args, workdir)
    samples = load_samples(args, built["users"])
    if args.profile:
        profile(args, built["users"], samples)
    else:
        benchmark(args, workdir, built, samples)


def benchmark(args, workdir: Path, built: dict, samples: dict) -> None:
    """``--runs`` load runs per ``--workers`` count (with ``--before``: each run of the old code followed by one of
    this code, alternating); prints each run and the medians."""
    from sqlalchemy import __version__ as sqlalchemy_version

    names = accounts(built["users"], args.users)
    server_version = admin_execute(args, "SELECT current_setting('server_version')")[0][0][0]
    machine = (f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
               f"PostgreSQL {server_version}, SQLAlchemy {sqlalchemy_version}")
    print(f"machine: {machine}\nusers: {', '.join(names)}\nvisible cases: " +
          ", ".join(f"{u} {samples[u]['total']:,}" for u in dict.fromkeys(names)))
    variants = {"before": str(args.before.resolve()), "after": None} if args.before else {"this code": None}
    summaries = []
    for workers in args.workers:
        results: dict[str, list[dict]] = {variant: [] for variant in variants}
        for run in range(args.runs):
            for variant, source in variants.items():
                result = one_run(args, workdir, names, samples, workers, run, source)
                result["variant"] = variant
                results[variant].append(result)
                print(f"\nrun {run + 1}/{args.runs} ({variant}{': ' + source if source else ''}): {workers} "
                      f"worker(s), {args.users} users, {args.seconds:.0f} s, client {args.client}, 1-min load "
                      f"average before {result['load_before']:.1f}, after {result['load_after']:.1f}")
                (print_wrk_run if args.client == "wrk" else print_run)(result)
        stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
        (workdir / f"desk_load_results_{args.client}_w{workers}_u{args.users}.json").write_text(json.dumps(
            {"date": stamp, "machine": machine, "database": built, "workers": workers,
             "args": {k: str(v) for k, v in vars(args).items()}, "runs": results}, indent=1))
        summaries.append(f"\n{stamp}; {machine}; {built['counts']['enterprise']:,} enterprises, "
                         f"{built['counts']['desk_case']:,} cases ({built['counts']['open cases']:,} open, "
                         f"{built['counts']['last 24 h']:,} in the last 24 h); {workers} worker(s); "
                         f"{args.users} users × {args.seconds:.0f} s × {args.runs} runs; medians across runs:")
        for variant, found in results.items():
            summaries.append(f"\n{variant}:\n" + (wrk_summary(found) if args.client == "wrk"
                                                    else summary_table(found)) + "\n" + per_run_line(found))
        if args.before:
            summaries.append(ratio_line(results["before"], results["after"]))
    print("\n".join(summaries))
    if args.short:
        print(short_line(results[next(iter(variants))]))


def short_mode(args, parser: argparse.ArgumentParser) -> bool:
    """Set the short run's sizes (unless given); False when there is no PostgreSQL server to run on."""
    if not (args.database_url or os.environ.get("CHAINKEEPER_TEST_POSTGRES_URL")):
        print("desk_load.py --short skipped: no PostgreSQL server (--database-url or CHAINKEEPER_TEST_POSTGRES_URL)")
        return False
    short = {"workdir": Path("/tmp/ck-desk-short"), "database": "ck_desk_short", "firms": 5_000, "cases": 20_000,
             "per_day": 1_000, "users": 8, "workers": [1], "runs": 1, "seconds": 8, "warmup": 5}
    for name, value in short.items():
        if getattr(args, name) == parser.get_default(name):
            setattr(args, name, value)
    args.reuse = True
    if args.client == "python" and shutil.which("wrk"):
        args.client = "wrk"
    return True


def health_alone(port: int, args, counters: Counters, workdir: Path) -> dict:
    """``/health`` alone under wrk on the running server, as many connections as users: p95 and server CPU."""
    script = workdir / "health_wrk.lua"
    script.write_text(LUA[LUA.index("function done"):])  # wrk's own request, only the result line of the mix's script
    counters.start()
    return counters.stop(run_wrk(port, script, args.seconds, args.users, args.wrk_threads, args.timeout, "/health"))


def short_line(results: list[dict]) -> str:
    """The short run: the desk mix against /health alone on the same server (medians when several runs)."""
    def med(value) -> float:
        return statistics.median(value(r) for r in results)
    if "health" not in results[0]:  # the Python client: per route, no /health alone
        return (f"\nshort: GET /desk p95 {med(lambda r: r['routes']['GET /desk']['p95']):.1f} ms, server CPU "
                f"{med(lambda r: per_request(r, 'server_cpu')):.2f} ms/request (wrk not installed: /health alone "
                "not measured; figures only, nothing asserted)")
    mix_cpu, health_cpu = (med(lambda r: per_request(r, "server_cpu")),
                           med(lambda r: per_request(r["health"], "server_cpu")))
    return (f"\nshort: desk mix p95 {med(lambda r: r['p95']):.1f} ms, server CPU {mix_cpu:.2f} ms/request; /health "
            f"alone p95 {med(lambda r: r['health']['p95']):.1f} ms, server CPU {health_cpu:.2f} ms/request; desk / "
            f"health server CPU {mix_cpu / health_cpu:.1f}× (figures only, nothing asserted)")


def one_run(args, workdir: Path, names: list[str], samples: dict, workers: int, run: int,
            source: str | None) -> dict:
    """Start a server (of the code in ``source`` when given), load it, stop it; the run's result."""
    port = args.port or free_port()
    load_avg = os.getloadavg()[0]
    log = workdir / f"server-w{workers}-u{args.users}-run{run + 1}{'-before' if source else ''}.log"
    folded = fold_counts(database_url(args))
    print(f"counter deltas folded before the run: {folded:,}", flush=True)
    server = start_server(args, workdir, port, workers, log, source)
    counters = Counters(args, server.pid)
    try:
        with writes(args, port, args.seed + run) as written:
            if args.client == "wrk":
                result = load_wrk(port, names, samples, args, args.seed + run, counters, workdir)
            else:
                result = asyncio.run(load(port, names, samples, args, args.seed + run, counters))
        if args.writes:
            result["writes"] = dict(written)
            print(f"writes beside the load: {dict(written)} (status: count; 0 = no answer)")
        if args.short and args.client == "wrk":
            result["health"] = health_alone(port, args, Counters(args, server.pid), workdir)
    finally:
        stop_server(server)
    result["load_before"], result["client"], result["load_after"] = load_avg, args.client, os.getloadavg()[0]
    return result


def per_request(result: dict, key: str) -> float:
    return result[key] * 1000 / max(result["requests"], 1)


def per_run_line(results: list[dict]) -> str:
    """Per run: throughput, CPU per request (server, PostgreSQL), sessions started, machine busy, load."""
    def each(value) -> str:
        return " / ".join(value(r) for r in results)
    return (f"per run: {each(lambda r: format(r['requests'] / r['wall'], '.1f'))} req/s; server CPU "
            f"{each(lambda r: format(per_request(r, 'server_cpu'), '.2f'))} ms/request; PostgreSQL backends "
            f"{each(lambda r: format(per_request(r, 'postgres_cpu'), '.2f'))} ms/request; sessions started "
            f"{each(lambda r: str(r['sessions']))}; machine busy "
            f"{each(lambda r: format(r['machine_busy'] / r['measured_seconds'], '.2f'))} cores; load before "
            f"{each(lambda r: format(r['load_before'], '.1f'))}")


def ratio_line(before: list[dict], after: list[dict]) -> str:
    """After against before: medians of the CPU per request and of the sessions started."""
    def med(results: list[dict], value) -> float:
        return statistics.median(value(r) for r in results)
    lines = ["\nafter / before (medians):"]
    for label, value in (("server CPU ms/request", lambda r: per_request(r, "server_cpu")),
                         ("PostgreSQL backends CPU ms/request", lambda r: per_request(r, "postgres_cpu")),
                         ("server + PostgreSQL ms/request",
                          lambda r: per_request(r, "server_cpu") + per_request(r, "postgres_cpu")),
                         ("sessions started per run", lambda r: r["sessions"]),
                         ("req/s", lambda r: r["requests"] / r["wall"])):
        b, a = med(before, value), med(after, value)
        lines.append(f"  {label}: {b:.2f} → {a:.2f} ({a / b:.2f}×)" if b else f"  {label}: {b:.2f} → {a:.2f}")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
