"""Benchmark: the desk's pages and queue API on the demo data (SQLite), in-process (lane deskweb, issue 15).

    PYTHONPATH=$PWD/src python3 benchmarks/desk_web_cpu.py --workdir /tmp/deskweb/work --requests 150 \
        --users ministry,jiangsu --only '^(queue|queue htmx|api|case0)$'          # CPU ms per request
    ... --requests 1 --bodies DIR                                              # every body, CSRF blanked (diff -r)
    ... --requests 100 --users ministry --only '^queue$' --profile 60           # cProfile, warm-ups excluded

The demo database of ``benchmarks/web_cpu.py`` (``--workdir``: it must exist). Runs the app of the ``src`` on
``PYTHONPATH`` with FastAPI's TestClient in this process (so main's code exported with ``git archive`` is the
baseline: alternate the two), signs in as each demo user of ``--users`` and, per desk URL (queue, filtered
queues, the htmx fragment, the API list, the user's first case pages), prints the median CPU of this process
per request (``time.process_time``: the app's threads and the test client, whose share is the same before and
after). Timings are never asserted.
"""
import argparse, cProfile, io, os, pstats, re, statistics, sys, threading, time
from pathlib import Path
p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
p.add_argument("--workdir", default="/tmp/deskweb/work")
p.add_argument("--requests", type=int, default=100)
p.add_argument("--profile", type=int, default=0)
p.add_argument("--bodies")
p.add_argument("--only", default="")
p.add_argument("--users", default="ministry,jiangsu,kunshan,oem")
a = p.parse_args()
os.environ["CHAINKEEPER_DATA_DIR"] = a.workdir
os.environ["CHAINKEEPER_DESK_TICK_SECONDS"] = "0"
os.environ["CHAINKEEPER_AUDIT_CHECKPOINT_SECONDS"] = "0"
from fastapi.testclient import TestClient
from chainkeeper.db import make_engine
from chainkeeper.web.app import create_app
import chainkeeper
print("code", Path(chainkeeper.__file__).parent, "load", os.getloadavg()[0])
engine = make_engine(f"sqlite:///{a.workdir}/chainkeeper.db")
app = create_app(engine=engine)
profs = []
def start(frame, event, arg):
    pr = cProfile.Profile(time.thread_time); profs.append(pr); pr.enable()
res = {}
if a.profile: threading.setprofile(start)
with TestClient(app, base_url="http://127.0.0.1") as c:
    for user in a.users.split(","):
        c.cookies.clear()
        assert c.post("/api/v1/auth/login", json={"username": user, "password": f"{user}-demo-2022"}).status_code == 200
        items = c.get("/api/v1/desk/cases?page_size=3").json()["items"]
        urls = {"queue": "/desk", "queue open": "/desk?state=open", "queue cat": "/desk?category=logistics&page=1",
                "queue htmx": "/desk?page=2", "queue q": "/desk?q=%E6%B1%BD%E8%BD%A6&region=31&sort=due&size=50", "queue empty": "/desk?q=zzzz&overdue=1&mine=1",
                "queue p2": "/desk?page=2&sort=newest", "api q": "/api/v1/desk/cases?q=%E6%B1%BD%E8%BD%A6&order=due&page_size=2&page=2", "api": "/api/v1/desk/cases", "api open": "/api/v1/desk/cases?open_only=true"}
        for i, it in enumerate(items):
            urls[f"case{i}"] = f"/desk/cases/{it['id']}"
        for label, url in urls.items():
            if a.only and not re.search(a.only, label): continue
            hdr = {"HX-Request": "true"} if "htmx" in label else {}
            for lang in ("zh_CN", "en"):
                r = c.get(url, headers=hdr, cookies={"ck_lang": lang})
                assert r.status_code == 200, (url, r.status_code, r.text[:300])
                if a.bodies:
                    Path(a.bodies).mkdir(parents=True, exist_ok=True)
                    body = re.sub(r'(name="csrf_token" value=|csrf-token" content=|"x-csrf-token": )"[^"]*"', r'\1""', r.text)
                    Path(a.bodies, f"{user}-{label.replace(' ', '_')}-{lang}.txt").write_text(body)
            for pr in profs: pr.clear()
            cpu = []
            for _ in range(a.requests):
                t = time.process_time(); c.get(url, headers=hdr, cookies={'ck_lang': 'zh_CN'}); cpu.append((time.process_time() - t) * 1000)
            res.setdefault(label, []).append(statistics.median(cpu))
for k, v in res.items():
    print(f"{k:12} " + " ".join(f"{x:6.2f}" for x in v) + f"  mean {statistics.mean(v):6.2f}")
threading.setprofile(None)
for pr in profs: pr.disable()
if profs:
    for key in ("tottime", "cumulative"):
        out = io.StringIO(); pstats.Stats(*profs, stream=out).sort_stats(key).print_stats(a.profile)
        t = out.getvalue(); print(f"--- {key}\n" + t[t.index("   ncalls"):])
