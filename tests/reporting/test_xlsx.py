"""Workbook template and bulk upload: all rows or none, every bad cell named by sheet, row, column and field;
the registry importer's limits refuse a zip bomb; corrections need a reason."""

from __future__ import annotations

import io
from datetime import date

import pytest
from openpyxl import load_workbook
from reporting.support import DAY, MORNING, build_world
from reporting.web_support import workbook
from sqlalchemy import select
from xlsx_bombs import string_bomb

from chainkeeper.db import unit_of_work
from chainkeeper.registry.models import Enterprise
from chainkeeper.reporting import xlsx
from chainkeeper.reporting.models import Report

TYPE = "example_daily"
HEAD = ["统一社会信用代码", "企业名称", "产量 (件)", "产值 (万元)", "产能利用率 (%)", "运行状态", "说明"]


@pytest.fixture
def world(engine):
    return build_world(engine)


def _uscc(world, key):
    with unit_of_work(world.engine) as session:
        return session.get(Enterprise, world.ids[key]).uscc


def _upload(world, who, data, day=DAY):
    with unit_of_work(world.engine) as session:
        return xlsx.upload(session=session, caller=world.caller(who), type_code=TYPE, report_date=day, data=data,
                           now=MORNING, language="en")


def _reports(world):
    with unit_of_work(world.engine) as session:
        return {r.enterprise_id: (r.values, r.channel, r.version) for r in session.scalars(select(Report))}


def test_the_template_lists_the_callers_enterprises_and_reads_back(world):
    with unit_of_work(world.engine) as session:
        data = xlsx.template(session=session, caller=world.caller("jiangsu"), type_code=TYPE, day=DAY,
                             language="zh_CN")
    book = load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["报表", "stock", "填表说明"]
    rows = list(book["报表"].iter_rows(values_only=True))
    assert list(rows[0]) == HEAD + ["更正原因"]
    assert sorted(row[0] for row in rows[1:]) == sorted([_uscc(world, "kunshan"), _uscc(world, "suzhou")])
    sheet = book["报表"]  # fill it in and send it back
    for row in sheet.iter_rows(min_row=2):
        row[2].value, row[5].value = 10, "正常"
    book["stock"].append([_uscc(world, "kunshan"), "芯片", 3])
    out = io.BytesIO()
    book.save(out)
    result = _upload(world, "jiangsu", out.getvalue())
    assert (result.created, result.corrected) == (2, 0)
    stored = _reports(world)
    assert stored[world.ids["kunshan"]] == ({"output": 10, "value": None, "utilisation": None, "status": "normal",
                                             "stock": [{"item": "芯片", "days": 3}], "note": None}, "xlsx", 1)


def test_every_bad_cell_is_named_and_nothing_is_stored(world):
    kunshan, suzhou, shanghai = (_uscc(world, k) for k in ("kunshan", "suzhou", "shanghai"))
    data = workbook({"报表": [HEAD, [kunshan, "", 10, "", 90, "正常", ""], [suzhou, "", "ten", -1, "", "", ""],
                             ["91000000000000000X", "", 1, "", "", "", ""], [shanghai, "", 1, "", "", "", ""]],
                     "stock": [["统一社会信用代码", "物料", "可用天数"], [kunshan, "芯片", "abc"], [suzhou, "", 2]]})
    with pytest.raises(xlsx.UploadInvalid) as refused:
        _upload(world, "jiangsu", data)
    found = sorted((p.sheet, p.row, p.column, p.field, p.describe("en").split(": ", 1)[1])
                   for p in refused.value.problems)
    assert found == [
        ("stock", 2, "C", "stock[0].days", "enter a number"),
        ("stock", 3, "B", "stock[0].item", "a value is required"),
        ("报表", 3, "C", "output", "enter a whole number"),
        ("报表", 3, "D", "value", "at least 0"),
        ("报表", 4, "A", "uscc", "no enterprise has this code"),
        ("报表", 5, "A", "uscc", "you may report only for your own enterprise or for enterprises in your region "
                                 f"(enterprise {world.ids['shanghai']})"),
    ]
    assert refused.value.problems[0].describe("zh_CN").startswith("工作表 ")
    assert _reports(world) == {}  # all or nothing


def test_a_second_upload_corrects_with_a_reason(world):
    kunshan = _uscc(world, "kunshan")
    first = workbook({"报表": [HEAD, [kunshan, "", 10, "", "", "", ""]]})
    assert _upload(world, "kunshan_user", first).created == 1
    again = workbook({"报表": [HEAD, [kunshan, "", 12, "", "", "", ""]]})
    with pytest.raises(xlsx.UploadInvalid) as refused:
        _upload(world, "kunshan_user", again)
    assert [(p.row, p.field) for p in refused.value.problems] == [(2, "reason")]
    with_reason = workbook({"报表": [HEAD + ["更正原因"], [kunshan, "", 12, "", "", "", "", "重报"]]})
    assert _upload(world, "kunshan_user", with_reason).corrected == 1
    assert _reports(world)[world.ids["kunshan"]][2] == 2


def test_the_importers_limits_refuse_a_bomb_and_junk(world, tmp_path):
    bomb = string_bomb(tmp_path / "bomb.xlsx", megabytes=3).read_bytes()
    with pytest.raises(xlsx.UploadInvalid) as refused:
        _upload(world, "jiangsu", bomb)
    assert "characters per cell" in refused.value.problems[0].describe("en")
    with pytest.raises(xlsx.UploadInvalid) as junk:
        _upload(world, "jiangsu", b"not a workbook")
    assert "not a readable XLSX" in junk.value.problems[0].describe("en")
    missing = workbook({"报表": [["企业名称", "产量"], ["x", 1]]})
    with pytest.raises(xlsx.UploadInvalid) as header:
        _upload(world, "jiangsu", missing)
    assert header.value.problems[0].describe("en").endswith("the column 统一社会信用代码 is missing")
    assert date(2022, 4, 18) == DAY
