"""The rules on the real indicators: the published 2022 figures the demo ships, and a bureau-shaped file imported
through the indicators' importer (whose hook evaluates the rules on the imported months)."""

import pytest
from coordination.desk_support import build_desk
from monitoring.indicators.indicator_files import nbs_csv
from monitoring.warnings.support import add_rule
from sqlalchemy import select

from chainkeeper.auth.api import login_throttle
from chainkeeper.db import unit_of_work
from chainkeeper.monitoring.indicators.demo import load_indicators_2022
from chainkeeper.monitoring.indicators.importing import import_indicator_file
from chainkeeper.monitoring.warnings.evaluation import evaluate_indicator_rules
from chainkeeper.monitoring.warnings.models import EarlyWarning


@pytest.fixture
def desk(engine):
    login_throttle.reset()
    return build_desk(engine)


def _raised(engine):
    with unit_of_work(engine) as session:
        return sorted((w.indicator, w.region_code, w.period, w.kind, w.level.value, w.value)
                      for w in session.scalars(select(EarlyWarning)))


def test_april_2022_on_the_published_figures(desk):
    load_indicators_2022(desk.engine)
    add_rule(desk, subregions=True)  # value added below 0: red
    add_rule(desk, kind="mom_drop", params={"points": 5}, level="yellow")
    add_rule(desk, kind="robust_z", params={"k": 3.5, "min_history": 8}, level="blue")
    add_rule(desk, indicator="output_vehicles_yoy", params={"threshold": -20})
    report = evaluate_indicator_rules(desk.engine, periods="all")
    assert report.errors == []
    assert _raised(desk.engine) == [
        ("iva_yoy", "", "2022-04", "below", "red", -2.9),  # national: −2.9% in April
        ("iva_yoy", "", "2022-04", "mom_drop", "yellow", -2.9),  # 7.9 points below March's +5.0
        ("iva_yoy", "34", "2022-04", "below", "red", -1.5),  # Anhui, the province the package ships
        ("output_vehicles_yoy", "", "2022-04", "below", "red", -43.5)]
    # ten months are too few for a robust z-score against eight earlier ones until October: said, not warned
    assert any("2022-04" in line for line in report.not_enough_data)
    with unit_of_work(desk.engine) as session:
        vehicles = session.scalars(select(EarlyWarning).where(EarlyWarning.indicator == "output_vehicles_yoy")).one()
        assert (vehicles.subject_kind.value, vehicles.industry_code) == ("indicator", "36")  # 汽车制造业


def test_an_import_raises_the_warnings_of_its_months(desk):
    add_rule(desk, region_code="31", level="red")  # Shanghai's growth below 0
    months = ["2022年3月", "2022年4月"]
    data = nbs_csv(["地区", *months], [["上海市", "-7.5", "-61.5"]], database="分省月度数据",
                   meta=["指标：规模以上工业增加值同比增长(%)"])
    report = import_indicator_file(desk.engine, "分省.csv", data=data, indicator="iva_yoy")
    assert report.ok, report.issues
    assert [row[1:5] for row in _raised(desk.engine)] == [("31", "2022-03", "below", "red"),
                                                          ("31", "2022-04", "below", "red")]
