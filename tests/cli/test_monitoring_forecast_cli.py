"""``chainkeeper monitoring forecast --date``: the hand-worked registry reported through the reporting framework
(see tests/monitoring/forecast/support.py): the OEM stops on day 7, yellow, through its harness and steel makers."""

from __future__ import annotations

from monitoring.forecast.support import forecast_registry, report_hand_worked_state


def test_forecast_command_prints_the_yellow_line(cli, engine):
    ids = forecast_registry(engine)
    report_hand_worked_state(engine, ids)
    zh = cli("monitoring", "forecast", "--date", "2022-04-11")
    assert zh.exit_code == 0, zh.output
    assert "黄色 长春整车有限公司：第 7 天低于 90%，第 7 天低于 50%；3670 昆山线束有限公司 → 上海钢材有限公司" in zh.output
    assert "预测期内共 1 家重点企业低于 90%" in zh.output
    en = cli("monitoring", "forecast", "--date", "2022-04-11", "--lang", "en", "--horizon", "5")
    assert en.exit_code == 0 and "0 key enterprises fall below 90%" in en.output   # nothing within 5 days
    bad = cli("monitoring", "forecast", "--date", "11/04/2022")
    assert bad.exit_code == 2 and "YYYY-MM-DD" in bad.output
