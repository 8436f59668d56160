"""The import through the service, on both databases: the real shapes in, every problem named, all or nothing,
the province limited to its own region."""

import pytest
from monitoring.indicators.indicator_files import nbs_csv, vendor_xlsx
from sqlalchemy import func, select

from chainkeeper.audit.actor import Actor
from chainkeeper.audit.models import AuditEvent
from chainkeeper.auth.roles import Principal, Role
from chainkeeper.core.caller import Caller
from chainkeeper.db import unit_of_work
from chainkeeper.monitoring.indicators import service
from chainkeeper.monitoring.indicators.importing import import_indicator_file
from chainkeeper.monitoring.indicators.models import IndicatorValue
from chainkeeper.registry.importing.limits import MB, ImportLimits

MONTHS = ["2022年1月", "2022年2月", "2022年3月", "2022年4月", "2022年5月", "2022年6月"]
NATIONAL_ROWS = [["规模以上工业增加值同比增长(%)", "", "7.5", "5", "-2.9", "0.7", "3.9"],
                 ["规模以上工业增加值累计增长(%)", "", "7.5", "6.5", "4", "3.3", "3.4"]]


def caller(role: Role, region: str | None = None) -> Caller:
    principal = Principal(user_id=7, username=f"t_{role.value}", display_name="t", roles=frozenset({role}),
                          region_code=region)
    return Caller(principal, Actor(7, principal.username, role.value))


def read(engine, indicator, region="00"):
    with unit_of_work(engine) as session:
        return [(p.period, p.value, p.combined_months)
                for p in service.series(session=session, indicator=indicator, region_code=region)]


def test_the_bureaus_gbk_export_with_header_lines_and_footer_imports_jan_feb_combined(engine):
    data = nbs_csv(["指标", *MONTHS], NATIONAL_ROWS)
    report = import_indicator_file(engine, "月度数据.csv", data=data, indicator="iva_yoy", region="00",
                                   caller=caller(Role.ministry))
    assert report.ok and report.created == 5, report.issues
    assert read(engine, "iva_yoy") == [("2022-02", 7.5, 2), ("2022-03", 5.0, 1), ("2022-04", -2.9, 1),
                                       ("2022-05", 0.7, 1), ("2022-06", 3.9, 1)]
    again = import_indicator_file(engine, "月度数据.csv", data=data, indicator="iva_cum_yoy", region="00")
    assert again.ok and read(engine, "iva_cum_yoy")[-1] == ("2022-06", 3.4, 1)
    with unit_of_work(engine) as session:
        assert service.latest_period(session=session, indicator="iva_yoy") == "2022-06"
        assert session.scalar(select(func.count()).select_from(AuditEvent)
                              .where(AuditEvent.action == "indicator.import")) >= 1


def test_utf8_with_bom_and_regions_as_rows_rank_with_gaps(engine):
    data = nbs_csv(["地区", "2022年4月"], [["全国", "-2.9"], ["上海市", "-61.5"], ["吉林省", "-37.9"],
                                           ["北京市", "#N/A"], ["江苏省", "—"], ["广东省", "-4.4"]],
                   database="分省月度数据", meta=["指标：规模以上工业增加值同比增长(%)"], encoding="utf-8-sig")
    report = import_indicator_file(engine, "分省.csv", data=data, indicator="iva_yoy")
    assert report.ok and report.rows == 4, report.issues
    with unit_of_work(engine) as session:
        service.set_target(session=session, caller=caller(Role.province, "44"), indicator="iva_yoy",
                           region_code="44", year=2022, value=5.0)
        rows = service.ranking(session=session, indicator="iva_yoy", period="2022-04")
    assert [(r.rank, r.region_code, r.value) for r in rows] == [(1, "44", -4.4), (2, "22", -37.9), (3, "31", -61.5)]
    assert rows[2].gap_to_national == pytest.approx(-58.6) and rows[0].gap_to_target == pytest.approx(-9.4)


def test_a_vendor_sheet_dates_and_values_in_xlsx(engine):
    data = vendor_xlsx("中国:规模以上工业增加值:当月同比", [("2022-01-31", "#N/A"), ("2022-02-28", "7.5"),
                                                           ("2022-03-31", "5"), ("2022-04-30", "-2.9")])
    report = import_indicator_file(engine, "wind.xlsx", data=data, indicator="iva_yoy")
    assert report.ok, report.issues
    assert read(engine, "iva_yoy") == [("2022-02", 7.5, 2), ("2022-03", 5.0, 1), ("2022-04", -2.9, 1)]


def test_every_bad_cell_is_named_and_nothing_is_written(engine):
    rows = [["上海市", "-61.5", "1"], ["吉林省", "abc", "1"], ["火星", "1", "2"]]
    data = nbs_csv(["地区", "2022年4月", "2022年13月"], rows, database="分省月度数据")
    report = import_indicator_file(engine, "bad.csv", data=data, indicator="iva_yoy", language="en")
    described = [issue.describe("en") for issue in report.issues]
    assert not report.ok
    assert any("row 3" in d and "C (2022年13月)" in d and "not a valid month" in d for d in described), described
    assert any("row 5, column B (2022年4月)" in d and "“abc” is not a number" in d for d in described), described
    assert any("row 6, column A (地区)" in d and "火星" in d for d in described), described
    assert read(engine, "iva_yoy", "31") == []
    zh = import_indicator_file(engine, "bad.csv", data=data, indicator="iva_yoy")
    assert any("不是有效的月份" in issue.message for issue in zh.issues), [i.message for i in zh.issues]


def test_a_file_without_months_is_refused_with_the_documented_format(engine):
    report = import_indicator_file(engine, "x.csv", data="a,b\n1,2\n".encode(), indicator="iva_yoy", language="en")
    assert [i.code for i in report.issues] == ["no_months"]
    assert "docs/monitoring.md" in report.issues[0].message


def test_the_upload_size_is_bounded(engine):
    data = nbs_csv(["指标", *MONTHS], NATIONAL_ROWS)
    report = import_indicator_file(engine, "big.csv", data=data + b" " * (2 * MB), indicator="iva_yoy", region="00",
                                   limits=ImportLimits(rows=100, file_bytes=1 * MB), language="en")
    assert [i.code for i in report.issues] == ["too_large"]


def test_a_province_imports_only_its_own_region(engine):
    data = nbs_csv(["地区", "2022年4月"], [["上海市", "-61.5"], ["吉林省", "-37.9"]], database="分省月度数据")
    jilin = caller(Role.province, "22")
    refused = import_indicator_file(engine, "p.csv", data=data, indicator="iva_yoy", caller=jilin, language="en")
    assert [(i.row, i.code) for i in refused.issues] == [(4, "outside_region")]
    own = nbs_csv(["地区", "2022年4月"], [["吉林省", "-37.9"]], database="分省月度数据")
    assert import_indicator_file(engine, "p.csv", data=own, indicator="iva_yoy", caller=jilin).ok
    national = nbs_csv(["指标", *MONTHS], NATIONAL_ROWS)
    assert not import_indicator_file(engine, "n.csv", data=national, indicator="iva_yoy", region="00",
                                     caller=jilin).ok
    with unit_of_work(engine) as session:
        assert session.scalar(select(func.count()).select_from(IndicatorValue)) == 1
        with pytest.raises(Exception):
            service.set_target(session=session, caller=jilin, indicator="iva_yoy", region_code="31", year=2022,
                               value=1.0)
