"""A second writer waits its turn, never a traceback (issue 10, finding 17).

* SQLite: a CLI import while the server answers an API-token poller (every token use writes: its audit event and
  its last-used time) used to fail with ``database is locked`` every time — the import read first and then tried
  to write, after the poller had committed.
* Two imports of the same new firms at once: the loser used to fail with a raw traceback (``UniqueViolation`` on
  PostgreSQL); now the second one waits for the first and then updates what the first created.
"""

from __future__ import annotations

from coordination.test_durability import start_server, stop
from reliability.support import Poller, cli_env, enterprise_file, run_cli, start_cli
from sqlalchemy import func, select
from db_templates import migrated_sqlite

import httpx

from chainkeeper.audit.service import verify_chain
from chainkeeper.auth.roles import Role
from chainkeeper.auth.service import create_token, create_user
from chainkeeper.db import make_engine, unit_of_work
from chainkeeper.registry.models import Enterprise


def _token(engine) -> str:
    with unit_of_work(engine) as session:
        user = create_user(session=session, username="poller", password="correct-horse-42", display_name="poller",
                           roles={Role.ministry})
        return create_token(session=session, user=user, name="poller").plaintext


def test_cli_import_while_a_token_poller_runs_on_sqlite(tmp_path):
    data_dir = tmp_path / "data"
    engine = make_engine(migrated_sqlite(data_dir / "chainkeeper.db"))
    token = _token(engine)
    rows = enterprise_file(tmp_path / "firms.csv", 3000)
    server = start_server(None, data_dir, tmp_path / "server.log")
    client = httpx.Client(base_url=server.url, headers={"Authorization": f"Bearer {token}"}, timeout=30)
    poller = Poller(client.get, "/api/v1/me", 0.05)
    try:
        poller.start()
        done = run_cli(cli_env(None, data_dir), "import", "enterprises", str(tmp_path / "firms.csv"))
    finally:
        poller.stop()
        client.close()
        stop(server)
    assert "Traceback" not in done.stderr, done.stderr[-2000:]
    assert done.returncode == 0, done.stderr[-2000:]
    assert "3000 created" in done.stdout
    assert len(poller.statuses) >= 5 and set(poller.statuses) == {200}, (poller.statuses, poller.errors)
    with unit_of_work(engine) as session:
        assert session.scalar(select(func.count()).select_from(Enterprise)) == len(rows)
        assert verify_chain(session=session).ok
    engine.dispose()


def test_two_imports_of_the_same_new_firms_at_once(engine, tmp_path):
    """Both succeed: the second waits for the first, then finds the firms there and updates them."""
    url = engine.url.render_as_string(hide_password=False)
    enterprise_file(tmp_path / "firms.csv", 1500)
    env = cli_env(url, tmp_path / "data")
    first, second = (start_cli(env, "import", "enterprises", str(tmp_path / "firms.csv")) for _ in range(2))
    outcomes = [process.communicate(timeout=180) + (process.returncode,) for process in (first, second)]
    for out, err, code in outcomes:
        assert "Traceback" not in err, err[-2000:]
        assert code == 0, err[-2000:]
    summaries = sorted(out.strip().splitlines()[-1] for out, _err, _code in outcomes)
    assert any("1500 created" in line for line in summaries), summaries
    assert any("1500 updated" in line for line in summaries), summaries
    with unit_of_work(engine) as session:
        assert session.scalar(select(func.count()).select_from(Enterprise)) == 1500
        assert verify_chain(session=session).ok


def test_a_token_poller_writes_its_last_use_at_most_once_a_minute(engine):
    """Reading a token records its use, but the last-used time only when the stored one is a minute old: a poller
    does not turn every read into a write of the token row."""
    from datetime import timedelta

    from chainkeeper.auth.models import ApiToken, utcnow
    from chainkeeper.auth.service import resolve_token

    secret = _token(engine)
    start = utcnow()
    seen = []
    for offset in (0, 1, 30, 59, 61, 62):
        with unit_of_work(engine) as session:
            assert resolve_token(session=session, secret=secret, now=start + timedelta(seconds=offset)) is not None
        with unit_of_work(engine) as session:
            seen.append(session.scalar(select(ApiToken.last_used_at)) - start)
    assert seen == [timedelta(0)] * 4 + [timedelta(seconds=61)] * 2
