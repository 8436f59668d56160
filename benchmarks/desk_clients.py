"""The desk benchmark's users, request mix, server and load (``desk_load.py``, steps 2–4): samples of visible
cases per user, ``chainkeeper serve`` on the benchmark database, the Python client and wrk (``desk_wrk.py``), the
CPU counters and the printed results."""

from __future__ import annotations

import asyncio
import os
import random
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlencode

import httpx
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
# the registry benchmark's helpers
from web_load import TARGET_MS, stop_server, verdict

import desk_wrk
from desk_data import CATEGORIES, ENDPOINTS, PASSWORD, ROUTE_ORDER, ROUTES, admin_execute, database_url, server_url

# ------------------------------------------------------------------------------------------------------ samples


def scope_sql(kind: str, code: str) -> str:
    """The same scope as ``coordination.scope.case_scope`` for an authority (national: everything)."""
    if kind == "ministry":
        return "TRUE"
    return (f"(requester_region_code LIKE '{code}%' OR blocking_region_code LIKE '{code}%' "
            f"OR handling_region_code LIKE '{code}%')")


def load_samples(args, users: dict[str, list[str]], per_user: int = 3000) -> dict[str, dict]:
    """Per account: random visible case ids, the regions just below its own (for the region filter), its total."""
    from sqlalchemy import create_engine, text

    engine = create_engine(database_url(args))
    samples = {}
    with engine.connect() as connection:
        for kind, names in users.items():
            for username in names:
                code = "" if kind == "ministry" else username[len("desk_p"):]
                where = scope_sql(kind, code)
                ids = connection.scalars(text(f"SELECT id FROM desk_case TABLESAMPLE BERNOULLI (5) WHERE {where} "
                                              f"LIMIT {per_user}")).all()
                if len(ids) < 100:
                    ids = connection.scalars(text(f"SELECT id FROM desk_case WHERE {where} ORDER BY random() "
                                                  f"LIMIT {per_user}")).all()
                width = {"ministry": 2, "province": 4, "city": 6}[kind]
                regions = connection.scalars(text(
                    f"SELECT DISTINCT left(handling_region_code, {width}) FROM desk_case WHERE {where} "
                    f"AND length(handling_region_code) >= {width}")).all()
                total = connection.scalar(text(f"SELECT count(*) FROM desk_case WHERE {where}"))
                samples[username] = {"kind": kind, "ids": ids, "regions": regions, "total": total}
    engine.dispose()
    return samples


def accounts(users: dict[str, list[str]], n: int) -> list[str]:
    """User i signs in as: the ministry (i % 5 == 0), a province (1, 2) or a city (3, 4), cycling the regions."""
    chosen, counters = [], defaultdict(int)
    for i in range(n):
        kind = ("ministry", "province", "province", "city", "city")[i % 5]
        names = users[kind]
        chosen.append(names[counters[kind] % len(names)])
        counters[kind] += 1
    return chosen


def a_filter(sample: dict, rnd: random.Random, api: bool) -> dict:
    choice = rnd.choice(("open", "state", "category", "overdue", "region"))
    if choice == "open":
        return {"open_only": "true"} if api else {"state": "open"}
    if choice == "state":
        return {"state": rnd.choice(("submitted", "accepted", "assigned", "feedback"))}
    if choice == "category":
        return {"category": rnd.choice(list(CATEGORIES))}
    if choice == "overdue":
        return {"overdue": "true" if api else "1"}
    return {"region": rnd.choice(sample["regions"])} if sample["regions"] else {}


def request_mix(sample: dict, rnd: random.Random) -> list[tuple[str, str]]:
    """One round of a user's work, shuffled: (endpoint, URL)."""
    round_ = [("health", "/health"), ("queue p1", "/desk"),
              ("queue page 2-10", f"/desk?page={rnd.randint(2, 10)}"),
              ("queue filtered", "/desk?" + urlencode(a_filter(sample, rnd, api=False))),
              ("case page", f"/desk/cases/{rnd.choice(sample['ids'])}"),
              ("case page", f"/desk/cases/{rnd.choice(sample['ids'])}"),
              ("api list p1", "/api/v1/desk/cases"),
              ("api list filtered", "/api/v1/desk/cases?" + urlencode(a_filter(sample, rnd, api=True)
                                                                      | {"page": rnd.randint(1, 3)}))]
    rnd.shuffle(round_)
    return round_


# ------------------------------------------------------------------------------------------------------- server


def start_server(args, workdir: Path, port: int, workers: int, log: Path,
                 source: str | None = None) -> subprocess.Popen:
    """``chainkeeper serve`` on the benchmark database; of the package in ``source`` (a ``src`` folder) when given."""
    env = dict(os.environ, CHAINKEEPER_DATABASE_URL=database_url(args), CHAINKEEPER_DATA_DIR=str(workdir),
               PYTHONUNBUFFERED="1")
    if source:
        env["PYTHONPATH"] = source
    env.pop("CHAINKEEPER_WORKERS", None)
    if not args.tick:
        env["CHAINKEEPER_DESK_TICK_SECONDS"] = "0"
    handle = log.open("wb")
    server = subprocess.Popen([sys.executable, "-m", "chainkeeper", "serve", "--host", "127.0.0.1", "--port",
                               str(port), "--workers", str(workers)], env=env, stdout=handle,
                              stderr=subprocess.STDOUT, cwd=workdir)
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the server exited with {server.returncode}; see {log}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health", timeout=2).status_code == 200:
                return server
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    stop_server(server)
    raise SystemExit(f"the server did not answer /health within 180 s; see {log}")


# ------------------------------------------------------------------------------------------------------ clients


async def login(base: str, index: int, username: str, timeout: float) -> httpx.AsyncClient:
    """A client with its own cookie jar and loopback address (login is throttled per address), signed in."""
    transport = httpx.AsyncHTTPTransport(local_address=f"127.0.0.{2 + index}")
    client = httpx.AsyncClient(base_url=base, transport=transport, timeout=timeout, follow_redirects=False)
    for _ in range(5):
        response = await client.post("/api/v1/auth/login", json={"username": username, "password": PASSWORD})
        if response.status_code == 200:
            return client
        print(f"  ! login of {username} failed: {response.status_code} {response.text[:120]!r}", flush=True)
        await asyncio.sleep(1)
    raise SystemExit(f"login as {username} failed 5 times")


async def user_loop(client: httpx.AsyncClient, sample: dict, rnd: random.Random, stop_at: float,
                    record: list | None, failures: dict) -> None:
    while True:
        for endpoint, url in request_mix(sample, rnd):
            if time.perf_counter() >= stop_at:
                return
            start = time.perf_counter()
            try:
                response = await client.get(url)
                status, body = response.status_code, response.text
            except httpx.TimeoutException:
                status, body = "timeout", ""
            except httpx.HTTPError as error:
                status, body = type(error).__name__, str(error)
            elapsed = (time.perf_counter() - start) * 1000
            if record is not None:
                record.append((endpoint, elapsed, status == 200))
                if status != 200:
                    kinds = failures.setdefault(endpoint, {})
                    kinds[str(status)] = kinds.get(str(status), 0) + 1
                    if sum(sum(k.values()) for k in failures.values()) <= 3:
                        print(f"  ! {endpoint} {url} -> {status} after {elapsed:,.0f} ms {body[:160]!r}", flush=True)


def stats_of(values: list[float], failed: int, wall: float) -> dict:
    p50, p95, p99 = np.percentile(values, [50, 95, 99])
    return {"count": len(values), "failed": failed, "p50": float(p50), "p95": float(p95), "p99": float(p99),
            "max": max(values), "rate": len(values) / wall}


class Counters:
    """CPU over the measured part: the server's processes, the PostgreSQL backends serving the database (those
    started during the run included), the sessions PostgreSQL started on it, the postmaster's reaped children (every
    database), the whole machine (``/proc/stat``) and this process (the sampler; the Python client)."""

    def __init__(self, args, server_pid: int):
        self.args, self.server_pid = args, server_pid
        self.postmaster = desk_wrk.postmaster_of(server_url(args))

    def start(self) -> None:
        self.server = desk_wrk.tree_cpu(self.server_pid)
        self.sessions = desk_wrk.sessions_created(admin_execute, self.args)
        self.reaped = desk_wrk.reaped_cpu(self.postmaster)
        self.sampler = desk_wrk.BackendSampler(self.postmaster, self.args.database)
        self.sampler.start()
        self.own, self.machine, self.started = os.times(), desk_wrk.machine_cpu(), time.monotonic()

    def stop(self, result: dict) -> dict:
        machine, elapsed, own = desk_wrk.machine_cpu(), time.monotonic() - self.started, os.times()
        result["server_cpu"] = desk_wrk.cpu_between(self.server, desk_wrk.tree_cpu(self.server_pid))
        result["postgres_cpu"], result["backends_seen"] = self.sampler.stop()
        result["postgres_reaped_cpu"] = desk_wrk.reaped_cpu(self.postmaster) - self.reaped
        result["machine_busy"] = machine[0] - self.machine[0]
        result["machine_idle"] = machine[1] - self.machine[1]
        result["measured_seconds"] = elapsed
        result["bench_cpu"] = sum(own[:2]) - sum(self.own[:2])
        time.sleep(1.5)  # backends report a new session to the statistics within a second or so
        result["sessions"] = desk_wrk.sessions_created(admin_execute, self.args) - self.sessions
        return result


async def signed_in(base: str, names: list[str], args) -> list[httpx.AsyncClient]:
    return [await login(base, i, username, args.timeout) for i, username in enumerate(names)]


async def load(port: int, names: list[str], samples: dict, args, seed: int, counters: Counters) -> dict:
    base = f"http://127.0.0.1:{port}"
    clients = await signed_in(base, names, args)
    try:
        rnds = [random.Random(seed * 1000 + i) for i in range(len(clients))]
        stop_at = time.perf_counter() + args.warmup
        await asyncio.gather(*(user_loop(c, samples[u], r, stop_at, None, {})
                               for c, u, r in zip(clients, names, rnds)))
        record, failures = [], {}
        counters.start()
        started, cpu_before = time.perf_counter(), os.times()
        await asyncio.gather(*(user_loop(c, samples[u], r, started + args.seconds, record, failures)
                               for c, u, r in zip(clients, names, rnds)))
        wall = time.perf_counter() - started
        client_cpu = sum(os.times()[:2]) - sum(cpu_before[:2])
        cpu = counters.stop({})
    finally:
        for client in clients:
            await client.aclose()
    by_endpoint, by_route = defaultdict(list), defaultdict(list)
    failed_endpoint, failed_route = defaultdict(int), defaultdict(int)
    for endpoint, elapsed, ok in record:
        by_endpoint[endpoint].append(elapsed)
        by_route[ROUTES[endpoint]].append(elapsed)
        failed_endpoint[endpoint] += not ok
        failed_route[ROUTES[endpoint]] += not ok
    return {"endpoints": {e: stats_of(v, failed_endpoint[e], wall) for e, v in by_endpoint.items()},
            "routes": {r: stats_of(v, failed_route[r], wall) for r, v in by_route.items()},
            "failures": failures, "wall": wall, "requests": len(record), "client_cpu": client_cpu,
            "failed": sum(failed_endpoint.values()), **cpu}


def load_wrk(port: int, names: list[str], samples: dict, args, seed: int, counters: Counters, workdir: Path) -> dict:
    """The same users and mix driven by wrk (see desk_wrk): warm-up run, then the measured run."""
    async def cookies() -> list[str]:
        clients = await signed_in(f"http://127.0.0.1:{port}", names, args)
        jars = ["; ".join(f"{c.name}={c.value}" for c in client.cookies.jar) for client in clients]
        for client in clients:
            await client.aclose()
        return jars

    script = workdir / f"desk_wrk_u{args.users}.lua"
    desk_wrk.write_script(script, asyncio.run(cookies()), [samples[u] for u in names], request_mix, seed)
    if args.warmup:
        desk_wrk.run_wrk(port, script, args.warmup, len(names), args.wrk_threads, args.timeout)
    counters.start()
    result = desk_wrk.run_wrk(port, script, args.seconds, len(names), args.wrk_threads, args.timeout)
    return counters.stop(result)


def cpu_line(result: dict) -> str:
    """Server and PostgreSQL CPU per request of a run, the sessions PostgreSQL started, the whole machine."""
    n = max(result["requests"], 1)
    busy, seconds = result["machine_busy"], result["measured_seconds"]
    client = result["client_cpu"] if result.get("client") == "wrk" else 0.0  # the Python client is this process
    other = busy - result["server_cpu"] - result["postgres_cpu"] - client - result["bench_cpu"]
    return (f"server processes CPU {result['server_cpu']:.1f} s = {result['server_cpu'] * 1000 / n:.1f} ms/request "
            f"({result['server_cpu'] / result['wall']:.0%} of one core); PostgreSQL backends of the database "
            f"{result['postgres_cpu']:.1f} s = {result['postgres_cpu'] * 1000 / n:.1f} ms/request "
            f"({result['backends_seen']} backends seen); sessions started on the database {result['sessions']} "
            f"({result['sessions'] / max(seconds, 1e-9):.1f}/s); ended PostgreSQL backends of any database "
            f"{result['postgres_reaped_cpu']:.1f} s\nwhole machine: busy {busy:.1f} s of {seconds:.1f} s "
            f"({busy / seconds:.2f} cores of {os.cpu_count()}, idle {result['machine_idle']:.1f} s); server + "
            f"PostgreSQL backends = {(result['server_cpu'] + result['postgres_cpu']) * 1000 / n:.1f} ms/request; "
            f"this script {result['bench_cpu']:.1f} s; everything else (other jobs, PostgreSQL's own processes) "
            f"{other:.1f} s")


def print_wrk_run(result: dict) -> None:
    print(f"wrk, whole mix: {result['requests']:,} requests in {result['wall']:.0f} s = "
          f"{result['requests'] / result['wall']:.1f} req/s; median {result['p50']:.1f} ms, p90 {result['p90']:.1f}, "
          f"**p95 {result['p95']:.1f} ms**, p99 {result['p99']:.1f}, max {result['max']:.0f}; "
          f"{result['failed']} failed (status {result['status']}, timeout {result['timeout']}); "
          f"wrk CPU {result['client_cpu']:.1f} s ({result['client_cpu'] / result['wall']:.0%} of one core)\n"
          f"{cpu_line(result)}  p95 < {TARGET_MS:.0f} ms: {verdict(result['p95'], result['failed'])}", flush=True)


def wrk_summary(results: list[dict]) -> str:
    """Medians across wrk runs, one line."""
    med = {key: statistics.median(r[key] for r in results) for key in ("p50", "p95", "p99")}
    rate = statistics.median(r["requests"] / r["wall"] for r in results)
    server = statistics.median(r["server_cpu"] * 1000 / max(r["requests"], 1) for r in results)
    postgres = statistics.median(r["postgres_cpu"] * 1000 / max(r["requests"], 1) for r in results)
    return (f"wrk, whole mix, medians of {len(results)} runs: median {med['p50']:.0f} ms, **p95 {med['p95']:.0f} ms** "
            f"(per run {' / '.join(format(r['p95'], '.0f') for r in results)}), p99 {med['p99']:.0f} ms, "
            f"{rate:.1f} req/s, server CPU {server:.1f} ms/request, PostgreSQL {postgres:.1f} ms/request, "
            f"{sum(r['failed'] for r in results)} failed")


# ------------------------------------------------------------------------------------------------------ reports


def print_run(result: dict) -> None:
    print(f"{'endpoint / route':26} {'count':>6} {'failed':>6} {'req/s':>6} {'median':>8} {'p95':>8} {'p99':>8}  "
          f"p95 < {TARGET_MS:.0f} ms")
    for group, names in (("endpoints", ENDPOINTS), ("routes", ROUTE_ORDER)):
        for name in names:
            s = result[group].get(name)
            if s and not (group == "endpoints" and name == "health"):
                print(f"{name:26} {s['count']:6d} {s['failed']:6d} {s['rate']:6.1f} {s['p50']:8.1f} {s['p95']:8.1f} "
                      f"{s['p99']:8.1f}  {verdict(s['p95'], s['failed'])}")
    print(f"{result['requests']:,} requests in {result['wall']:.0f} s = {result['requests'] / result['wall']:.1f} "
          f"req/s; {result['failed']} failed; load generator CPU {result['client_cpu']:.0f} s "
          f"({result['client_cpu'] / result['wall']:.0%} of one core)\n{cpu_line(result)}", flush=True)


def summary_table(results: list[dict]) -> str:
    """Markdown: per route and endpoint the medians across runs (p95 judged on the median p95)."""
    lines = [("| route / endpoint | requests | failed | req/s | median ms | p95 ms (per run) | **p95 ms** | p99 ms "
              f"| p95 < {TARGET_MS:.0f} ms |"), "|---|---|---|---|---|---|---|---|---|"]
    rows = [("routes", r, f"**{r}**") for r in ROUTE_ORDER] + [
        ("endpoints", e, f"&nbsp;&nbsp;{e}") for e in ENDPOINTS if e != "health"]
    for group, name, label in rows:
        per_run = [r[group][name] for r in results if name in r[group]]
        if not per_run:
            continue
        p95 = statistics.median(s["p95"] for s in per_run)
        failed = sum(s["failed"] for s in per_run)
        lines.append(f"| {label} | {sum(s['count'] for s in per_run):,} | {failed:,} | "
                     f"{statistics.median(s['rate'] for s in per_run):.1f} | "
                     f"{statistics.median(s['p50'] for s in per_run):,.0f} | "
                     f"{' / '.join(format(s['p95'], ',.0f') for s in per_run)} | **{p95:,.0f}** | "
                     f"{statistics.median(s['p99'] for s in per_run):,.0f} | {verdict(p95, failed)} |")
    return "\n".join(lines)
