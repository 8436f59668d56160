"""Write traffic beside the desk load (``desk_load.py --writes RATE``): a ministry API client files a case every
``1 / RATE`` seconds through the server while the readers load it.

Each filing is a committed write, so the data epoch ends every kept page and answer in every worker (the desk's
reads are kept until any write or 10 s): the read-only benchmark shows the kept path, this one how the desk fares
when cases keep arriving. The cases are real ones (two random registered firms, a supply problem) and stay in the
benchmark database; the writes' CPU counts in the server's CPU per (read) request.
"""

from __future__ import annotations

import random
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
from desk_data import database_url

WRITER = "desk_ministry"  # the benchmark's ministry user (desk_data.py): may file a case for any firm


def writer_setup(args) -> tuple[str, list[tuple[int, str]]]:
    """An API token of the ministry user and 5,000 random firms (id, USCC) of the benchmark database."""
    from sqlalchemy import func, select

    from chainkeeper.auth.models import User
    from chainkeeper.auth.service import create_token
    from chainkeeper.db import make_engine, unit_of_work
    from chainkeeper.registry.models import Enterprise

    engine = make_engine(database_url(args))
    try:
        with unit_of_work(engine) as session:
            user = session.scalars(select(User).where(User.username == WRITER)).one()
            token = create_token(session=session, user=user, name=f"desk-writes-{time.time():.0f}").plaintext
            firms = session.execute(select(Enterprise.id, Enterprise.uscc).order_by(func.random()).limit(5000)).all()
    finally:
        engine.dispose()
    return token, [tuple(firm) for firm in firms]


@contextmanager
def writes(args, port: int, seed: int) -> Iterator[Counter]:
    """While inside, file ``args.writes`` cases a second on the server at ``port``; yields the answers' statuses
    (0: no answer)."""
    answers: Counter = Counter()
    if not args.writes:
        yield answers
        return
    token, firms = writer_setup(args)
    halt = threading.Event()
    thread = threading.Thread(target=_file_cases, args=(port, token, firms, args.writes, seed, answers, halt),
                              daemon=True)
    thread.start()
    try:
        yield answers
    finally:
        halt.set()
        thread.join(timeout=60)


def case_body(rng: random.Random, firms: list, number: int) -> dict:
    """The JSON of one filed case: a supply problem between two random firms of ``firms``."""
    (requester, _), (_, blocking) = rng.sample(firms, 2)
    return {"category": "parts_supply", "title": f"写入负载 {number}", "requester_id": requester,
            "blocking_uscc": blocking}


def _file_cases(port: int, token: str, firms: list, rate: float, seed: int, answers: Counter,
                halt: threading.Event) -> None:
    rng, due = random.Random(seed), time.monotonic()
    with httpx.Client(base_url=f"http://127.0.0.1:{port}", headers={"Authorization": f"Bearer {token}"},
                      timeout=30) as client:
        while not halt.is_set():
            try:
                answers[client.post("/api/v1/desk/cases", json=case_body(rng, firms, sum(answers.values()))
                                    ).status_code] += 1
            except httpx.TransportError:
                answers[0] += 1
            due += 1 / rate
            halt.wait(max(0.0, due - time.monotonic()))
