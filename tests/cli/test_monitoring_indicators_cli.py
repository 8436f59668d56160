"""``chainkeeper monitoring indicators import`` (issue 12, monthly indicators, the command-line door): the operator
imports anything; ``--as`` a province only its own region's figures; every problem named by file, row and column."""

from accounts_fixture import build_world
from monitoring.indicators.indicator_files import nbs_csv
from sqlalchemy import select

from chainkeeper.audit.models import AuditEvent
from chainkeeper.db import unit_of_work
from chainkeeper.monitoring.indicators import service

PROVINCES = nbs_csv(["地区", "2022年4月"], [["江苏省", "-2.5"], ["上海市", "-10.0"]], database="分省月度数据")
JIANGSU = nbs_csv(["地区", "2022年4月"], [["江苏省", "-2.5"]], database="分省月度数据")
NATIONAL = nbs_csv(["指标", "2022年1月", "2022年2月", "2022年3月", "2022年4月"],
                   [["规模以上工业增加值同比增长(%)", "", "7.5", "5", "-2.9"]])


def test_a_province_imports_only_its_own_region(cli, engine, tmp_path):
    build_world(engine)
    both, own, national = tmp_path / "分省.csv", tmp_path / "江苏.csv", tmp_path / "全国.csv"
    both.write_bytes(PROVINCES), own.write_bytes(JIANGSU), national.write_bytes(NATIONAL)
    args = ("monitoring", "indicators", "import")
    refused = cli(*args, str(both), "--indicator", "iva_yoy", "--as", "user_province", "--lang", "en")
    assert refused.exit_code == 1
    assert "分省.csv, row 5, column B (2022年4月): region 31 is outside your region" in refused.output
    assert cli(*args, str(national), "--indicator", "iva_yoy", "--region", "00", "--as", "user_province").exit_code == 1
    assert cli(*args, str(own), "--indicator", "iva_yoy", "--as", "user_province").exit_code == 0
    assert cli(*args, str(both), "--indicator", "iva_yoy", "--as", "user_ministry").exit_code == 0
    assert cli(*args, str(national), "--indicator", "iva_yoy", "--region", "00").exit_code == 0  # the operator
    with unit_of_work(engine) as session:
        assert [(r.region_code, r.value) for r in service.ranking(session=session, indicator="iva_yoy",
                                                                   period="2022-04")] == [("32", -2.5), ("31", -10.0)]
        actors = session.scalars(select(AuditEvent.actor_name).where(AuditEvent.action == "indicator.import")).all()
    assert "user_province" in actors and any(a.startswith("cli:") for a in actors)
    shown = cli("monitoring", "indicators", "series", "--indicator", "iva_yoy")
    assert "2022-01..02  7.5" in shown.output and "2022-04  -2.9" in shown.output


def test_a_shapeless_file_is_refused_in_chinese_by_default(cli, engine, tmp_path):
    path = tmp_path / "x.csv"
    path.write_bytes("甲,乙\n1,2\n".encode("gbk"))
    result = cli("monitoring", "indicators", "import", str(path), "--indicator", "pmi")
    assert result.exit_code == 1 and "未找到月份" in result.output
