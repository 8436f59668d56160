"""EXPLAIN ANALYZE of the desk queue's statements on the database benchmarks/desk_load.py built (issue 15).

    python benchmarks/desk_explain.py postgresql+psycopg://chainkeeper:chainkeeper@127.0.0.1:5432/ck_desk_load \
        /tmp/ck-desk-load [-v]

For the ministry, the first province and the first city user of the benchmark: ``queries.list_cases`` (page 1,
page 10, open cases, overdue, one state, a region inside the scope) — its wall time and the EXPLAIN ANALYZE
(planning + execution) of its two statements, the page and the capped count — and of ``counts_by_state`` (the
queue page's tabs). ``-v`` prints the plans of page 1 and the region filter. Run it with the code to compare first
on PYTHONPATH; nothing is written.
"""
import json, re, sys, time
import chainkeeper.models  # noqa
from sqlalchemy import create_engine, event, select, text
from sqlalchemy.orm import Session
from chainkeeper.auth.models import User
from chainkeeper.auth.roles import Principal, Role
from chainkeeper.coordination import queries
from chainkeeper.coordination.models import CaseState

engine = create_engine(sys.argv[1])
captured = []
@event.listens_for(engine, "before_cursor_execute")
def grab(conn, cursor, statement, parameters, context, executemany):
    captured.append((statement, parameters))

def principal(username):
    with Session(engine) as s:
        u = s.scalar(select(User).where(User.username == username))
        return Principal(user_id=u.id, username=u.username, display_name=u.display_name, roles=frozenset(u.role_set),
                         enterprise_id=u.enterprise_id, region_code=u.region_code)

users = json.load(open(f"{sys.argv[2]}/desk_load.json"))["users"]
cases = [("ministry", users["ministry"][0]), ("province", users["province"][0]), ("city", users["city"][0])]
raw = engine.raw_connection()
cur = raw.cursor()
for kind, name in cases:
    p = principal(name)
    region = (p.region_code or "")
    variants = {"p1": dict(), "p10": dict(page=10), "open": dict(where=queries.CaseFilter(open_only=True)),
                "overdue": dict(where=queries.CaseFilter(overdue=True)),
                "state=assigned": dict(where=queries.CaseFilter(states=(CaseState.assigned,))),
                "region": dict(where=queries.CaseFilter(region=(region or "31") + "01" if len(region) < 6 else region))}
    for label, kw in variants.items():
        with Session(engine) as s:
            captured.clear()
            t = time.perf_counter()
            found = queries.list_cases(session=s, principal=p, **kw)
            wall = (time.perf_counter() - t) * 1000
            stmts = list(captured)
        times = []
        for st, params in stmts:
            cur.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + st, params)
            plan = cur.fetchone()[0][0]
            times.append(plan["Execution Time"] + plan["Planning Time"])
        print(f"{kind:8} {name:12} {label:15} total={found.total:>6} list_cases {wall:7.1f} ms; EXPLAIN page {times[0]:7.1f} ms, count {times[1]:7.1f} ms", flush=True)
        if "-v" in sys.argv and label in ("p1", "region"):
            for st, params in stmts:
                cur.execute("EXPLAIN (ANALYZE) " + st, params)
                print("\n".join("      " + r[0] for r in cur.fetchall()[:14]))
    with Session(engine) as s:
        captured.clear()
        queries.counts_by_state(session=s, principal=p)
        st, params = captured[0]
    cur.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + st, params)
    plan = cur.fetchone()[0][0]
    print(f"{kind:8} {name:12} counts_by_state  EXPLAIN {plan['Execution Time'] + plan['Planning Time']:7.1f} ms", flush=True)
raw.close()
