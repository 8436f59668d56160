"""On the demo (daily reports of the key groups in April 2022, the forecast made from them and the warnings raised
for the month): the April briefing's key-groups, forecast and warnings sections carry the figures the features' own
services give, in the page, the PDF and the annex, and the home pages show their panels."""

from __future__ import annotations

import io
import shutil
import subprocess
from datetime import date

import pytest
from fastapi.testclient import TestClient
from monitoring.briefing.support import desk  # noqa: F401 - the desk's world on each backend
from openpyxl import load_workbook
from web.pages.page_support import sign_in

from chainkeeper.audit.actor import Actor
from chainkeeper.auth.api import login_throttle
from chainkeeper.auth.demo import demo_password
from chainkeeper.config import get_settings
from chainkeeper.core.caller import Caller
from chainkeeper.db import unit_of_work
from chainkeeper.demo.service import load_demo
from chainkeeper.monitoring.briefing import service
from chainkeeper.monitoring.briefing.feeds import READER
from chainkeeper.monitoring.forecast import service as forecast
from chainkeeper.monitoring.scheduling import service as scheduling
from chainkeeper.monitoring.warnings import service as warnings
from chainkeeper.web.app import create_app


@pytest.fixture(scope="module")
def demo(migrated_engines, tmp_path_factory):
    from conftest import clear_data

    engine = migrated_engines("sqlite")
    clear_data(engine)
    previous = get_settings().data_dir
    import os
    os.environ["CHAINKEEPER_DATA_DIR"] = str(tmp_path_factory.mktemp("demo"))
    get_settings.cache_clear()
    load_demo(engine, n_firms=300, seed=7)
    login_throttle.reset()
    yield engine
    os.environ["CHAINKEEPER_DATA_DIR"] = str(previous)
    get_settings.cache_clear()
    clear_data(engine)


def _section(content: dict, key: str) -> dict:
    return next(part for part in content["sections"] if part["key"] == key)


def test_the_april_briefing_carries_the_key_groups_and_the_forecast(demo):
    with unit_of_work(demo) as session:
        content = service.latest(session=session, month="2022-04", region_code="00").content
        day = scheduling.latest_day(session=session, principal=READER, up_to=date(2022, 4, 30))
        view = scheduling.picture(session=session, caller=Caller(READER, Actor(None, "test")), day=day)
        run = forecast.latest_run(session=session)
        lines = forecast.list_lines(session=session, principal=READER, run_id=run.id)
    groups = {item["label"]: item["value"] for item in _section(content, "key_groups")["figures"]}
    assert groups["Output index (pre-shock baseline = 100)"] == round(view.figures.output_index, 1)
    assert groups["Reporting enterprises"] == view.figures.reported > 0
    predicted = {item["label"]: item["value"] for item in _section(content, "forecast")["figures"]}
    assert predicted["Red: stop within 3 days"] == forecast.level_counts(lines)["red"]
    assert predicted["Key enterprises below 90% of normal output within the horizon"] == len(lines) > 0
    assert content["pending"] == []  # every feature is installed


def test_the_homes_show_the_forecast_and_key_groups_panels(demo):
    for username in ("ministry", "shanghai"):
        client = TestClient(create_app(engine=demo), follow_redirects=False)
        sign_in(client, username, demo_password(username))
        page = client.get("/").text
        live = page.split('data-testid="home-live"', 1)[1]
        assert 'data-panel="forecast"' in live and 'data-live="forecast-red"' in live, username
    ministry = TestClient(create_app(engine=demo), follow_redirects=False)
    sign_in(ministry, "ministry", demo_password("ministry"))
    assert 'data-panel="key-groups"' in ministry.get("/").text  # the warnings panel: tests/home/test_home.py


def _month_warnings(session, region: str | None) -> list:
    where = warnings.WarningFilter(period="2022-04", region=region)
    return warnings.list_warnings(session=session, principal=READER, where=where, limit=100_000)


def test_the_april_briefing_lists_the_month_s_warnings_by_level(demo):
    with unit_of_work(demo) as session:
        content = service.latest(session=session, month="2022-04", region_code="00").content
        raised = _month_warnings(session, None)
    part = _section(content, "warnings")
    found = {item["label"]: item["value"] for item in part["figures"]}
    assert found["Warnings raised"] == len(raised) > 0
    for level, label in (("red", "Red"), ("yellow", "Yellow"), ("blue", "Blue")):
        assert found[label] == sum(1 for w in raised if w.level.value == level), level
    assert found["Red"] > 0
    rows = part["tables"][0]["rows"]
    assert len(rows) == min(len(raised), 30)
    assert rows[0][1] == {"zh_CN": "红色", "en": "Red"}  # most severe first
    assert {row[3]["en"] for row in rows} <= {"Acknowledged", "Not yet"}


def test_the_shanghai_briefing_shows_only_shanghai_s_warnings(demo):
    with unit_of_work(demo) as session:
        content = service.latest(session=session, month="2022-04", region_code="31").content
        shanghai = _month_warnings(session, "31")
        jiangsu = _month_warnings(session, "32")
    assert shanghai and jiangsu and all(w.region_code.startswith("31") for w in shanghai)
    part = _section(content, "warnings")
    assert {item["label"]: item["value"] for item in part["figures"]}["Warnings raised"] == len(shanghai)
    subjects = {str(row[0]) for row in part["tables"][0]["rows"]}
    assert subjects and all("上海" in subject for subject in subjects), subjects
    assert not any("江苏" in subject for subject in subjects)


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_the_warnings_are_in_the_pdf_and_the_annex(demo, tmp_path):
    with unit_of_work(demo) as session:
        briefing = service.latest(session=session, month="2022-04", region_code="31")
        pdf, xlsx = briefing.pdf, briefing.xlsx
        shanghai = _month_warnings(session, "31")
    (tmp_path / "b.pdf").write_bytes(pdf)
    text = subprocess.run(["pdftotext", "-layout", str(tmp_path / "b.pdf"), "-"], check=True, capture_output=True,
                          text=True, timeout=60).stdout
    assert "预警" in text and "发出的预警" in text and "本月预警（最严重的在前）" in text
    first = shanghai[0].explanation["subject"]
    assert first in text.replace("\n", " ") or first.split(" · ")[0] in text
    book = load_workbook(io.BytesIO(xlsx), read_only=True)
    assert "预警" in book.sheetnames, book.sheetnames
    cells = [value for row in book["预警"].iter_rows(values_only=True) for value in row]
    assert "发出的预警" in cells and len(shanghai) in cells and first in cells and "红色" in cells


def test_the_briefing_page_shows_the_warnings_section(demo):
    with unit_of_work(demo) as session:
        briefing = service.latest(session=session, month="2022-04", region_code="31")
        first = _month_warnings(session, "31")[0].explanation["subject"]
    client = TestClient(create_app(engine=demo), follow_redirects=False)
    sign_in(client, "shanghai", demo_password("shanghai"))
    page = client.get(f"/monitoring/briefings/{briefing.id}").text
    part = page.split('data-section="warnings"', 1)[1].split("</section>", 1)[0]
    assert "发出的预警" in part and first in part


def _warning(region_code: str, label: str, level: str, period: str, value: float):
    from chainkeeper.monitoring.warnings.models import EarlyWarning, Level, SubjectKind

    return EarlyWarning(kind="below", subject_kind=SubjectKind.region, subject_key=f"region:{region_code}|iva_yoy|",
                        region_code=region_code, indicator="iva_yoy", period=period, level=Level(level), value=value,
                        explanation={"subject": label})


def test_a_province_s_briefing_keeps_to_its_own_warnings_on_each_backend(desk):  # noqa: F811 - the fixture
    with unit_of_work(desk.engine) as session:
        session.add_all([_warning("320583", "昆山市 · iva_yoy", "red", "2022-04", -40.0),
                         _warning("32", "江苏省 · iva_yoy", "yellow", "2022-04", -1.7),
                         _warning("32", "江苏省 · iva_yoy · 36", "blue", "2022-03", 7.4),  # another month
                         _warning("22", "吉林省 · iva_yoy", "red", "2022-04", -37.0),
                         _warning("", "iva_yoy", "yellow", "2022-04", -2.9)])
    with unit_of_work(desk.engine) as session:
        jiangsu = service.generate(session=session, caller=desk.caller("ministry"), month="2022-04",
                                   region_code="32").content
        national = service.generate(session=session, caller=desk.caller("ministry"), month="2022-04",
                                    region_code="00").content
    part = _section(jiangsu, "warnings")
    figures = {item["label"]: item["value"] for item in part["figures"]}
    assert (figures["Warnings raised"], figures["Red"], figures["Yellow"], figures["Blue"]) == (2, 1, 1, 0)
    assert [row[0] for row in part["tables"][0]["rows"]] == ["昆山市 · iva_yoy", "江苏省 · iva_yoy"]
    everything = {item["label"]: item["value"] for item in _section(national, "warnings")["figures"]}
    assert (everything["Warnings raised"], everything["Red"], everything["Yellow"]) == (4, 2, 2)
    rows = _section(national, "warnings")["tables"][0]["rows"]
    assert any(row[0] == {"zh_CN": "全国 · iva_yoy", "en": "National · iva_yoy"} for row in rows), rows
