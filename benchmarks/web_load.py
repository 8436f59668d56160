"""Benchmark: the web registry under load — list, search and enterprise pages (HTML, JSON) on `chainkeeper serve`.

    python benchmarks/web_load.py --workdir /tmp/ck-web-load --runs 3 --seconds 60 --users 20 [--reuse]

Target (project issue): with 100,000 enterprises and 1,000,000 links on SQLite, the registry list, search and
enterprise pages answer in under 150 ms at the 95th percentile with 20 concurrent users.

1. Builds (or, with ``--reuse``, reuses) a SQLite database in the work dir: ``load_demo(engine, n_firms=100_000)``
   (~100k enterprises, ~260k links, the demo users), then tops it up to ``--links`` supply links with random
   (supplier, customer) pairs among those enterprises that are not linked yet (supplier != customer); their product,
   value, lead time, stock and "essential" flag are resampled from the demo's own links. Written with
   ``chainkeeper.db.bulk_insert``.
2. Per run: starts ``python -m chainkeeper serve --port P`` (uvicorn exactly as the command starts it: one process)
   with ``CHAINKEEPER_DATA_DIR`` = the work dir, and waits for ``/health``.
3. Logs ``--users`` clients in, one after another, as the national "ministry" user (widest scope: the worst case),
   each with its own cookie jar (asyncio + httpx.AsyncClient) and its own loopback address (login is throttled per
   address), warms up for ``--warmup`` seconds, then for ``--seconds`` every client loops with no think time
   over a shuffled mix, for the HTML pages and the JSON API alike: the list (page 1 and a random deeper page), a
   name search (2–4 Chinese characters of a real name, sometimes in traditional characters), a USCC search, a
   province filter, a chain filter and one random enterprise — plus ``/health``, the baseline under the same load.
4. Prints per endpoint: count, failed, median, p95, p99 (ms) and whether p95 < 150 ms; stops the server. Every
   request counts, a failed one (not 200, or no answer within ``--timeout`` seconds) with the time it took to fail;
   the target is met when p95 < 150 ms and nothing failed. Raw results: ``<workdir>/web_load_results_u<users>.json``.
With ``--runs N`` the summary is the median per endpoint across runs (p95 judged on the median p95).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import re
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import urlencode

import httpx
import numpy as np

TARGET_MS = 150.0
USER, PASSWORD = "ministry", "ministry-demo-2022"
HTML_PAGE_SIZE, API_PAGE_SIZE = 20, 50  # the defaults of /enterprises and /api/v1/enterprises
LEGAL_FORMS = re.compile(r"(股份有限公司|有限责任公司|有限公司|集团|公司)$")
HAN = re.compile(r"[\u4e00-\u9fff]+")
ENDPOINTS = ("list p1", "list deep page", "search name", "search USCC", "filter province", "filter chain",
             "enterprise")


# --------------------------------------------------------------------------------------------------------- data


def database_path(workdir: Path) -> Path:
    return workdir / "chainkeeper.db"


def counts(engine) -> dict[str, int]:
    from sqlalchemy import text

    with engine.connect() as connection:
        return {table: connection.scalar(text(f"SELECT count(*) FROM {table}"))
                for table in ("enterprise", "supply_link", "enterprise_label")}


def top_up_links(engine, target: int, seed: int) -> int:
    """Add random new (supplier, customer) links until the registry holds ``target``; returns how many were added."""
    from sqlalchemy import text

    from chainkeeper.db import bulk_insert
    from chainkeeper.registry.models import SupplyLink

    with engine.connect() as connection:
        ids = np.array(connection.scalars(text("SELECT id FROM enterprise")).all(), dtype=np.int64)
        existing = np.array(connection.execute(
            text("SELECT supplier_id, customer_id, product_id, annual_value, lead_time_days, inventory_days, "
                 "essential FROM supply_link")).all(), dtype=object)
    need = target - len(existing)
    if need <= 0:
        return 0
    rng = np.random.default_rng(seed)
    scale = int(ids.max()) + 1
    taken = np.unique(existing[:, 0].astype(np.int64) * scale + existing[:, 1].astype(np.int64))
    chosen = np.empty(0, dtype=np.int64)
    while len(chosen) < need:
        suppliers = rng.choice(ids, size=int((need - len(chosen)) * 1.1) + 1000)
        customers = rng.choice(ids, size=len(suppliers))
        keys = suppliers * scale + customers
        keys = keys[(suppliers != customers) & ~np.isin(keys, taken)]
        keys = np.unique(keys)  # distinct among themselves
        taken = np.union1d(taken, keys)
        chosen = np.concatenate([chosen, keys])
    chosen = rng.permutation(chosen)[:need]
    template = existing[rng.integers(0, len(existing), size=need)]  # product, value, lead time … from real links
    rows = [dict(supplier_id=int(key // scale), customer_id=int(key % scale), product_id=row[2],
                 annual_value=row[3], lead_time_days=row[4], inventory_days=row[5], essential=bool(row[6]))
            for key, row in zip(chosen.tolist(), template)]
    with engine.begin() as connection:
        bulk_insert(connection, SupplyLink.__table__, rows)
    return need


def build(workdir: Path, firms: int, links: int, seed: int, reuse: bool) -> dict[str, int]:
    """The benchmark database (built, or reused when ``--reuse`` and its recorded parameters match)."""
    from chainkeeper.db import make_engine, upgrade
    from chainkeeper.demo.service import load_demo

    workdir.mkdir(parents=True, exist_ok=True)
    db, meta = database_path(workdir), workdir / "web_load.json"
    wanted = {"firms": firms, "links": links, "seed": seed}
    if reuse and db.exists() and meta.exists() and json.loads(meta.read_text())["params"] == wanted:
        found = json.loads(meta.read_text())["counts"]
        print(f"reusing {db}: {found['enterprise']:,} enterprises, {found['supply_link']:,} links")
        return found
    meta.unlink(missing_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    engine = make_engine(f"sqlite:///{db}")
    upgrade(engine)
    start = time.perf_counter()
    summary = load_demo(engine, n_firms=firms, seed=seed)
    print(f"demo loaded in {time.perf_counter() - start:.0f} s: {summary.counts}", flush=True)
    start = time.perf_counter()
    added = top_up_links(engine, links, seed + 1)
    print(f"added {added:,} random links in {time.perf_counter() - start:.0f} s", flush=True)
    found = counts(engine)
    with engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    meta.write_text(json.dumps({"params": wanted, "counts": found}))
    print(f"database {db}: {found['enterprise']:,} enterprises, {found['supply_link']:,} links, "
          f"{found['enterprise_label']:,} labels ({db.stat().st_size / 2**20:,.0f} MiB)")
    return found


@dataclass
class Sample:
    """What the clients pick from: real enterprises, provinces and chains of the database."""

    usccs: list[str]
    names: list[str]
    provinces: list[str]
    chains: list[str]
    total: int
    traditional: dict[str, str] = field(default_factory=dict)


def load_sample(workdir: Path) -> Sample:
    connection = sqlite3.connect(f"file:{database_path(workdir)}?mode=ro", uri=True)
    rows = connection.execute("SELECT uscc, name FROM enterprise").fetchall()
    provinces = [r[0] for r in connection.execute("SELECT DISTINCT province_code FROM enterprise ORDER BY 1")]
    chains = [r[0] for r in connection.execute("SELECT code FROM key_chain ORDER BY position")]
    connection.close()
    return Sample([r[0] for r in rows], [r[1] for r in rows], provinces, chains, len(rows))


def name_fragment(sample: Sample, rnd: random.Random) -> str:
    """2–4 consecutive Chinese characters of a real name (without its legal form); 1 in 4 in traditional script."""
    while True:
        name = LEGAL_FORMS.sub("", rnd.choice(sample.names))
        runs = [run for run in HAN.findall(name) if len(run) >= 2]
        if runs:
            break
    run = rnd.choice(runs)
    size = rnd.randint(2, min(4, len(run)))
    start = rnd.randint(0, len(run) - size)
    fragment = run[start:start + size]
    if rnd.random() < 0.25:
        if fragment not in sample.traditional:
            from opencc_purepy import OpenCC

            sample.traditional[fragment] = OpenCC("s2t").convert(fragment)
        fragment = sample.traditional[fragment]
    return fragment


def request_mix(sample: Sample, rnd: random.Random) -> list[tuple[str, str]]:
    """One round of a user's work, for the HTML pages and the JSON API, shuffled: (endpoint, URL)."""
    round_ = [("health", "/health")]
    for surface, base, size in (("html", "/enterprises", HTML_PAGE_SIZE), ("api", "/api/v1/enterprises",
                                                                           API_PAGE_SIZE)):
        pages = max(2, -(-sample.total // size))
        queries = {
            "list p1": {},
            "list deep page": {"page": rnd.randint(2, pages)},
            "search name": {"q": name_fragment(sample, rnd)},
            "search USCC": {"q": rnd.choice(sample.usccs)},
            "filter province": {"region": rnd.choice(sample.provinces)},
            "filter chain": {"chain": rnd.choice(sample.chains)},
        }
        for endpoint, params in queries.items():
            round_.append((f"{surface} {endpoint}", base + ("?" + urlencode(params) if params else "")))
        round_.append((f"{surface} enterprise", f"{base}/{rnd.choice(sample.usccs)}"))
    rnd.shuffle(round_)
    return round_


# ------------------------------------------------------------------------------------------------------- server


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(workdir: Path, port: int, log: Path) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if k != "CHAINKEEPER_DATABASE_URL"}
    env["CHAINKEEPER_DATA_DIR"] = str(workdir)
    env["PYTHONUNBUFFERED"] = "1"  # the server log shows each request as it happens
    return start_process([sys.executable, "-m", "chainkeeper", "serve", "--host", "127.0.0.1", "--port", str(port)],
                         port, env, workdir, log)


def start_process(command: list[str], port: int, env: dict, cwd: Path, log: Path, probe: str = "/health",
                  wait: float = 180) -> subprocess.Popen:
    """Start a server ``command`` (output to ``log``) and wait until ``probe`` on ``port`` answers 200.

    Shared with benchmarks/web_cpu.py and desk_load.py: exits with a message when the server dies or does not answer
    within ``wait`` seconds."""
    server = subprocess.Popen(command, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT, cwd=cwd)
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"{command} exited with {server.returncode}; see {log}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}{probe}", timeout=2).status_code == 200:
                return server
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    stop_server(server)
    raise SystemExit(f"{command} did not answer {probe} within {wait:g} s; see {log}")


def stop_server(server: subprocess.Popen) -> None:
    if server.poll() is None:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


# ------------------------------------------------------------------------------------------------------ clients


async def login(base: str, index: int, timeout: float) -> tuple[httpx.AsyncClient, int]:
    """A client with its own cookie jar, signed in as the ministry user; returns it and the failed attempts.

    Each user connects from its own loopback address (127.0.0.2, .3, …), as users on their own machines do: login is
    throttled per address (20 attempts in 5 minutes), and a failed attempt is retried.
    """
    transport = httpx.AsyncHTTPTransport(local_address=f"127.0.0.{2 + index}")
    client = httpx.AsyncClient(base_url=base, transport=transport, timeout=timeout, follow_redirects=False)
    for attempt in range(5):
        response = await client.post("/api/v1/auth/login", json={"username": USER, "password": PASSWORD})
        if response.status_code == 200 and "ck_session" in client.cookies:
            return client, attempt
        print(f"  ! login of user {index + 1} failed: {response.status_code} {response.text[:120]!r}", flush=True)
        await asyncio.sleep(1)
    raise SystemExit(f"login as {USER} failed 5 times")


async def user_loop(client: httpx.AsyncClient, sample: Sample, rnd: random.Random, stop_at: float,
                    record: list | None, failures: dict) -> None:
    """Request after request, no think time, until ``stop_at``; every request is recorded, failed or not."""
    while True:
        for endpoint, url in request_mix(sample, rnd):
            if time.perf_counter() >= stop_at:
                return
            start = time.perf_counter()
            try:
                response = await client.get(url)
                status, text = response.status_code, response.text
            except httpx.TimeoutException:
                status, text = "timeout", ""
            except httpx.HTTPError as error:
                status, text = type(error).__name__, str(error)
            elapsed = (time.perf_counter() - start) * 1000
            ok = status == 200
            if record is not None:
                record.append((endpoint, elapsed, ok))
                if not ok:
                    kinds = failures.setdefault(endpoint, {})
                    kinds[str(status)] = kinds.get(str(status), 0) + 1
                    if sum(len(k) for k in failures.values()) <= 3 and kinds[str(status)] == 1:
                        print(f"  ! {endpoint} {url} -> {status} after {elapsed:,.0f} ms {text[:160]!r}",
                              flush=True)


async def load(port: int, sample: Sample, users: int, seconds: float, warmup: float, seed: int,
               timeout: float) -> dict:
    base = f"http://127.0.0.1:{port}"
    clients, retries = [], 0
    for index in range(users):  # one after another: concurrent logins are not what is measured here
        client, failed = await login(base, index, timeout)
        clients.append(client)
        retries += failed
    try:
        rnds = [random.Random(seed * 1000 + i) for i in range(users)]
        stop_at = time.perf_counter() + warmup
        await asyncio.gather(*(user_loop(c, sample, r, stop_at, None, {}) for c, r in zip(clients, rnds)))
        record: list[tuple[str, float, bool]] = []
        failures: dict[str, dict[str, int]] = {}
        started = time.perf_counter()
        cpu_before = os.times()
        await asyncio.gather(*(user_loop(c, sample, r, started + seconds, record, failures)
                               for c, r in zip(clients, rnds)))
        wall = time.perf_counter() - started
        client_cpu = sum(os.times()[:2]) - sum(cpu_before[:2])
    finally:
        await asyncio.gather(*(c.aclose() for c in clients))
    by_endpoint: dict[str, list[float]] = {}
    for endpoint, ms, _ok in record:
        by_endpoint.setdefault(endpoint, []).append(ms)
    stats = {}
    for endpoint, values in by_endpoint.items():  # failed requests count with the time they took to fail
        p50, p95, p99 = np.percentile(values, [50, 95, 99])
        stats[endpoint] = {"count": len(values), "p50": float(p50), "p95": float(p95), "p99": float(p99),
                           "max": max(values), "failed": sum(failures.get(endpoint, {}).values()),
                           "failures": failures.get(endpoint, {})}
    return {"stats": stats, "wall": wall, "requests": len(record), "client_cpu": client_cpu,
            "failed": sum(s["failed"] for s in stats.values()), "login_retries": retries}


def endpoint_order() -> list[str]:
    return ["health"] + [f"{surface} {name}" for surface in ("html", "api") for name in ENDPOINTS]


def verdict(p95: float, failed: int) -> str:
    """The target is met when p95 < 150 ms and no request failed."""
    if p95 < TARGET_MS and not failed:
        return "yes"
    why = [f"+{p95 - TARGET_MS:,.0f} ms ({p95 / TARGET_MS:.1f}×)"] if p95 >= TARGET_MS else []
    return "no: " + ", ".join(why + ([f"{failed} failed"] if failed else []))


def print_run(result: dict) -> None:
    print(f"{'endpoint':24} {'count':>6} {'failed':>6} {'median':>9} {'p95':>9} {'p99':>9}  p95 < 150 ms")
    for endpoint in endpoint_order():
        s = result["stats"].get(endpoint)
        if s:
            kinds = ", ".join(f"{k}×{n}" for k, n in s["failures"].items())
            print(f"{endpoint:24} {s['count']:6d} {s['failed']:6d} {s['p50']:9.1f} {s['p95']:9.1f} "
                  f"{s['p99']:9.1f}  {verdict(s['p95'], s['failed'])}{'  (' + kinds + ')' if kinds else ''}")
    print(f"{result['requests']:,} requests in {result['wall']:.0f} s = {result['requests'] / result['wall']:.1f} "
          f"req/s; {result['failed']} failed; load generator CPU {result['client_cpu']:.0f} s "
          f"({result['client_cpu'] / result['wall']:.0%} of one core); login retries {result['login_retries']}",
          flush=True)


def summary_table(results: list[dict]) -> str:
    """Markdown: per endpoint the medians across runs (p95 judged on the median p95)."""
    lines = ["| endpoint | requests | failed | median ms | p95 ms (per run) | **p95 ms** | p99 ms | p95 < 150 ms |",
             "|---|---|---|---|---|---|---|---|"]
    for endpoint in endpoint_order():
        per_run = [r["stats"][endpoint] for r in results if endpoint in r["stats"]]
        if not per_run:
            continue
        p95 = statistics.median(s["p95"] for s in per_run)
        failed = sum(s["failed"] for s in per_run)
        lines.append(
            f"| {endpoint} | {sum(s['count'] for s in per_run):,} | {failed:,} | "
            f"{statistics.median(s['p50'] for s in per_run):,.0f} | "
            f"{' / '.join(format(s['p95'], ',.0f') for s in per_run)} | **{p95:,.0f}** | "
            f"{statistics.median(s['p99'] for s in per_run):,.0f} | {verdict(p95, failed)} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/ck-web-load"))
    parser.add_argument("--reuse", action="store_true", help="reuse the work dir's database if built alike")
    parser.add_argument("--firms", type=int, default=100_000)
    parser.add_argument("--links", type=int, default=1_000_000)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--warmup", type=float, default=10)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--port", type=int, default=0, help="0: a free port")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--timeout", type=float, default=120, help="client timeout per request, seconds")
    args = parser.parse_args()

    workdir = args.workdir.resolve()
    found = build(workdir, args.firms, args.links, args.seed, args.reuse)
    sample = load_sample(workdir)
    print(f"{len(sample.provinces)} provinces, chains {sample.chains}")
    machine = (f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
               f"SQLite {sqlite3.sqlite_version}")
    print(f"machine: {machine}")
    results = []
    for run in range(args.runs):
        port = args.port or free_port()
        load_avg = os.getloadavg()[0]
        server = start_server(workdir, port, workdir / f"server-u{args.users}-run{run + 1}.log")
        try:
            result = asyncio.run(load(port, sample, args.users, args.seconds, args.warmup, args.seed + run,
                                      args.timeout))
        finally:
            stop_server(server)
        result["load_before"] = load_avg
        results.append(result)
        print(f"\nrun {run + 1}/{args.runs} ({args.users} users, {args.seconds:.0f} s, 1-min load average "
              f"before {load_avg:.1f}):")
        print_run(result)
    stamp = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    (workdir / f"web_load_results_u{args.users}.json").write_text(json.dumps(
        {"date": stamp, "machine": machine, "counts": found, "args": {k: str(v) for k, v in vars(args).items()},
         "runs": results}, indent=1))
    print(f"\n{stamp}; {machine}; {found['enterprise']:,} enterprises, {found['supply_link']:,} links; "
          f"{args.users} users × {args.seconds:.0f} s × {args.runs} runs; medians across runs:\n")
    print(summary_table(results))
    rates = [r["requests"] / r["wall"] for r in results]
    print(f"\nthroughput per run: {', '.join(f'{x:.1f}' for x in rates)} req/s")


if __name__ == "__main__":
    main()
