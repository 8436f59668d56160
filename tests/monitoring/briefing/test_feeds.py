"""On the demo (daily reports of the key groups in April 2022 and the forecast made from them): the April briefing's
key-groups and forecast sections carry the figures the features' own services give, and the home pages show their
panels."""

from __future__ import annotations

from datetime import date

import pytest
from fastapi.testclient import TestClient
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
    assert content["pending"] == ["Warnings"]  # the warnings feature is not installed yet


def test_the_homes_show_the_forecast_and_key_groups_panels(demo):
    for username in ("ministry", "shanghai"):
        client = TestClient(create_app(engine=demo), follow_redirects=False)
        sign_in(client, username, demo_password(username))
        page = client.get("/").text
        live = page.split('data-testid="home-live"', 1)[1]
        assert 'data-panel="forecast"' in live and 'data-live="forecast-red"' in live, username
    ministry = TestClient(create_app(engine=demo), follow_redirects=False)
    sign_in(ministry, "ministry", demo_password("ministry"))
    assert 'data-panel="key-groups"' in ministry.get("/").text
