"""The API and the page (issue 12, monthly indicators): reading for the authorities, importing for the ministry
(everything) and a province (its own region only), targets likewise; every problem named by row and column."""

import pytest
from accounts_fixture import build_world, login
from fastapi.testclient import TestClient
from monitoring.indicators.indicator_files import nbs_csv, vendor_xlsx

from chainkeeper.auth.api import login_throttle
from chainkeeper.monitoring.indicators.demo import load_indicators_2022
from chainkeeper.web.app import create_app

API = "/api/v1/monitoring/indicators"
PROVINCES = nbs_csv(["地区", "2022年4月"], [["江苏省", "-2.5"], ["上海市", "-10.0"]], database="分省月度数据")
JIANGSU = nbs_csv(["地区", "2022年4月"], [["江苏省", "-2.5"]], database="分省月度数据")


@pytest.fixture
def world(engine):
    login_throttle.reset()
    built = build_world(engine)
    load_indicators_2022(engine)
    return built


def client_as(engine, world, role):
    client = TestClient(create_app(engine=engine))
    client.headers["x-csrf-token"] = login(client, world.users[role])
    return client


def upload(client, path, name, data, **form):
    return client.post(path, files={"file": (name, data, "text/csv")}, data=form)


def test_the_api_reads_the_2022_series_and_ranks_with_gaps(engine, world):
    client = client_as(engine, world, "analyst")
    codes = {row["code"]: row["latest_period"] for row in client.get(API).json()}
    assert codes["iva_yoy"] == "2022-11" and codes["pmi"] == "2022-12"
    points = client.get(f"{API}/iva_yoy/series").json()
    assert points[0] == {"period": "2022-02", "value": 7.5, "combined_months": 2}
    ranking = client.get(f"{API}/iva_yoy/ranking", params={"period": "2022-04"}).json()
    assert [(r["region_code"], r["value"], r["gap_to_national"]) for r in ranking] == [("34", -1.5, pytest.approx(1.4))]
    assert client.get(f"{API}/nothing/series").status_code == 404


def test_a_province_imports_its_own_region_only_through_the_api(engine, world):
    jiangsu = client_as(engine, world, "province")
    refused = upload(jiangsu, f"{API}/iva_yoy/import", "分省.csv", PROVINCES)
    assert refused.status_code == 422
    issue = refused.json()["issues"][0]
    assert (issue["file"], issue["row"], issue["column"], issue["code"]) == ("分省.csv", 5, "B (2022年4月)",
                                                                             "outside_region")
    assert "不在您的辖区内" in issue["message"]
    assert upload(jiangsu, f"{API}/iva_yoy/import", "江苏.csv", JIANGSU).json()["created"] == 1
    national = vendor_xlsx("中国:规模以上工业增加值:当月同比", [("2022-12-31", "1.3")])
    assert upload(jiangsu, f"{API}/iva_yoy/import", "wind.xlsx", national).status_code == 422
    ministry = client_as(engine, world, "ministry")
    assert upload(ministry, f"{API}/iva_yoy/import", "分省.csv", PROVINCES).json()["ok"] is True
    assert jiangsu.put(f"{API}/iva_cum_yoy/targets", json={"region_code": "32", "year": 2022, "value": 5.0}).is_success
    assert jiangsu.put(f"{API}/iva_cum_yoy/targets",
                       json={"region_code": "31", "year": 2022, "value": 5.0}).status_code == 403
    ranked = ministry.get(f"{API}/iva_yoy/ranking", params={"period": "2022-04"}).json()
    assert [r["region_code"] for r in ranked] == ["34", "32", "31"]


def test_the_page_shows_the_chart_table_and_ranking_and_a_province_sees_its_own_region(engine, world):
    jiangsu = client_as(engine, world, "province")
    page = jiangsu.get("/monitoring/indicators", params={"indicator": "iva_yoy", "region": "00"})
    assert page.status_code == 200
    text = page.text
    assert 'data-chart="indicator-chart-data"' in text and '"kind": "monthly"' in text
    assert "2022年1—2月" in text and "-2.9" in text and "安徽省" in text  # table, Jan–Feb label, ranking
    own = jiangsu.get("/monitoring/indicators", params={"indicator": "iva_yoy"})
    assert '<option value="32" selected>' in own.text  # a province starts at its own region
    analyst = client_as(engine, world, "analyst").get("/monitoring/indicators")
    assert analyst.status_code == 200 and "indicator-import" not in analyst.text  # reads, may not import


def test_the_page_import_names_every_problem_in_the_readers_language(engine, world):
    jiangsu = client_as(engine, world, "province")
    refused = upload(jiangsu, "/monitoring/indicators/import", "分省.csv", PROVINCES, indicator="iva_yoy")
    assert refused.status_code == 422 and "分省.csv" in refused.text and "B (2022年4月)" in refused.text
    assert "不在您的辖区内" in refused.text and "未写入" in refused.text
    ministry = client_as(engine, world, "ministry")
    done = upload(ministry, "/monitoring/indicators/import", "分省.csv", PROVINCES, indicator="iva_yoy")
    assert done.status_code == 200 and "已导入 2 个数据" in done.text
