"""What the sprint 13 walk left on the case page (lane walk14), failing before: the time limits ("Accept by",
"Resolve by"), the timeline's times and the comments' times to the minute, as the queue gives them."""

from __future__ import annotations

import re

from coordination.test_api import client_for, desk, file  # noqa: F401  (the fixture)

TIMES = re.compile(r"<dd>(\d{4}-\d\d-\d\d [\d:]+)</dd>|<time>([^<]+)</time>|(?:Time limit|时限)[:：] ?([\d: -]+)<")


def test_the_case_page_gives_its_time_limits_and_its_timeline_to_the_minute(desk):
    case = file(desk)
    suzhou = client_for(desk, "suzhou")
    assert suzhou.post(f"/api/v1/desk/cases/{case['id']}/actions", json={"action": "accept"}).status_code == 200
    assert suzhou.post(f"/api/v1/desk/cases/{case['id']}/comments", json={"body": "已联系"}).status_code == 201
    page = suzhou.get(f"/desk/cases/{case['id']}").text
    limits = re.findall(r"<dt>(?:受理时限|办结时限|Accept by|Resolve by)</dt><dd>([^<]+)</dd>", page)
    times = [next(part for part in found if part) for found in TIMES.findall(page)]
    assert len(limits) == 2 and len(times) >= 5, (limits, times)  # two limits, two steps, a comment
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", moment.strip()) for moment in times), times


def test_the_case_page_gives_the_urgency_with_a_capital_in_english(desk):
    """Failed before: "Supplier restart / parts supply · normal" beside capitalised states and categories."""
    case = file(desk)
    suzhou = client_for(desk, "suzhou")
    suzhou.cookies.set("ck_lang", "en")
    assert re.search(r"<dt>Category</dt><dd>[^<]+ · Normal</dd>", suzhou.get(f"/desk/cases/{case['id']}").text)
    suzhou.cookies.set("ck_lang", "zh_CN")
    assert re.search(r"<dt>类别</dt><dd>[^<]+ · 一般</dd>", suzhou.get(f"/desk/cases/{case['id']}").text)
