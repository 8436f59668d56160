"""Benchmark: what one filing costs the desk views of a user who sees it — CPU of each view kept, and read again
right after a case is filed through the queue API (in-process, on desk_load.py's database).

    PYTHONPATH=$PWD/src python benchmarks/desk_rerender.py postgresql+psycopg://chainkeeper:chainkeeper@127.0.0.1:5432/ck_deskwrite \
        --workdir /tmp/deskwrite/desk --user desk_ministry --filings 40 [--urls /desk,/desk?page=3]

Runs the app of the ``src`` on ``PYTHONPATH`` (alternate it with a baseline exported with ``git archive``). Signs in
as ``--user``, views each URL once, then ``--filings`` times: files a case as desk_writes.py's ministry client does
(a narrow desk write: it ends the kept views whose scope can see the case), views each URL (read again) and views it
once more (kept). Prints per URL the median CPU of this process (``time.process_time``: the app's threads and the
test client, a small fixed part) of both. The cases stay in the database (fold them with desk_load.py's next run).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

from desk_cpu import PASSWORD, filer


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("database_url")
    parser.add_argument("--workdir", type=Path, required=True)
    parser.add_argument("--user", default="desk_ministry")
    parser.add_argument("--filings", type=int, default=40)
    parser.add_argument("--urls", default="/desk,/desk?page=3,/desk?state=open,/api/v1/desk/cases")
    args = parser.parse_args()
    os.environ["CHAINKEEPER_DATA_DIR"] = str(args.workdir)
    os.environ["CHAINKEEPER_DESK_TICK_SECONDS"] = "0"
    from fastapi.testclient import TestClient
    from sqlalchemy.engine import make_url

    from chainkeeper.db import make_engine
    from chainkeeper.web.app import create_app

    engine = make_engine(args.database_url)
    app = create_app(engine=engine)
    urls = args.urls.split(",")
    file_case = filer(app, argparse.Namespace(database_url=None, database=make_url(args.database_url).database), 11)
    spent: dict[str, dict[str, list[float]]] = {url: {"kept": [], "after": []} for url in urls}
    with TestClient(app, base_url="http://127.0.0.1") as client:
        assert client.post("/api/v1/auth/login", json={"username": args.user, "password": PASSWORD}).status_code == 200
        for url in urls:
            client.get(url)
        for _ in range(args.filings):
            file_case()
            for url in urls:
                for kind in ("after", "kept"):
                    c0 = time.process_time()
                    assert client.get(url).status_code == 200, url
                    spent[url][kind].append((time.process_time() - c0) * 1000)
    engine.dispose()
    for url, kinds in spent.items():
        print(f"{url:45} kept {statistics.median(kinds['kept']):6.2f} ms   read again after a filing "
              f"{statistics.median(kinds['after']):6.2f} ms")


if __name__ == "__main__":
    sys.exit(main())
