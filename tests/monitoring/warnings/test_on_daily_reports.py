"""The parts red light on real daily reports (the reporting framework with the daily-scheduling type and its
``inventory`` rows): the Changchun OEM reports 2 days of Kunshan's wiring harnesses."""

from monitoring.scheduling.support import DAY, build_world
from monitoring.warnings.support import add_rule

from chainkeeper.auth.api import login_throttle
from chainkeeper.db import unit_of_work
from chainkeeper.monitoring.warnings.evaluation import evaluate_inventory_rules
from chainkeeper.monitoring.warnings.models import EarlyWarning, LinkKind


def test_the_red_light_from_the_reported_inventory(engine):
    login_throttle.reset()
    desk, _group, _ids = build_world(engine)
    add_rule(desk, indicator="inventory_days", kind="inventory_levels", params={"red": 3, "inputs": ["36"]})
    with unit_of_work(engine) as session:
        report = evaluate_inventory_rules(session, day=DAY, notify=False)
    assert len(report.raised) == 1
    with unit_of_work(engine) as session:
        warning = session.get(EarlyWarning, report.raised[0])
        assert (warning.enterprise_id, warning.input_industry, warning.period, warning.level.value, warning.value) \
            == (desk.ids["changchun"], "3670", DAY.isoformat(), "red", 2.0)
        firms = {link.target_id for link in warning.links if link.target_kind is LinkKind.enterprise}
        assert firms == {desk.ids["changchun"], desk.ids["kunshan"]}
    with unit_of_work(engine) as session:  # the same reports judged again: nothing new
        assert evaluate_inventory_rules(session, day=DAY, notify=False).raised == []
