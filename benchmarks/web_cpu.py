"""Benchmark: server CPU per request of each page and API call, against a bare FastAPI endpoint in the same run.

    python benchmarks/web_cpu.py --workdir /tmp/ck-web-cpu --runs 3 --seconds 5      # the figures (issue 15)
    python benchmarks/web_cpu.py --workdir /tmp/ck-web-cpu --short                   # CI: seconds, ratios printed

Goal (issue 15): every list/detail page and API call costs at most 3× the server CPU of a bare FastAPI endpoint
measured in the same run; ``/health`` and static files at most 1.5×.

1. Builds (or reuses) the demo database in the work dir (``load_demo``, 3,000 enterprises; ~50 s once).
2. Per run: starts the bare app (``benchmarks/bare_app.py``: one ``def`` route returning a small JSON document,
   no middleware) and ``python -m chainkeeper serve`` (one process, the desk's clock and audit checkpoints off so
   nothing runs in the background), each under the same uvicorn, and signs in as the national ``ministry`` user.
3. For each endpoint, the compiled load generator ``wrk -t1 -c4 -d<seconds>s`` (Debian's ``wrk``; it uses a few
   percent of a core) sends requests with the session cookie (none for ``/health``, static and the floor) while the
   server process's own CPU time (``utime + stime`` in ``/proc/<pid>/stat``) is read before and after:
   CPU ms per request = CPU time / requests answered. The floor is measured in every run, so its ratio is
   immune to how busy the machine is; a run of an endpoint that answered anything but 2xx is reported as failed.
4. Prints per endpoint the median CPU ms per request across runs, the ratio to the floor and the goal.
   ``--short`` (1 run, 1 s per endpoint) only prints the figures: timings are never asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sqlite3
import statistics
import subprocess
import sys
from importlib.util import find_spec
from pathlib import Path
from urllib.parse import urlencode

import httpx
from web_load import free_port, start_process, stop_server

HERE = Path(__file__).resolve().parent
USER, PASSWORD = "ministry", "ministry-demo-2022"
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
PUBLIC_GOAL, PAGE_GOAL = 1.5, 3.0


MORE_API_LISTS = [  # the JSON read lists (not the desk's) the national user may read, besides those above (sprint 7)
    ("links", "links"), ("tokens", "tokens"), ("credential keys", "credentials/keys"),
    ("credential revocations", "credentials/revocations"), ("passes", "passes"), ("white lists", "whitelist/lists"),
    ("white-list applications", "whitelist/applications"), ("agreements", "whitelist/agreements"),
    ("categories", "whitelist/categories"), ("resumption", "whitelist/resumption"), ("regions", "regions"),
    ("analysis runs", "analysis/runs"), ("esri", "analysis/esri"), ("report types", "reports/types"),
    ("indicators", "monitoring/indicators"), ("forecast runs", "monitoring/forecast/runs"),
    ("backtest", "monitoring/forecast/backtest"), ("picture", "monitoring/picture"), ("warnings", "warnings"),
    ("briefings", "briefings"), ("docking goods", "docking/goods"), ("sme policies", "sme/policies"),
    ("board threads", "docking/board/threads"), ("board events", "docking/board/events"),
    ("board listings", "docking/board/listings"), ("board needs", "docking/board/needs"),
    ("ladder rules", "sme/ladder/rules"), ("ladder applications", "sme/ladder/applications"),
    ("ladder recognitions", "sme/ladder/recognitions"), ("ladder dashboard", "sme/ladder/dashboard"),
    ("ladder key nodes", "sme/ladder/key-nodes"), ("arrears", "sme/arrears"),
    ("arrears statistics", "sme/arrears/statistics"), ("arrears cases", "sme/arrears/cases"),
]


def endpoints(sample: dict, only: str | None = None) -> list[tuple[str, str, bool, float]]:
    """(name, path, signed in, goal as a multiple of the floor); with ``only``, the floor and the names it matches."""
    every = [
        ("floor: bare FastAPI", "/bare", False, 1.0),
        ("health", "/health", False, PUBLIC_GOAL),
        ("static css", "/static/css/app.css", False, PUBLIC_GOAL),
        ("html home", "/", True, PAGE_GOAL),
        ("html verify (minimal page)", "/verify", True, PAGE_GOAL),
        ("html enterprises", "/enterprises", True, PAGE_GOAL),
        ("html search", "/enterprises?" + urlencode({"q": sample["fragment"]}), True, PAGE_GOAL),
        ("html enterprise", f"/enterprises/{sample['uscc']}", True, PAGE_GOAL),
        ("html white lists", "/whitelists", True, PAGE_GOAL),
        ("html white list", f"/whitelists/{sample.get('list', 1)}", True, PAGE_GOAL),
        ("html picture", "/monitoring/picture", True, PAGE_GOAL),
        ("html picture enterprises", "/monitoring/picture/enterprises", True, PAGE_GOAL),
        ("html ladder", "/sme/ladder", True, PAGE_GOAL),
        ("html board", "/docking/board", True, PAGE_GOAL),
        ("html desk queue", "/desk", True, PAGE_GOAL),
        ("html desk case", f"/desk/cases/{sample['case']}", True, PAGE_GOAL),
        ("api me", "/api/v1/me", True, PAGE_GOAL),
        ("api enterprises", "/api/v1/enterprises", True, PAGE_GOAL),
        ("api enterprise", f"/api/v1/enterprises/{sample['uscc']}", True, PAGE_GOAL),
        ("api desk cases", "/api/v1/desk/cases", True, PAGE_GOAL),
        ("api white list entries", f"/api/v1/whitelist/lists/{sample['white_list']}/entries", True, PAGE_GOAL),
        ("api warning rules", "/api/v1/warning-rules", True, PAGE_GOAL),
        ("api key groups", "/api/v1/monitoring/groups", True, PAGE_GOAL),
        ("api docking needs", "/api/v1/docking/needs", True, PAGE_GOAL),
        ("api docking lines", "/api/v1/docking/lines", True, PAGE_GOAL),
        *[(f"api {name}", f"/api/v1/{path}", True, PAGE_GOAL) for name, path in MORE_API_LISTS],
        ("api enterprise lookup", "/api/v1/enterprise-lookup?" + urlencode({"q": sample["fragment"]}), True, PAGE_GOAL),
    ]
    return [e for e in every if only is None or e[0].startswith("floor") or re.search(only, e[0])]


def build(workdir: Path, firms: int) -> None:
    """The demo database in ``workdir`` (kept when it exists)."""
    db = workdir / "chainkeeper.db"
    if db.exists():
        return
    workdir.mkdir(parents=True, exist_ok=True)
    os.environ["CHAINKEEPER_DATA_DIR"] = str(workdir)
    from chainkeeper.db import make_engine, upgrade
    from chainkeeper.demo.service import load_demo

    engine = make_engine(f"sqlite:///{db}")
    upgrade(engine)
    load_demo(engine, n_firms=firms)
    engine.dispose()


def load_sample(workdir: Path) -> dict:
    connection = sqlite3.connect(f"file:{workdir / 'chainkeeper.db'}?mode=ro", uri=True)
    uscc, name = connection.execute("SELECT uscc, name FROM enterprise ORDER BY id LIMIT 1").fetchone()
    case = connection.execute("SELECT id FROM desk_case ORDER BY id LIMIT 1").fetchone()[0]
    white_list = connection.execute("SELECT id FROM wl_list ORDER BY id LIMIT 1").fetchone()
    longest = connection.execute("SELECT list_id FROM wl_entry GROUP BY list_id ORDER BY count(*) DESC, list_id "
                                 "LIMIT 1").fetchone()
    connection.close()
    return {"uscc": uscc, "fragment": name[:2], "case": case, "list": white_list[0] if white_list else 1,
            "white_list": longest[0] if longest else 1}  # "white_list": the longest list


def cpu_seconds(pid: int) -> float:
    """utime + stime of the process (all its threads), in seconds."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def wrk(url: str, seconds: float, cookie: str | None) -> tuple[int, int]:
    """(requests answered, non-2xx/3xx answers) of ``wrk -t1 -c4``."""
    command = ["wrk", "-t1", "-c4", f"-d{seconds:g}s"]
    if cookie:
        command += ["-H", f"Cookie: ck_session={cookie}"]
    out = subprocess.run(command + [url], capture_output=True, text=True, check=True).stdout
    done = int(re.search(r"(\d+) requests in", out).group(1))
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return done, int(bad.group(1)) if bad else 0


def measure(server_pid: int, url: str, seconds: float, cookie: str | None) -> dict:
    before = cpu_seconds(server_pid)
    done, bad = wrk(url, seconds, cookie)
    used = cpu_seconds(server_pid) - before
    return {"requests": done, "failed": bad, "cpu_ms": used * 1000 / max(done, 1)}


def one_run(workdir: Path, sample: dict, seconds: float, run: int, only: str | None = None) -> dict[str, dict]:
    env = {k: v for k, v in os.environ.items() if k != "CHAINKEEPER_DATABASE_URL"}
    env.update(CHAINKEEPER_DATA_DIR=str(workdir), CHAINKEEPER_DESK_TICK_SECONDS="0",
               CHAINKEEPER_AUDIT_CHECKPOINT_SECONDS="0")
    bare_port, app_port = free_port(), free_port()
    bare = start_process([sys.executable, "-m", "uvicorn", "--factory", "bare_app:create", "--host", "127.0.0.1",
                          "--port", str(bare_port)], bare_port, env, HERE, workdir / f"bare-run{run}.log", "/bare", 300)
    try:
        app = start_process([sys.executable, "-m", "chainkeeper", "serve", "--host", "127.0.0.1", "--port",
                             str(app_port)], app_port, env, workdir, workdir / f"serve-run{run}.log", "/health", 300)
    except BaseException:
        stop_server(bare)  # the bare app must not outlive a run whose server did not start
        raise
    try:
        login = httpx.post(f"http://127.0.0.1:{app_port}/api/v1/auth/login",
                           json={"username": USER, "password": PASSWORD})
        cookie = login.cookies.get("ck_session")
        if not cookie:
            raise SystemExit(f"login failed: {login.status_code} {login.text[:200]}")
        results = {}
        for name, path, signed_in, _goal in endpoints(sample, only):
            server, port = (bare, bare_port) if path == "/bare" else (app, app_port)
            url = f"http://127.0.0.1:{port}{path}"
            # 600 s: the first call of the ESRI route on a freshly exported tree compiles its kernel (numba)
            check = httpx.get(url, cookies={"ck_session": cookie} if signed_in else None, timeout=600)
            if check.status_code != 200:
                raise SystemExit(f"{name} {path}: {check.status_code} {check.text[:200]}")
            wrk(url, 1, cookie if signed_in else None)  # warm-up: caches, compiled templates, the pool
            results[name] = measure(server.pid, url, seconds, cookie if signed_in else None)
        return results
    finally:
        stop_server(app)
        stop_server(bare)


def report(runs: list[dict[str, dict]], sample: dict, only: str | None = None) -> list[str]:
    """Per endpoint: median CPU ms per request, the ratio to the floor (median of the per-run ratios), the goal."""
    lines = ["| endpoint | CPU ms / request (per run) | **median** | × floor | goal | met |", "|---|---|---|---|---|---|"]
    for name, _path, _signed_in, goal in endpoints(sample, only):
        values = [r[name]["cpu_ms"] for r in runs]
        ratios = [r[name]["cpu_ms"] / r["floor: bare FastAPI"]["cpu_ms"] for r in runs]
        ratio = statistics.median(ratios)
        failed = sum(r[name]["failed"] for r in runs)
        met = "—" if goal == 1.0 else ("yes" if ratio <= goal and not failed else "no")
        lines.append(f"| {name} | {' / '.join(f'{v:.2f}' for v in values)} | **{statistics.median(values):.2f}** | "
                     f"{ratio:.1f}× | ≤ {goal:g}× | {met}{f' ({failed} failed)' if failed else ''} |")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/ck-web-cpu"))
    parser.add_argument("--firms", type=int, default=3000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--short", action="store_true", help="1 run of 1 s per endpoint: ratios for CI")
    parser.add_argument("--only", help="regular expression: measure only the endpoints whose name matches "
                        "(and the floor), e.g. '^api'")
    args = parser.parse_args()
    if args.short:
        args.runs, args.seconds = 1, 1
    workdir = args.workdir.resolve()
    build(workdir, args.firms)
    sample = load_sample(workdir)
    print(f"uvicorn's auto choice: uvloop {'yes' if find_spec('uvloop') else 'no'}, httptools "
          f"{'yes' if find_spec('httptools') else 'no'}; 1-min load average {os.getloadavg()[0]:.1f}")
    runs = []
    for run in range(args.runs):
        runs.append(one_run(workdir, sample, args.seconds, run + 1, args.only))
        print(f"run {run + 1}: " + ", ".join(f"{k} {v['cpu_ms']:.2f}" for k, v in runs[-1].items()), flush=True)
    lines = report(runs, sample, args.only)
    print("\n".join(lines))
    (workdir / "web_cpu_results.json").write_text(json.dumps({"runs": runs, "sample": sample}, indent=1))


if __name__ == "__main__":
    main()
