"""What the sprint 12 browser walk left on the desk (lane walk13), each test failing before: English tags and the
role tag start with a capital, the queue's due times in minutes, the case page's impact table one labelled card
per firm on a phone."""

from __future__ import annotations

import re

from coordination.test_api import client_for, desk, file  # noqa: F401  (the fixture)

from chainkeeper.coordination.models import Case
from chainkeeper.db import unit_of_work


def english(client):
    client.cookies.set("ck_lang", "en")
    return client


def test_english_tags_in_the_queue_and_the_role_tag_start_with_a_capital(desk):
    case = file(desk, urgency="critical")
    with unit_of_work(desk.engine) as session:
        session.get(Case, case["id"]).overdue = True
    ministry = english(client_for(desk, "ministry"))
    page = ministry.get("/desk").text
    assert '<span class="tag urgent">Critical</span>' in page and '<span class="tag overdue">Overdue</span>' in page
    assert '<span class="tag">Ministry coordinator</span>' in page
    case_page = ministry.get(f"/desk/cases/{case['id']}").text
    assert '<span class="tag overdue">Overdue</span>' in case_page


def test_the_queue_gives_due_times_in_minutes(desk):
    file(desk)
    page = client_for(desk, "suzhou").get("/desk").text
    dues = re.findall(r'<td data-label="[^"]+">(\d{4}-\d\d-\d\d [\d:]+)</td>', page)
    assert dues and all(re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", due) for due in dues), dues


def test_the_impact_table_labels_every_cell_so_it_reads_as_cards_on_a_phone(desk):
    case = file(desk)
    kunshan = english(client_for(desk, "kunshan"))
    assert kunshan.post(f"/api/v1/desk/cases/{case['id']}/impact").status_code == 200
    with unit_of_work(desk.engine) as session:  # one firm for certain, listed, whatever the small desk's chain
        session.get(Case, case["id"]).impact = (
            '{"n_listed_stopping": 1, "listed_within_days": 5, "horizon_days": 30, "output_at_risk_cny": 2.0e8,'
            ' "n_affected": 1, "first_stop_day": 4, "firms": [{"name": "甲厂", "day_below_90": 2,'
            ' "day_below_50": 4, "listed": true}]}')
    panel = kunshan.get(f"/desk/cases/{case['id']}").text.split('data-testid="impact">')[1].split("</section>")[0]
    assert '<table class="data compact cards">' in panel  # app.css: table.cards, one card per row on a phone
    headings = re.findall(r'<th scope="col">([^<]+)</th>', panel)
    row = re.search(r"<tbody><tr>(.*?)</tr>", panel, re.S).group(1)
    assert re.findall(r'data-label="([^"]+)"', row) == headings == [
        "Enterprise", "Below 90% on day", "Stops on day", "White-listed"]
    assert row.endswith('<td data-label="White-listed">Yes</td>')
