"""Benchmark: a day's daily-scheduling reports accepted through the real doors, and the picture of that day.

    python benchmarks/bench_daily_reports.py --reporters 2000 5000 20000 --runs 3 \
        [--database-url postgresql+psycopg://…/empty_db]   (default: a fresh SQLite file per size)

Per size N: the demo economy of N firms (``generate_economy`` + ``load_economy``), the ``daily_scheduling`` type
(``ensure_daily_type``), N reporters in key groups of at most 5,000 members with baselines
(``groups.add_members`` + ``reporting.assign``, as ``choose_members`` does). Each reporter's day has the scalar
fields and 30 ``inventory`` rows. Timed, median of ``--runs`` (each run a new report day, committed):

- many: ``reporting.service.submit_many`` of all N reports, one transaction (the bulk path);
- submit: ``reporting.service.submit`` once per enterprise, one transaction (what the API/form path costs per
  report; ``--slow-runs`` runs, as the xlsx figure);
- xlsx: ``reporting.xlsx.upload`` of workbooks holding all N reports (built beforehand, not timed); the upload
  reads at most ``xlsx.MAX_ROWS`` rows over all sheets, so the day is split into workbooks of as many enterprises
  as fit (``--per-workbook``), each its own transaction, as an authority would have to;
- baseline: the same reports and revisions inserted with plain ``executemany`` (SQLAlchemy Core, no validation,
  no audit): the floor on this machine;
- picture: ``monitoring.scheduling.service.picture`` of the last submitted day for the ministry (14 days of
  series over every reported day).
"""

from __future__ import annotations

import argparse
import io
import os
import platform
import resource
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta, timezone

import numpy as np

from chainkeeper import models  # noqa: F401
from chainkeeper.db import make_engine, session_factory, upgrade

FIRST_DAY = date(2022, 4, 1)
ROWS = 30
GROUP_SIZE = 5000


def _median(times: list[float]) -> float:
    return statistics.median(times)


def _caller():
    from chainkeeper.audit.actor import SYSTEM
    from chainkeeper.auth.roles import Principal, Role
    from chainkeeper.core.caller import Caller

    return Caller(Principal(0, "bench", "bench", frozenset({Role.ministry}), language="en"), SYSTEM)


def day_values(enterprise_ids: list[int], codes: list[str], seed: int) -> dict[int, dict]:
    """One day's values per enterprise: the scalar fields and 30 inventory rows."""
    rng = np.random.default_rng(seed)
    out = {}
    for enterprise_id in enterprise_ids:
        ratio = float(rng.choice([1.0, 1.0, 0.9, 0.6, 0.3, 0.0]))
        industries = rng.choice(len(codes), size=ROWS).tolist()
        days = rng.uniform(0, 20, size=ROWS).round(1).tolist()
        out[enterprise_id] = {
            "output_units": int(100 * ratio), "output_value": round(50 * ratio, 2),
            "capacity_utilisation": round(100 * ratio, 1), "staff_on_site": int(80 * ratio) + 5,
            "staff_normal": 85, "inventory": [{"input_industry": codes[k], "days": d}
                                              for k, d in zip(industries, days)],
            "logistics": "normal" if ratio > 0.5 else "constrained", "problem": "" if ratio else "停产"}
    return out


def setup(url: str, n: int):
    """The registry, the type and N assigned reporters in key groups; returns (engine, ids, usccs, codes)."""
    from sqlalchemy import select

    from chainkeeper.demo.generator import generate_economy
    from chainkeeper.demo.service import load_economy
    from chainkeeper.monitoring.scheduling import groups, service as scheduling
    from chainkeeper.registry.models import Enterprise
    from chainkeeper.reporting import service as reporting

    engine = make_engine(url)
    upgrade(engine)
    started = time.perf_counter()
    economy = generate_economy(n)
    load_economy(engine, economy)
    caller = _caller()
    with session_factory(engine)() as session:
        scheduling.ensure_daily_type(session)
        enterprises = list(session.scalars(select(Enterprise).order_by(Enterprise.id).limit(n)))
        for start in range(0, len(enterprises), GROUP_SIZE):
            chunk = enterprises[start:start + GROUP_SIZE]
            group = groups.create_group(session=session, caller=caller, name=f"重点组 {start // GROUP_SIZE + 1}",
                                        region_code="")
            groups.add_members(session=session, caller=caller, group_id=group.id, enterprises=chunk,
                               baselines={e.id: (100, 50.0, 85) for e in chunk})
            reporting.assign(session=session, caller=caller, type_code=scheduling.TYPE_CODE,
                             enterprise_ids=[e.id for e in chunk], group_name=group.name, since=FIRST_DAY)
        session.commit()
        ids = [e.id for e in enterprises]
        usccs = {e.id: e.uscc for e in enterprises}
    codes = sorted({str(code)[:4] for code in economy.enterprises["industry_code"]})
    print(f"{n:,} firms, {len(ids):,} reporters on {engine.dialect.name}: set up in "
          f"{time.perf_counter() - started:.0f} s", flush=True)
    return engine, ids, usccs, codes


def _moment(day: date) -> datetime:
    return datetime.combine(day, datetime.min.time(), tzinfo=timezone.utc) + timedelta(hours=6)  # 14:00 China


def time_submit(engine, values: dict[int, dict], day: date) -> float:
    from chainkeeper.monitoring.scheduling.service import TYPE_CODE
    from chainkeeper.reporting import service as reporting

    caller = _caller()
    started = time.perf_counter()
    with session_factory(engine)() as session:
        for enterprise_id, found in values.items():
            reporting.submit(session=session, caller=caller, type_code=TYPE_CODE, enterprise_id=enterprise_id,
                             report_date=day, values=found, channel="api", now=_moment(day))
        session.commit()
    return time.perf_counter() - started


def time_many(engine, values: dict[int, dict], day: date) -> float:
    from chainkeeper.monitoring.scheduling.service import TYPE_CODE
    from chainkeeper.reporting import service as reporting

    started = time.perf_counter()
    with session_factory(engine)() as session:
        reporting.submit_many(session=session, caller=_caller(), type_code=TYPE_CODE, report_date=day,
                              reports=values, channel="api", now=_moment(day))
        session.commit()
    return time.perf_counter() - started


def workbooks(values: dict[int, dict], usccs: dict[int, str], per_book: int) -> list[bytes]:
    """The day as workbooks of ``per_book`` enterprises: the reports sheet and the inventory sheet."""
    from openpyxl import Workbook

    books, ids = [], list(values)
    for start in range(0, len(ids), per_book):
        book = Workbook(write_only=True)
        main, stock = book.create_sheet("reports"), book.create_sheet("inventory")
        main.append(["uscc", "output_units", "output_value", "capacity_utilisation", "staff_on_site",
                     "staff_normal", "logistics", "problem"])
        stock.append(["uscc", "input_industry", "days"])
        for enterprise_id in ids[start:start + per_book]:
            v, uscc = values[enterprise_id], usccs[enterprise_id]
            main.append([uscc, v["output_units"], v["output_value"], v["capacity_utilisation"],
                         v["staff_on_site"], v["staff_normal"], v["logistics"], v["problem"]])
            for row in v["inventory"]:
                stock.append([uscc, row["input_industry"], row["days"]])
        out = io.BytesIO()
        book.save(out)
        books.append(out.getvalue())
    return books


def time_xlsx(engine, books: list[bytes], day: date) -> float:
    from chainkeeper.monitoring.scheduling.service import TYPE_CODE
    from chainkeeper.reporting import xlsx

    caller = _caller()
    started = time.perf_counter()
    for data in books:
        with session_factory(engine)() as session:
            xlsx.upload(session=session, caller=caller, type_code=TYPE_CODE, report_date=day, data=data,
                        now=_moment(day), language="en")
            session.commit()
    return time.perf_counter() - started


def time_baseline(engine, values: dict[int, dict], day: date, type_id: int) -> float:
    from sqlalchemy import insert, select

    from chainkeeper.reporting.models import Report, ReportRevision

    moment = _moment(day)
    started = time.perf_counter()
    with engine.begin() as connection:
        connection.execute(insert(Report.__table__), [
            {"report_type_id": type_id, "enterprise_id": i, "report_date": day, "values": v, "version": 1,
             "type_version": 1, "submitted_at": moment, "submitted_by": None, "on_behalf": True, "channel": "api",
             "late": False, "first_submitted_at": moment} for i, v in values.items()])
        ids = connection.execute(select(Report.id, Report.enterprise_id).where(
            Report.report_type_id == type_id, Report.report_date == day)).all()
        connection.execute(insert(ReportRevision.__table__), [
            {"report_id": report_id, "version": 1, "values": values[enterprise_id], "submitted_at": moment,
             "submitted_by": None, "submitted_by_name": "bench", "channel": "api", "reason": ""}
            for report_id, enterprise_id in ids])
    return time.perf_counter() - started


def time_picture(engine, day: date) -> tuple[float, int]:
    from chainkeeper.monitoring.scheduling import service as scheduling

    started = time.perf_counter()
    with session_factory(engine)() as session:
        view = scheduling.picture(session=session, caller=_caller(), day=day)
        reported = sum(row.reported for row in view.rows)
    return time.perf_counter() - started, reported


def run(url: str, n: int, runs: int, slow_runs: int, per_book: int | None, skip: set[str]) -> None:
    from chainkeeper.monitoring.scheduling.service import TYPE_CODE
    from chainkeeper.reporting import service as reporting, xlsx

    engine, ids, usccs, codes = setup(url, n)
    with session_factory(engine)() as session:
        type_id = reporting.get_type(session=session, code=TYPE_CODE).id
    per_book = per_book or max(1, xlsx.MAX_ROWS // (ROWS + 1))
    day = iter(FIRST_DAY + timedelta(days=k) for k in range(1000))
    figures: dict[str, list[float]] = {"baseline": [], "many": [], "submit": [], "xlsx": [], "picture": []}
    last = None
    for run_no in range(runs):
        if "baseline" not in skip:
            figures["baseline"].append(time_baseline(engine, day_values(ids, codes, run_no), next(day), type_id))
        if "many" not in skip and hasattr(reporting, "submit_many"):
            last = next(day)
            figures["many"].append(time_many(engine, day_values(ids, codes, 300 + run_no), last))
        if "submit" not in skip and run_no < slow_runs:
            last = next(day)
            figures["submit"].append(time_submit(engine, day_values(ids, codes, 100 + run_no), last))
        if "xlsx" not in skip and run_no < slow_runs:
            books = workbooks(day_values(ids, codes, 200 + run_no), usccs, per_book)
            figures["xlsx"].append(time_xlsx(engine, books, next(day)))
    last = last or next(day)
    for _ in range(runs):
        seconds, reported = time_picture(engine, last)
        figures["picture"].append(seconds)
    print(f"  {n:,} reports x {ROWS} inventory rows ({n * ROWS:,} rows) on {engine.dialect.name}, "
          f"median of {runs}:")
    for name, times in figures.items():
        if times:
            rate = f", {n / _median(times):,.0f} reports/s" if name != "picture" else ""
            print(f"    {name:8s} {_median(times):8.2f} s{rate}  (runs: {', '.join(f'{t:.2f}' for t in times)})")
    print(f"    xlsx in {-(-n // per_book)} workbooks of <= {per_book} enterprises (xlsx.MAX_ROWS = "
          f"{xlsx.MAX_ROWS:,} rows); picture rows reported: {reported:,}", flush=True)
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reporters", type=int, nargs="+", default=[2000, 5000, 20000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--slow-runs", type=int, default=None, help="runs of submit and xlsx (default: --runs)")
    parser.add_argument("--per-workbook", type=int, default=None, help="enterprises per uploaded workbook")
    parser.add_argument("--skip", nargs="*", default=[], choices=["baseline", "many", "submit", "xlsx"])
    parser.add_argument("--database-url", default=None, help="an empty database (default: a fresh SQLite file)")
    args = parser.parse_args()
    workdir = tempfile.mkdtemp(prefix="ck-daily-bench-")
    os.environ.setdefault("CHAINKEEPER_DATA_DIR", workdir)
    print(f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}", file=sys.stderr)
    for n in args.reporters:
        if args.database_url and len(args.reporters) > 1:
            raise SystemExit("one size per PostgreSQL database")
        run(args.database_url or f"sqlite:///{workdir}/daily-{n}.db", n, args.runs,
            args.runs if args.slow_runs is None else args.slow_runs, args.per_workbook, set(args.skip))
    print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2:.2f} GB")


if __name__ == "__main__":
    main()
