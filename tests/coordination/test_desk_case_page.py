"""Issue 15 (lane deskcase, sprint 9): the case page reads the case with its firms' names, its liaison and its letter
in one statement of plain columns, and a repeat view by the same viewer reuses the page's rendered blocks (no SQL
about the case) until any write — the same bytes as a fresh render, per viewer (actions, internal comments) and
with the viewer's own CSRF token."""

from __future__ import annotations

import re
from datetime import datetime, timezone

from coordination.test_api import case_in_letter, client_for, desk, file  # noqa: F401  (the fixture)
from coordination.test_desk_cpu import statements
from coordination.test_handoffs import act

from chainkeeper.audit.actor import SYSTEM
from chainkeeper.coordination.models import Case
from chainkeeper.coordination.pages import kept_cases
from chainkeeper.coordination.service import add_event
from chainkeeper.db import unit_of_work
from chainkeeper.web.kept_blocks import kept_cache

CASE_TABLES = ("desk_case", "enterprise", "app_user", "desk_letter")


def _about_the_case(seen: list[str]) -> list[str]:
    """The statements that read the case, its firms, its liaison or its letter (not the liaisons to choose from)."""
    return [s for s in seen if re.search(r"\bFROM (%s)\b" % "|".join(CASE_TABLES), s) and "user_role" not in s]


def _assigned_case(desk) -> tuple[dict, object]:
    """A case of the OEM against its supplier, accepted and assigned by Suzhou to Kunshan's liaison."""
    case = file(desk, blocking_uscc=desk.usccs["kunshan"])
    suzhou = client_for(desk, "suzhou")
    act(suzhou, case["id"], "accept")
    act(suzhou, case["id"], "assign", liaison_id=desk.user_ids["kunshan"])
    return case, suzhou


def test_the_case_its_firms_liaison_and_letter_are_one_statement(desk):
    """Failed before: the case entity (with its letter), the firms' names and the liaison were three statements."""
    case, suzhou = _assigned_case(desk)
    with statements(desk.engine) as seen:
        shown = suzhou.get(f"/desk/cases/{case['id']}")
    assert shown.status_code == 200
    reads = _about_the_case(seen)
    assert len(reads) == 1 and "desk_letter" in reads[0] and "app_user" in reads[0], reads
    liaison = shown.text.split('data-testid="liaison"')[1].split("</dd>")[0]
    assert "—" not in liaison  # the liaison's name, not the dash of a case without one


def test_a_repeat_view_reuses_the_page_until_a_write(desk):
    """Failed before: every view read the case, its timeline, comments and files and rendered them again."""
    case, suzhou = _assigned_case(desk)
    url = f"/desk/cases/{case['id']}"
    first = suzhou.get(url)
    with statements(desk.engine) as seen:
        again = suzhou.get(url)
    assert again.status_code == 200 and again.text == first.text
    assert not [s for s in seen if "desk_case" in s], seen
    assert not kept_cache(suzhou.app)._entries  # apart from the other kept pages: cases do not push them out
    kept_cases(suzhou.app).clear()  # a fresh render gives the same bytes
    assert suzhou.get(url).text == first.text
    token = suzhou.headers["x-csrf-token"]
    assert f'value="{token}"' in again.text

    oem = client_for(desk, "oem")  # another viewer: its own actions, its own token, no internal comment
    assert suzhou.post(f"/api/v1/desk/cases/{case['id']}/comments",
                       json={"body": "内部意见", "internal": True}).status_code == 201
    inside = suzhou.get(url).text
    assert "内部意见" in inside and inside != first.text  # the write ended the kept page
    outside = oem.get(url).text
    assert "内部意见" not in outside and oem.headers["x-csrf-token"] in outside and token not in outside
    assert re.findall(r'data-action="(\w+)"', inside) != re.findall(r'data-action="(\w+)"', outside)
    assert oem.post(f"/api/v1/desk/cases/{case['id']}/comments", json={"body": "已提供材料"}).status_code == 201
    assert "已提供材料" in suzhou.get(url).text


def test_an_error_or_a_refused_form_is_never_kept(desk):
    """The page with an error message (from a redirect or a refused form) is rendered each time, not kept."""
    case, suzhou = _assigned_case(desk)
    url = f"/desk/cases/{case['id']}"
    plain = suzhou.get(url).text
    shown = suzhou.get(url, params={"error": "出错了"})
    assert shown.status_code == 200 and "出错了" in shown.text
    assert suzhou.get(url).text == plain
    refused = suzhou.post(f"{url}/act", data={"action": "feedback", "text": "已协调", "version": "1",
                                              "csrf_token": suzhou.headers["x-csrf-token"]})
    assert refused.status_code == 422 and "已协调" in refused.text
    assert suzhou.get(url).text == plain


def test_the_letter_is_a_link_only_for_those_who_may_open_letters(desk):
    """Failed before (lane walk10): every reader got a link to the coordination letter, and an enterprise's got 403."""
    jilin, case, letter = case_in_letter(desk)
    link = f'href="/desk/letters/{letter["id"]}"'
    assert link in jilin.get(f"/desk/cases/{case['id']}").text
    assert jilin.get(f"/desk/letters/{letter['id']}").status_code == 200
    oem = client_for(desk, "oem")
    shown = oem.get(f"/desk/cases/{case['id']}")
    assert shown.status_code == 200 and link not in shown.text
    assert oem.get(f"/desk/letters/{letter['id']}").status_code == 403  # why it must not be a link
    number = re.search(r'<dd data-testid="letter">([^<]+)</dd>', shown.text)
    assert number and number.group(1).strip()  # the letter's number is still shown, as text


def test_the_letter_is_a_link_only_for_those_who_may_open_that_letter(desk):
    """Failed before (lane walk11): any province that sees the case got the link, and the receiver of a draft letter
    (not yet sent: the sender's alone) got a 404 from it; once the letter is sent, the link is there for it too."""
    jilin, case, letter = case_in_letter(desk)
    link, url = f'href="/desk/letters/{letter["id"]}"', f"/desk/cases/{case['id']}"
    jiangsu = client_for(desk, "jiangsu")
    assert jiangsu.get(f"/desk/letters/{letter['id']}").status_code == 404  # why it must not be a link
    shown = jiangsu.get(url)
    assert shown.status_code == 200 and link not in shown.text and 'data-testid="letter"' in shown.text
    assert link in jilin.get(url).text and link in client_for(desk, "ministry").get(url).text
    assert link not in client_for(desk, "analyst").get(url).text  # national, but letters are not its work
    assert jilin.post(f"/api/v1/desk/letters/{letter['id']}/actions", json={"action": "send"}).status_code == 200
    assert link in jiangsu.get(url).text and jiangsu.get(f"/desk/letters/{letter['id']}").status_code == 200


def test_english_states_and_categories_start_with_a_capital_as_the_tabs_do(desk):
    """Failed before (lane walk11): in English the queue's tabs and state choices were "Submitted", the cells and the
    case page "submitted", the categories "logistics and transport" everywhere; Chinese is unchanged."""
    case = file(desk, category="logistics")
    suzhou = client_for(desk, "suzhou")
    suzhou.cookies.set("ck_lang", "en")
    queue = suzhou.get("/desk").text
    assert '<td data-label="State" data-state="submitted">Submitted' in queue
    assert '<td data-label="Category">Logistics and transport</td>' in queue
    assert '<option value="logistics">Logistics and transport</option>' in queue
    page = suzhou.get(f"/desk/cases/{case['id']}").text
    assert 'data-state="submitted">Submitted</span>' in page and "<dd>Logistics and transport ·" in page
    assert '<option value="logistics">Logistics and transport</option>' in client_for(desk, "oem").get(
        "/desk/new", cookies={"ck_lang": "en"}).text
    daily = suzhou.get("/desk/daily").text
    assert ">Logistics and transport<" in daily and ">logistics and transport<" not in daily
    suzhou.cookies.set("ck_lang", "zh_CN")
    assert '<td data-label="状态" data-state="submitted">待受理' in suzhou.get("/desk").text


def test_the_schedulers_steps_read_as_times_in_the_readers_language(desk):
    """Failed before (lane walk11): a reminder's and an overdue step's time limit showed as stored
    ("2026-12-07T10:00:00+00:00"), by "system" on a Chinese page."""
    case = file(desk)
    limit = datetime(2026, 12, 7, 10, tzinfo=timezone.utc)
    with unit_of_work(desk.engine) as session:
        row = session.get(Case, case["id"])
        for action in ("remind", "overdue"):
            add_event(session, row, SYSTEM, action, row.state, note=limit.isoformat(), at=limit)
    page = client_for(desk, "suzhou").get(f"/desk/cases/{case['id']}").text
    timeline = page.split('data-testid="timeline"')[1].split("</section>")[0]
    assert limit.isoformat() not in timeline and ">system<" not in timeline
    assert timeline.count("办理时限：2026-12-07 18:00") == 2 and timeline.count("· 系统") == 2
