"""The import page: row-level errors for a bad file (nothing written), counts for a good one, dry run, access."""

import re

from factories import enterprise_row
from sqlalchemy import func, select
from web.pages.page_support import sign_in

from chainkeeper.audit.models import AuditEvent
from chainkeeper.db import unit_of_work
from chainkeeper.registry.models import Enterprise

HEADER = "uscc,name,county_code,industry_code,size,labels,chain,contact_person,contact_phone\n"
ISSUE_ROW = re.compile(r'<tr><td>([^<]*)</td><td class="num">(\d+|—)</td><td class="mono">([^<]*)</td><td>([^<]*)</td></tr>')


def csv_of(rows: list[dict]) -> bytes:
    lines = [",".join(row[k] for k in HEADER.strip().split(",")) for row in rows]
    return (HEADER + "\n".join(lines) + "\n").encode()


def enterprise_count(engine) -> int:
    with unit_of_work(engine) as session:
        return session.scalar(select(func.count()).select_from(Enterprise))


def upload(client, token, data: bytes, name="firms.csv", kind="enterprises", dry_run=False):
    form = {"csrf_token": token, "kind": kind}
    if dry_run:
        form["dry_run"] = "true"
    return client.post("/import", data=form, files={"file": (name, data, "text/csv")})


def test_bad_file_shows_row_errors_and_writes_nothing(client, world, engine):
    token = sign_in(client, "user_city")
    before = enterprise_count(engine)
    rows = [enterprise_row(), enterprise_row(uscc="91320583BADCODE"), enterprise_row(county_code="999999")]
    response = upload(client, token, csv_of(rows))
    assert response.status_code == 422
    issues = ISSUE_ROW.findall(response.text)
    assert {(file, row, column) for file, row, column, _m in issues} == {
        ("firms.csv", "3", "uscc"), ("firms.csv", "4", "county_code")}
    assert "未写入任何数据" in response.text and "不是有效的统一社会信用代码" in response.text
    assert enterprise_count(engine) == before


def test_good_file_reports_counts_and_is_audited(client, world, engine):
    token = sign_in(client, "user_ministry")
    before = enterprise_count(engine)
    name = f"good-{id(client)}.csv"
    response = upload(client, token, csv_of([enterprise_row(), enterprise_row()]), name=name)
    assert response.status_code == 200 and "导入 2 行，新增 2 条，更新 0 条" in response.text
    assert enterprise_count(engine) == before + 2
    with unit_of_work(engine) as session:
        event = session.scalar(select(AuditEvent).where(AuditEvent.object_id == name))
    assert event.action == "import.enterprises" and event.actor_name == "user_ministry"
    assert event.after_values == {"rows": 2, "created": 2, "updated": 0}


def test_dry_run_writes_nothing(client, world, engine):
    token = sign_in(client, "user_ministry")
    before = enterprise_count(engine)
    response = upload(client, token, csv_of([enterprise_row()]), dry_run=True)
    assert response.status_code == 200 and "试运行：未写入任何数据" in response.text
    assert enterprise_count(engine) == before


def test_unreadable_file_and_missing_choice(client, world):
    token = sign_in(client, "user_admin")
    response = upload(client, token, b"whatever", name="firms.pdf")
    assert response.status_code == 422 and "不支持的文件类型" in response.text
    assert client.post("/import", data={"csrf_token": token, "kind": "enterprises"}).status_code == 422
    assert "请选择文件的数据类型" in upload(client, token, b"x", kind="people").text


def test_import_needs_write_rights_and_the_token(client, world, engine):
    token = sign_in(client, "user_analyst")
    assert client.get("/import").status_code == 403
    assert upload(client, token, csv_of([enterprise_row()])).status_code == 403
    client.cookies.clear()
    sign_in(client, "user_county")
    before = enterprise_count(engine)
    refused = client.post("/import", data={"kind": "enterprises"},
                          files={"file": ("f.csv", csv_of([enterprise_row()]), "text/csv")})
    assert refused.status_code == 403 and enterprise_count(engine) == before


LINKS_HEADER = "supplier_uscc,customer_uscc,annual_value,essential\n"


def test_county_import_outside_its_region_is_refused_row_by_row(client, world, engine):
    """Issue 10, finding 1: as Kunshan's authority, a row for a firm elsewhere or a link between two firms elsewhere
    is refused with its row and column; nothing is written (not even with a dry run passing)."""
    token = sign_in(client, "user_county")
    ningbo = world.ningbo | {"name": "改名的宁波公司", "contact_person": "冒充者"}
    response = upload(client, token, csv_of([enterprise_row(), ningbo]))
    assert response.status_code == 422
    assert {(f, r, c) for f, r, c, _m in ISSUE_ROW.findall(response.text)} == {("firms.csv", "3", "uscc")}
    assert "超出您可修改的范围" in response.text
    with unit_of_work(engine) as session:
        assert session.scalar(select(Enterprise.name).where(Enterprise.uscc == world.ningbo["uscc"])) == "宁波座椅有限公司"
    links = (LINKS_HEADER + f"{world.ningbo['uscc']},{world.changchun['uscc']},999000000000,1\n").encode()
    dry = upload(client, token, links, name="links.csv", kind="links", dry_run=True)
    assert dry.status_code == 422 and ("links.csv", "2", "supplier_uscc") in {
        (f, r, c) for f, r, c, _m in ISSUE_ROW.findall(dry.text)}


def test_page_states_the_limits_and_the_scope(client, world):
    sign_in(client, "user_county")
    page = client.get("/import")
    assert "200,000" in page.text and "50 MB" in page.text and "320583" in page.text


def test_oversized_field_is_a_row_error_not_a_500(client, world, engine):
    """Issue 10, finding 11: a CSV field over 128 KiB used to raise inside csv and give a 500."""
    token = sign_in(client, "user_ministry")
    row = enterprise_row(contact_person="张" * 140_000)
    response = upload(client, token, csv_of([enterprise_row(), row]))
    assert response.status_code == 422
    assert {(f, r, c) for f, r, c, _m in ISSUE_ROW.findall(response.text)} == {("firms.csv", "3", "contact_person")}
    assert "131,072" in response.text
