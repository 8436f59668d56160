"""The shipped 2022 figures: what the issue quotes, the sources of every row, and a GBK export built from them that
imports back to the same series (the bureau's file shape: header lines, Jan missing, Jan–Feb together, footer)."""

import csv
from importlib import resources

import pytest
from monitoring.indicators.indicator_files import nbs_csv

from chainkeeper.db import unit_of_work
from chainkeeper.monitoring.indicators import service
from chainkeeper.monitoring.indicators.compute import rank
from chainkeeper.monitoring.indicators.demo import load_indicators_2022, published_2022
from chainkeeper.monitoring.indicators.importing import import_indicator_file

DATA = resources.files("chainkeeper.monitoring.indicators").joinpath("data")


def test_the_issues_figures_are_shipped_and_every_row_names_a_known_source():
    figures = {o.period: o.value for o in published_2022()["iva_yoy"] if o.region_code == "00"}
    assert [figures[p] for p in ("2022-02", "2022-03", "2022-04", "2022-05", "2022-06")] == [7.5, 5.0, -2.9, 0.7, 3.9]
    assert "2022-01" not in figures and "2022-12" not in figures  # January is never published; December unverified
    cumulative = {o.period: o.value for o in published_2022()["iva_cum_yoy"]}
    assert cumulative["2022-12"] == 3.6
    sources = {row["source"] for row in csv.DictReader(DATA.joinpath("sources.csv").read_text("utf-8").splitlines())}
    rows = list(csv.DictReader(DATA.joinpath("indicators_2022.csv").read_text("utf-8").splitlines()))
    assert rows and {row["source"] for row in rows} <= sources
    provenance = DATA.joinpath("PROVENANCE.md").read_text("utf-8")
    assert "Not verified" in provenance and "gross output" in provenance


def test_april_2022_was_the_trough_of_the_year():
    monthly = {o.period: o.value for o in published_2022()["iva_yoy"] if o.region_code == "00"}
    assert rank(monthly, descending=False)[0].key == "2022-04"
    pmi = {o.period: o.value for o in published_2022()["pmi"]}
    assert len(pmi) == 12 and min(pmi, key=pmi.get) == "2022-12" and pmi["2022-04"] == 47.4


def test_a_gbk_export_of_the_published_series_imports_back_to_the_same_series(engine):
    published = [o for o in published_2022()["iva_yoy"] if o.region_code == "00"]
    months = [f"2022年{m}月" for m in range(1, 12)]
    values = {o.period: o.value for o in published}
    row = ["规模以上工业增加值同比增长(%)"] + [str(values.get(f"2022-{m:02d}", "")) for m in range(1, 12)]
    report = import_indicator_file(engine, "A0101_月度数据.csv", data=nbs_csv(["指标", *months], [row]),
                                   indicator="iva_yoy", region="全国")
    assert report.ok, report.issues
    with unit_of_work(engine) as session:
        got = service.series(session=session, indicator="iva_yoy")
    assert [(p.period, p.value, p.combined_months) for p in got] == [
        (o.period, o.value, o.combined_months) for o in published]


def test_the_demo_step_loads_the_figures(engine):
    counts = load_indicators_2022(engine)
    assert counts["indicator figures"] == sum(len(v) for v in published_2022().values())
    with unit_of_work(engine) as session:
        assert service.latest_period(session=session, indicator="pmi") == "2022-12"
        assert service.series(session=session, indicator="iva_cum_yoy")[-1].value == pytest.approx(3.6)
        shanghai = service.ranking(session=session, indicator="gio_yoy", period="2022-04")
        assert [(r.region_code, r.value) for r in shanghai] == [("31", -61.5)]
