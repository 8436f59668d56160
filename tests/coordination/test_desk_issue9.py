"""Issue 9 on the desk, as its users met it: ledger numbers wherever a case is named, letters that hide drafts from
the receiver, refusals in Chinese that keep the typed text, a daily picture that reads right, a closed case that
does not promise an assessment, real names for municipalities, and the queue exported as filtered."""

from __future__ import annotations

import csv
import html
import io
import re

from coordination.test_api import NEW_CASE, client_for, desk, file  # noqa: F401  (the fixture)
from openpyxl import load_workbook


def page_text(response) -> str:
    return html.unescape(response.text)


def form(client, **values) -> dict:
    return {"csrf_token": client.headers["x-csrf-token"], **values}


def draft_letter(desk):
    jilin = client_for(desk, "jilin")
    case = file(desk, jilin, requester_id=desk.ids["changchun"])
    letter = jilin.post("/api/v1/desk/letters", json={"to_region_code": "32", "subject": "请协调"}).json()
    return jilin, case, letter


def test_a_letter_takes_cases_by_ledger_number_and_offers_the_ones_that_fit(desk):
    jilin, case, letter = draft_letter(desk)
    url = f"/desk/letters/{letter['id']}"
    assert case["ledger_no"] in jilin.get(url).text  # offered in the list of cases the letter can carry
    refused = jilin.post(f"{url}/cases", data=form(jilin, case_ids=f"{case['ledger_no']}, TZ-oops"),
                         follow_redirects=False)
    text = page_text(refused)
    assert refused.status_code == 422 and "不是台账编号" in text and "invalid literal" not in text
    assert f'value="{case["ledger_no"]}, TZ-oops"' in text  # what was typed stays
    done = jilin.post(f"{url}/cases", data=form(jilin, case_ids=case["ledger_no"]), follow_redirects=False)
    assert done.status_code == 303
    assert jilin.get(f"/api/v1/desk/letters/{letter['id']}").json()["case_ids"] == [case["id"]]


def test_sending_an_empty_letter_is_refused_in_chinese(desk):
    jilin, _case, letter = draft_letter(desk)
    refused = jilin.post(f"/desk/letters/{letter['id']}/act", data=form(jilin, action="send"), follow_redirects=False)
    assert refused.status_code == 422 and "函件至少须包含一件诉求" in page_text(refused)


def test_the_receiving_province_does_not_see_the_senders_drafts(desk):
    jilin, case, letter = draft_letter(desk)
    jiangsu = client_for(desk, "jiangsu")
    assert jiangsu.get(f"/api/v1/desk/letters/{letter['id']}").status_code == 404
    assert letter["id"] not in [item["id"] for item in jiangsu.get("/api/v1/desk/letters").json()]
    assert "请协调" not in jiangsu.get("/desk/letters").text
    jilin.post(f"/api/v1/desk/letters/{letter['id']}/cases", json={"case_ids": [case["id"]]})
    jilin.post(f"/api/v1/desk/letters/{letter['id']}/actions", json={"action": "send"})
    assert jiangsu.get(f"/api/v1/desk/letters/{letter['id']}").status_code == 200


def test_a_refused_action_speaks_chinese_and_keeps_the_measures(desk):
    case = file(desk)
    suzhou = client_for(desk, "suzhou")
    suzhou.post(f"/api/v1/desk/cases/{case['id']}/actions", json={"action": "accept"})
    # the city assigns a liaison nobody may be (an enterprise user): refused, in Chinese
    refused = suzhou.post(f"/desk/cases/{case['id']}/act", follow_redirects=False,
                          data=form(suzhou, action="assign", liaison_id=str(desk.user_ids["oem"])))
    assert refused.status_code == 422 and "联络人必须是在职的主管部门用户" in page_text(refused)
    oem = client_for(desk, "oem")
    refused = oem.post(f"/desk/cases/{case['id']}/act", data=form(oem, action="escalate", reason=" "),
                       follow_redirects=False)
    assert "请填写理由" in page_text(refused)
    refused = oem.post(f"/desk/cases/{case['id']}/act", data=form(oem, action="close"), follow_redirects=False)
    text = page_text(refused)
    assert "该诉求当前状态下不能进行此操作" in text and "cannot" not in text


def test_the_api_names_a_case_by_its_ledger_number_too(desk):
    first, second = file(desk), file(desk)
    ministry = client_for(desk, "ministry")
    found = ministry.get("/api/v1/desk/cases", params={"q": second["ledger_no"]}).json()
    assert [item["id"] for item in found["items"]] == [second["id"]]
    queue = ministry.get("/desk", params={"q": first["ledger_no"].lower()})
    assert f'data-case="{first["id"]}"' in queue.text and f'data-case="{second["id"]}"' not in queue.text


def test_the_queue_exports_as_filtered_with_region_names(desk):
    first = file(desk)
    file(desk, blocking_uscc=desk.usccs["ningbo"])
    ministry = client_for(desk, "ministry")
    response = ministry.get("/desk/export", params={"format": "csv", "region": "32"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][0] == "台账编号" and [row[0] for row in rows[1:]] == [first["ledger_no"]]
    assert rows[1][7] == "江苏省 苏州市 昆山市" and rows[1][3] == "吉林省 长春市 朝阳区"
    workbook = ministry.get("/desk/export", params={"format": "xlsx", "q": first["ledger_no"]})
    sheet = list(load_workbook(io.BytesIO(workbook.content)).active.iter_rows(values_only=True))
    assert len(sheet) == 2 and sheet[1][9] == "江苏省 苏州市"
    ledger = ministry.get("/api/v1/desk/ledger.xlsx")
    ledger_rows = list(load_workbook(io.BytesIO(ledger.content)).active.iter_rows(values_only=True))
    assert not any(re.fullmatch(r"\d{2,6}", str(cell)) for row in ledger_rows[1:] for cell in row)
    assert client_for(desk, "zhejiang").get("/desk/export", params={"format": "csv"}).content.decode(
        "utf-8-sig").count("\n") == 2  # the header and Ningbo's case: the scope holds


def test_the_daily_picture_reads_right(desk):
    file(desk, category="logistics")
    ministry = client_for(desk, "ministry")
    picture = ministry.get("/api/v1/desk/daily").json()
    assert [t["key"] for t in picture["by_category"]] == ["logistics"]
    assert all(t["label"] != "auto" for t in picture["by_chain"])
    page = ministry.get("/desk/daily")
    assert '<th scope="col" class="num">' in page.text  # headings sit over their numbers
    assert '"integer": true' in page.text  # whole counts: whole axis steps


def test_a_closed_case_without_assessment_does_not_promise_one(desk):
    case = file(desk)
    ministry = client_for(desk, "ministry")
    ministry.post(f"/api/v1/desk/cases/{case['id']}/actions", json={"action": "reject", "reason": "重复"})
    page = page_text(ministry.get(f"/desk/cases/{case['id']}"))
    assert "一分钟" not in page and "within a minute" not in page and 'data-testid="no-impact"' in page


def test_a_municipality_handler_reads_as_the_city_itself(desk):
    oem = client_for(desk, "oem")
    case = oem.post("/api/v1/desk/cases", json=NEW_CASE | {"blocking_name": "浦东某供应商",
                                                           "blocking_region_code": "310115"}).json()
    assert case["handling_region_code"] == "3101"
    page = page_text(client_for(desk, "ministry").get(f"/desk/cases/{case['id']}"))
    handled = re.search(r'data-testid="handled-by">(.*?)</dd>', page, re.S).group(1)
    assert "市辖区" not in handled and "上海市" in handled
    ministry_en = client_for(desk, "ministry")
    ministry_en.cookies.set("ck_lang", "en")
    handled = re.search(r'data-testid="handled-by">(.*?)</dd>', page_text(ministry_en.get(f"/desk/cases/{case['id']}")),
                        re.S).group(1)
    assert handled.startswith("City "), handled  # a sentence-initial level in English (walk: "city 上海市")
