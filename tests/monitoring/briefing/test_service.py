"""Generating the monthly briefing: the desk's figures of the month by region and category, resumption, versions,
and who may generate and read which region's briefing."""

from __future__ import annotations

import pytest
from monitoring.briefing.support import desk  # noqa: F401 - the module's world

from chainkeeper.db import unit_of_work
from chainkeeper.errors import NotFound, ValidationFailed, Forbidden
from chainkeeper.monitoring.briefing import service
from chainkeeper.monitoring.briefing.content import localise


def _section(content: dict, key: str) -> dict:
    return next(part for part in content["sections"] if part["key"] == key)


def _figures(part: dict) -> dict:
    return {item["label"]: item["value"] for item in part["figures"]}


def test_the_national_april_briefing_counts_the_months_cases(desk):
    with unit_of_work(desk.engine) as session:
        briefing = service.generate(session=session, caller=desk.caller("ministry"), month="2022-04",
                                    region_code="00")
        content = briefing.content
    part = _section(content, "desk")
    figures = _figures(part)
    assert figures["Cases opened"] == 2 and figures["Cases that became overdue"] == 1
    assert figures["Cases open at the month's end"] == 3  # March's is still open too
    by_region = {row[0]: row[1:] for row in part["tables"][0]["rows"]}
    assert by_region["江苏省"][0] == 1 and by_region["浙江省"][0] == 1  # blocking parties in Kunshan and Ningbo
    categories = {row[0]: row[1] for row in part["tables"][1]["rows"]}
    assert categories == {"supplier restart / parts supply": 1, "logistics and transport": 1}
    zh = localise(content, "zh_CN")
    assert "通报" in zh["title"] or "2022-04" in zh["title"]
    assert briefing.pdf.startswith(b"%PDF") and briefing.xlsx.startswith(b"PK")


def test_regenerating_keeps_every_version(desk):
    with unit_of_work(desk.engine) as session:
        one = service.generate(session=session, caller=desk.caller("jiangsu"), month="2022-04", region_code="32")
        two = service.generate(session=session, caller=desk.caller("ministry"), month="2022-04", region_code="32")
        assert (one.version, two.version) == (1, 2)
        listed = service.list_briefings(session=session, principal=desk.caller("jiangsu").principal)
        assert [b.version for b in listed] == [2, 1]


def test_a_province_generates_and_reads_only_its_own(desk):
    with unit_of_work(desk.engine) as session:
        with pytest.raises(Forbidden):
            service.generate(session=session, caller=desk.caller("jiangsu"), month="2022-04", region_code="22")
        jilin = service.generate(session=session, caller=desk.caller("jilin"), month="2022-04", region_code="22")
        with pytest.raises(NotFound):
            service.get_briefing(session=session, principal=desk.caller("jiangsu").principal, briefing_id=jilin.id)
        seen = service.list_briefings(session=session, principal=desk.caller("jiangsu").principal)
        assert jilin.id not in {b.id for b in seen} and {b.region_code for b in seen} <= {"32"}
        assert service.list_briefings(session=session, principal=desk.caller("suzhou").principal) == []
        assert service.get_briefing(session=session, principal=desk.caller("analyst").principal,
                                    briefing_id=jilin.id).id == jilin.id


@pytest.mark.parametrize("month", ["2022-4", "2022-13", "april", "", "2999-01"])
def test_a_bad_month_is_refused_naming_the_field(desk, month):
    with unit_of_work(desk.engine) as session, pytest.raises(ValidationFailed) as refused:
        service.generate(session=session, caller=desk.caller("ministry"), month=month, region_code="00")
    assert refused.value.details[0]["field"] == "month"


def test_a_city_code_is_not_a_briefing_region(desk):
    with unit_of_work(desk.engine) as session, pytest.raises(ValidationFailed) as refused:
        service.generate(session=session, caller=desk.caller("ministry"), month="2022-04", region_code="3205")
    assert refused.value.details[0]["field"] == "region_code"


def test_the_april_briefing_shows_the_published_fall_of_value_added(desk):
    from chainkeeper.monitoring.indicators.demo import load_indicators_2022

    load_indicators_2022(desk.engine)
    with unit_of_work(desk.engine) as session:
        content = service.generate(session=session, caller=desk.caller("ministry"), month="2022-04",
                                   region_code="00").content
        anhui = service.generate(session=session, caller=desk.caller("ministry"), month="2022-04",
                                 region_code="34").content
    part = _section(content, "indicators")
    assert _figures(part)["Industrial value added, year on year"] == -2.9  # NBS, April 2022
    assert _figures(part)["Industrial value added, cumulative year on year"] == 4.0
    year = next(chart for chart in part["charts"] if chart["key"] == "iva_year")
    assert year["categories"] == ["2022-01/02", "2022-03", "2022-04"] and year["series"][0]["data"] == [7.5, 5.0, -2.9]
    assert "Monthly indicators and rankings" not in content["pending"]
    ranking = _section(anhui, "indicators")["tables"][1]["rows"]
    assert ranking == [["安徽省", 1, -1.5, 1.4]]  # 1.4 points above the national −2.9
    en = localise(anhui, "en")
    month_rows = _section(en, "indicators")["tables"][0]["rows"]
    assert ["Value added of industry above designated size, YoY", -1.5, -2.9, "%"] in month_rows
