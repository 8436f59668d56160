"""Issue 15 (lane deskcpu): the queue API's total comes from the per-scope page cache the HTML queue uses, and it
follows every write; the queue's rows and the liaisons are read without loading ORM entities."""

from __future__ import annotations

from contextlib import contextmanager

from sqlalchemy import event

from coordination.test_api import client_for, desk  # noqa: F401  (the fixture)
from coordination.test_handoffs import file_about


@contextmanager
def statements(engine):
    """The SQL statements run on ``engine`` inside the block."""
    seen: list[str] = []

    def note(conn, cursor, statement, parameters, context, executemany):
        seen.append(" ".join(statement.split()))

    event.listen(engine, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", note)


def counts(seen: list[str]) -> list[str]:
    """The statements that count cases: a capped total or the tabs' per-state counts."""
    return [s for s in seen if "count(*)" in s and "FROM desk_case" in s]


def test_the_api_list_counts_once_per_scope_and_follows_every_write(desk):
    """Failed before: each call counted the caller's visible cases again (up to 10,001 rows, 75 ms at 200k cases)."""
    oem, jiangsu = client_for(desk, "oem"), client_for(desk, "jiangsu")
    first = jiangsu.get("/api/v1/desk/cases?open_only=true").json()["total"]
    with statements(desk.engine) as seen:
        again = jiangsu.get("/api/v1/desk/cases?open_only=true").json()["total"]
    assert again == first and counts(seen) == []
    file_about(desk, oem, "320583")
    with statements(desk.engine) as seen:
        after = jiangsu.get("/api/v1/desk/cases?open_only=true").json()["total"]
    assert after == first + 1 and len(counts(seen)) == 1
    zhejiang = client_for(desk, "zhejiang")  # another scope: its own count, never Jiangsu's
    assert zhejiang.get("/api/v1/desk/cases?open_only=true").json()["total"] == 0


def test_the_queue_reads_its_rows_and_liaisons_without_whole_entities(desk):
    """Failed before: the queue selected every column of its cases (with their letters joined) and every column of
    the liaisons (with their roles loaded by a second statement)."""
    oem, jiangsu = client_for(desk, "oem"), client_for(desk, "jiangsu")
    case = file_about(desk, oem, "320583")
    with statements(desk.engine) as seen:
        page = jiangsu.get("/desk")
    assert page.status_code == 200 and case["ledger_no"] in page.text
    rows = [s for s in seen if "FROM desk_case" in s and "LIMIT" in s and "count(*)" not in s]
    assert rows and all("desk_case.blocked" not in s and "desk_letter" not in s for s in rows), rows
    liaisons = [s for s in seen if s.startswith("SELECT DISTINCT app_user.id")]
    assert liaisons and all("password_hash" not in s for s in liaisons), liaisons
    assert 'data-testid="bulk-assign"' in page.text and "<option value=" in page.text
