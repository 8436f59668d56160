"""Issue 15 (lane deskweb, sprint 7): the queue API reads only the columns it answers with; the queue page renders
each row and its filter form once per content and language and then reuses them, following every change."""

from __future__ import annotations

import json

from coordination.test_api import client_for, desk  # noqa: F401  (the fixture)
from coordination.test_desk_cpu import statements
from coordination.test_handoffs import act, file_about

from chainkeeper.auth.models import User
from chainkeeper.coordination import pages, queries
from chainkeeper.coordination.schemas import CaseOut
from chainkeeper.db import unit_of_work


def pages_of_cases(seen: list[str]) -> list[str]:
    """The statements that read a page of cases (not a count)."""
    return [s for s in seen if "FROM desk_case" in s and "LIMIT" in s and "count(*)" not in s]


def test_the_api_list_reads_its_columns_only_and_answers_as_the_entities_did(desk):
    """Failed before: the API list loaded whole Case entities (every text column, the letter joined) to answer
    with 22 of their fields."""
    oem, jiangsu = client_for(desk, "oem"), client_for(desk, "jiangsu")
    for region in ("320583", "3205", "32"):
        file_about(desk, oem, region)
    url = "/api/v1/desk/cases?order=newest&page_size=2&page=2"
    with statements(desk.engine) as seen:
        answer = jiangsu.get(url)
    assert answer.status_code == 200
    rows = pages_of_cases(seen)
    assert rows and all("desk_case.blocked" not in s and "desk_letter" not in s for s in rows), rows
    with unit_of_work(desk.engine) as session:  # the same page through the ORM entities, as before
        principal = desk.caller("jiangsu").principal
        found = queries.list_cases(session=session, principal=principal, order="newest", page=2, page_size=2)
        expected = [json.loads(CaseOut.of(case).model_dump_json()) for case in found.items]
    assert answer.json()["items"] == expected and len(expected) == 1
    assert (answer.json()["page"], answer.json()["page_size"], answer.json()["total"]) == (2, 2, 3)


def test_the_queue_renders_each_row_and_its_filters_once_and_follows_changes(desk):
    """Failed before (no such reuse): every view rendered every row's cells and the whole filter form again."""
    oem, kunshan = client_for(desk, "oem"), client_for(desk, "kunshan")
    case = file_about(desk, oem, "320583")
    first = kunshan.get("/desk?category=parts_supply")
    rows, forms = pages.queue_row.cache_info(), pages._rendered_filter_form.cache_info()
    pages.kept_queues(kunshan.app).clear()  # the whole page is kept too (lane deskq3): its parts are assembled again
    again = kunshan.get("/desk?category=parts_supply")
    assert again.text.replace(csrf(again.text), "") == first.text.replace(csrf(first.text), "")
    assert pages.queue_row.cache_info().misses == rows.misses  # no row rendered again
    assert pages.queue_row.cache_info().hits >= rows.hits + 1
    assert pages._rendered_filter_form.cache_info().misses == forms.misses
    assert f'data-case="{case["id"]}"' in again.text and 'data-state="submitted"' in again.text
    assert '<option value="parts_supply" selected>' in again.text
    act(kunshan, case["id"], "accept")  # a change of the case: its row shows it at once
    after = kunshan.get("/desk?category=parts_supply")
    assert 'data-state="accepted"' in after.text and 'data-state="submitted"' not in after.text
    other = kunshan.get("/desk?category=logistics")  # other filter values: their own form
    assert '<option value="logistics" selected>' in other.text and "parts_supply\" selected" not in other.text
    assert '<td data-label="状态" data-state="accepted">已受理' in after.text
    kunshan.cookies.set("ck_lang", "en")  # the other language: its own rows
    english = kunshan.get("/desk?category=parts_supply")
    assert '<td data-label="State" data-state="accepted">Accepted' in english.text and "已受理" not in english.text


def csrf(html: str) -> str:
    """The page's CSRF token (it differs per view)."""
    marker = 'name="csrf_token" value="'
    start = html.index(marker) + len(marker)
    return html[start:html.index('"', start)]


def test_the_case_page_reads_duplicates_only_when_it_offers_merging_and_the_liaison_by_name(desk):
    """Failed before: every view looked for open duplicates (whole cases) even where the page does not show them,
    and loaded the liaison as a whole user with its roles (two statements) to show a name and an e-mail."""
    oem, kunshan = client_for(desk, "oem"), client_for(desk, "kunshan")
    first, second = file_about(desk, oem, "320583"), file_about(desk, oem, "320583")
    suzhou = client_for(desk, "suzhou")  # the receiver (Jiangsu routes to its cities) may reject a submitted case
    offered = suzhou.get(f"/desk/cases/{second['id']}")
    assert 'data-testid="duplicates"' in offered.text and f'<a href="/desk/cases/{first["id"]}">' in offered.text
    act(kunshan, second["id"], "accept")
    act(kunshan, second["id"], "assign", liaison_id=desk.user_ids["kunshan"])
    with statements(desk.engine) as seen:
        shown = kunshan.get(f"/desk/cases/{second['id']}")
    assert shown.status_code == 200 and 'data-testid="duplicates"' not in shown.text
    cases = [s for s in seen if s.startswith("SELECT desk_case.id") and "count(*)" not in s]
    assert len(cases) == 1, cases  # the case itself, no search for duplicates
    assert not [s for s in seen if "app_user.password_hash" in s or "app_user_role.user_id IN" in s]  # no whole user
    liaison = shown.text.split('data-testid="liaison"')[1].split("</dd>")[0]
    with unit_of_work(desk.engine) as session:
        person = session.get(User, desk.user_ids["kunshan"])
        name, email = person.display_name, person.email
    assert f">{name} · {email}" in liaison
