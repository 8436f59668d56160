"""Issue 15 (lane deskq3, sprint 10): a repeat view of the queue page reuses its rendered blocks per scope, language
and query (no SQL about cases) until any write — the same bytes as a fresh render, with the viewer's own CSRF token;
and two fixes found walking the page: the "State" filter's choices start with a capital as the tabs do, and the
title cell keeps a readable width on a phone."""

from __future__ import annotations

import re
from pathlib import Path

from coordination.test_api import client_for, desk  # noqa: F401  (the fixture)
from coordination.test_desk_cpu import statements
from coordination.test_handoffs import act, file_about

from chainkeeper.coordination.pages import kept_queues
from chainkeeper.web.kept_blocks import kept_cache

CSS = Path(__file__).parents[2] / "src/chainkeeper/web/static/css/desk.css"


def _about_cases(seen: list[str]) -> list[str]:
    return [s for s in seen if "desk_case" in s]


def test_a_repeat_view_of_the_queue_reuses_the_page_until_a_write(desk):
    """Failed before: every view read the page of cases, their firms and regions and assembled the page again."""
    oem, suzhou = client_for(desk, "oem"), client_for(desk, "suzhou")
    case = file_about(desk, oem, "320583")
    url = "/desk?state=submitted"
    first = suzhou.get(url)
    with statements(desk.engine) as seen:
        again = suzhou.get(url)
    assert again.status_code == 200 and again.text == first.text
    assert not _about_cases(seen), seen
    assert f'value="{suzhou.headers["x-csrf-token"]}"' in again.text  # the viewer's own token
    assert not kept_cache(suzhou.app)._entries  # apart from the other kept pages: queues do not push them out
    kept_queues(suzhou.app).clear()  # a fresh render gives the same bytes
    assert suzhou.get(url).text == first.text
    act(suzhou, case["id"], "accept")  # any write: the next view reads again and shows it
    with statements(desk.engine) as seen:
        after = suzhou.get(url)
    assert _about_cases(seen) and f'data-case="{case["id"]}"' not in after.text


def test_the_kept_queue_is_per_scope_language_user_and_query(desk):
    """A kept page is never shown to another scope, in another language, for "my cases" of another user, or for
    another query; a page with a message (``error``) is not kept."""
    oem, kunshan, suzhou = client_for(desk, "oem"), client_for(desk, "kunshan"), client_for(desk, "suzhou")
    case = file_about(desk, oem, "3205")  # Suzhou's own city: Kunshan (a county below it) does not see it
    assert f'data-case="{case["id"]}"' in suzhou.get("/desk").text
    assert f'data-case="{case["id"]}"' not in kunshan.get("/desk").text
    suzhou.cookies.set("ck_lang", "en")
    assert "Case queue" in suzhou.get("/desk").text
    assert f'data-case="{case["id"]}"' not in suzhou.get("/desk?state=closed").text
    shown = suzhou.get("/desk?error=boom")
    assert "boom" in shown.text and "boom" not in suzhou.get("/desk").text
    keys = [key for key in kept_queues(suzhou.app)._entries]
    assert not [key for key in keys if "error=boom" in key[-1][-1]]


def test_the_state_filter_choices_start_with_a_capital_like_the_tabs(desk):
    """Failed before: in English the tabs said "Submitted" and the "State" filter's choices "submitted"."""
    suzhou = client_for(desk, "suzhou")
    suzhou.cookies.set("ck_lang", "en")
    text = suzhou.get("/desk?state=accepted").text
    state = text.split('<select name="state">')[1].split("</select>")[0]
    assert '<option value="accepted" selected>Accepted</option>' in state
    assert '<option value="feedback">Feedback given</option>' in state and ">Open<" in state
    tabs = re.findall(r'href="/desk\?state=(\w+)">([^<]+?) <span', text)
    options = dict(re.findall(r'<option value="(\w+)"(?: selected)?>([^<]+)<', state))
    assert tabs and all(options[value] == label for value, label in tabs)
    suzhou.cookies.set("ck_lang", "zh_CN")  # Chinese unchanged
    assert '<option value="accepted" selected>已受理</option>' in suzhou.get("/desk?state=accepted").text


def test_the_title_cell_keeps_a_readable_width(desk):
    """Failed before: at 390 px the ten columns shared the width and the title kept a few characters a line (the
    browser journey measures it); the title cell now has a minimum width and the table scrolls."""
    oem, suzhou = client_for(desk, "oem"), client_for(desk, "suzhou")
    file_about(desk, oem, "3205")
    assert 'class="case-title">' in suzhou.get("/desk").text
    assert re.search(r"td\.case-title \{[^}]*min-width: \d+em", CSS.read_text())
