"""Benchmark: the matching board's search and suggestions on a board of many posts (SQLite or PostgreSQL).

    PYTHONPATH=src python benchmarks/bench_board.py --posts 20000 --runs 5
    PYTHONPATH=src python benchmarks/bench_board.py --posts 20000 --url postgresql+psycopg://…/board_bench

Board (seeded): 200 supplier enterprises at random counties; ``--posts`` listings and as many needs, each of one of
the catalogue's critical goods, titles built from the good's Chinese name and a few product words, 10 % for the
authorities only. Posts and their bigrams (``board.search.bigrams``) are written in bulk with the ORM (the service
indexes one post at a time and audits it). Measured, as an enterprise user (public posts + its own): a 2-character search, a
4-character search, two terms, a product-code filter with a region prefix, and the suggestions for one need
(candidates of the same good + the most shared bigrams, scored). Prints the median of ``--runs`` of each, in ms.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import insert, select

from chainkeeper.audit.actor import Actor
from chainkeeper.auth.roles import Principal, Role
from chainkeeper.core.caller import Caller
from chainkeeper.db import make_engine, unit_of_work, upgrade
from chainkeeper.docking import catalogue, geo
from chainkeeper.docking.board import posts, search, suggest
from chainkeeper.docking.board.models import BoardNeed, Gram, Listing
from chainkeeper.registry.importing import import_rows
from chainkeeper.registry.models import Enterprise
from chainkeeper.registry.uscc import generate

WORDS = ("现货", "排产", "国产替代", "车规级", "医用", "批量供应", "急需", "长期合作", "认证", "出口转内销")


def build(engine, n_posts: int, seed: int) -> None:
    rng = random.Random(seed)
    counties = [c for c in geo.centroids() if len(c) == 6]
    rows = [dict(uscc=generate(county, rng), name=f"示例供应企业{i:03d}有限公司", county_code=county,
                 industry_code="3973", size="medium", labels="", chain="", contact_person="张伟", contact_phone="13900000000")
            for i, county in enumerate(rng.sample(counties, 200))]
    result = import_rows(engine, "enterprises", rows, source="board bench")
    assert result.written, result
    with unit_of_work(engine) as session:
        catalogue.ensure_catalogue(session)
        goods = catalogue.goods(session)
        firms = list(session.execute(select(Enterprise.id, Enterprise.county_code, Enterprise.name)))
        today = date(2026, 12, 6)
        for kind, model in (("listing", Listing), ("need", BoardNeed)):
            batch = []
            for _ in range(n_posts):
                good, (firm, county, name) = rng.choice(goods), rng.choice(firms)
                title = f"{good.name_zh} {' '.join(rng.sample(WORDS, 2))}"
                extra = {"capacity_per_day": rng.randint(100, 50000), "lead_time_days": rng.randint(1, 40)} \
                    if kind == "listing" else {"quantity": rng.randint(1000, 500000),
                                               "date_needed": today + timedelta(days=rng.randint(5, 90))}
                batch.append(model(enterprise_id=firm, good_id=good.id, title=title, description="", unit="件",
                                   county_code=county, visibility="authorities" if rng.random() < 0.1 else "public",
                                   state="open", search_text=search.normalise(f"{title} {name} {good.name_zh}"),
                                   **extra))
            session.add_all(batch)
            session.flush()
            session.execute(insert(Gram), [{"kind": kind, "gram": gram, "post_id": post.id} for post in batch
                                           for gram in search.bigrams(post.search_text)])


def timed(runs: int, call) -> tuple[float, int]:
    times, size = [], 0
    for _ in range(runs):
        started = time.perf_counter()
        size = len(call())
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=20000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--url", default="")
    args = parser.parse_args()
    url = args.url or f"sqlite:///{Path(tempfile.mkdtemp()) / 'board.db'}"
    engine = make_engine(url)
    upgrade(engine)
    started = time.perf_counter()
    build(engine, args.posts, args.seed)
    print(f"board of {args.posts:,} listings + {args.posts:,} needs built in {time.perf_counter() - started:.1f} s "
          f"({engine.dialect.name})")
    with unit_of_work(engine) as session:
        firm = session.scalar(select(Enterprise.id).order_by(Enterprise.id))
        need_id = session.scalar(select(BoardNeed.id).where(BoardNeed.visibility == "public").order_by(BoardNeed.id))
    caller = Caller(Principal(0, "bench", "bench", frozenset({Role.enterprise}), enterprise_id=firm),
                    Actor(None, "bench"))
    cases = {
        "search '口罩' (2 characters)": posts.Query(text="口罩"),
        "search '防护口罩' (4 characters)": posts.Query(text="防护口罩"),
        "search '车规级 现货' (two terms)": posts.Query(text="车规级 现货"),
        "product code med_n95, region 42": posts.Query(product_code="med_n95", region="42"),
    }
    for label, query in cases.items():
        with unit_of_work(engine) as session:
            ms, size = timed(args.runs, lambda: posts.find(session=session, caller=caller, kind="listing",
                                                           query=query))
        print(f"{label:40s} {ms:8.1f} ms  ({size} results, first 100)")
    with unit_of_work(engine) as session:
        ms, size = timed(args.runs, lambda: suggest.for_post(session=session, caller=caller, kind="need",
                                                             post_id=need_id))
    print(f"{'suggestions for one need':40s} {ms:8.1f} ms  ({size} suggestions)")


if __name__ == "__main__":
    main()
