"""Daily scheduling on a real database: the type, choosing members by rule, the picture in each caller's scope,
a problem becoming a desk case."""

import json
from importlib import resources

import pytest
from monitoring.scheduling.support import DAY, build_world

from chainkeeper.coordination.models import Case, CaseCategory
from chainkeeper.db import unit_of_work
from chainkeeper.errors import Conflict, Forbidden, NotFound, ValidationFailed
from chainkeeper.monitoring.scheduling import cases, groups, service
from chainkeeper.reporting import service as reporting

FIELD_KEYS = ["output_units", "output_value", "capacity_utilisation", "staff_on_site", "staff_normal", "inventory",
              "logistics", "problem"]


@pytest.fixture
def world(engine):
    return build_world(engine)


def test_the_type_is_the_shipped_data_and_defined_once(engine):
    shipped = json.loads((resources.files("chainkeeper.monitoring.scheduling") / "daily_scheduling.json")
                         .read_text("utf-8"))
    assert [f["key"] for f in shipped["fields"]] == FIELD_KEYS
    inventory = next(f for f in shipped["fields"] if f["key"] == "inventory")
    assert [c["key"] for c in inventory["columns"]] == ["input_industry", "supplier_uscc", "part", "days"]
    with unit_of_work(engine) as session:
        first = service.ensure_daily_type(session)
        again = service.ensure_daily_type(session)
        assert first.id == again.id and again.version == 1
        assert [f["key"] for f in again.fields] == FIELD_KEYS


def test_rules_choose_inside_the_group_region_and_assign_the_report(world, engine):
    desk, _group, _ids = world
    jiangsu = desk.caller("jiangsu")
    with unit_of_work(engine) as session:
        group = groups.create_group(session=session, caller=jiangsu, name="江苏重点企业")
        assert group.region_code == "32"
        picked = " ".join(desk.usccs[key] for key in ("kunshan", "changchun", "wuxi"))  # Changchun is in Jilin
        added = service.choose_members(session=session, caller=jiangsu, group_id=group.id, rule="picked",
                                       value=picked, day=DAY)
        assert sorted(m.enterprise_id for m in added) == sorted([desk.ids["kunshan"], desk.ids["wuxi"]])
        by_chain = groups.candidates(session=session, principal=jiangsu.principal, group=group, rule="chain",
                                     value="auto", day=DAY)
        assert [e.id for e in by_chain] == [desk.ids["kunshan"]]
        assert groups.candidates(session=session, principal=jiangsu.principal, group=group, rule="leading",
                                 day=DAY) == []  # the leading OEM lies in Jilin
        report_type = service.ensure_daily_type(session)
        assert reporting.is_assigned(session, report_type, desk.ids["wuxi"], DAY)
        with pytest.raises(ValidationFailed):
            groups.rule_clause(session, "chain", "no-such-chain", DAY)


def test_an_authority_changes_only_its_region_groups(world, engine):
    desk, group_id, _ids = world
    with unit_of_work(engine) as session:
        with pytest.raises(Forbidden):
            groups.create_group(session=session, caller=desk.caller("jiangsu"), name="越界", region_code="33")
        with pytest.raises(Forbidden):  # the national group is the ministry's
            groups.add_members(session=session, caller=desk.caller("jiangsu"), group_id=group_id, enterprises=[])
        with pytest.raises(NotFound):
            groups.get_group(session=session, principal=desk.caller("oem").principal, group_id=group_id)


def test_the_picture_in_each_callers_scope(world, engine):
    desk, group_id, _ids = world
    with unit_of_work(engine) as session:
        national = service.picture(session=session, caller=desk.caller("ministry"), day=DAY)
        f = national.figures
        assert (f.members, f.reported, f.resumed) == (3, 3, 2)
        assert f.attainment_rate == pytest.approx(140 / 300)
        assert f.staff_return_rate == pytest.approx(210 / 300)
        assert [p.key for p in national.by_region] == ["22", "32", "33"]
        assert national.series[group_id][-1] == pytest.approx(140 / 3)
        jiangsu = service.picture(session=session, caller=desk.caller("jiangsu"), day=DAY)
        assert [row.enterprise_id for row in jiangsu.rows] == [desk.ids["kunshan"]]
        assert jiangsu.figures.resumption_rate == 0
        outside = service.picture(session=session, caller=desk.caller("jiangsu"), day=DAY, region_code="22")
        assert outside.figures.members == 0
        assert service.picture(session=session, caller=desk.caller("oem"), day=DAY).rows == []
        panel = service.home_panel(session=session, caller=desk.caller("ministry"), day=DAY)
        assert panel["figures"]["members"] == 3 and panel["groups"][0]["name"] == "重点汽车集团"
        assert panel["problems"] == 1 and panel["day"] == DAY.isoformat()


def test_a_problem_becomes_one_desk_case_linked_to_its_report(world, engine):
    desk, _group, ids = world
    with unit_of_work(engine) as session:
        proposal = cases.proposal(session=session, caller=desk.caller("supplier"), report_id=ids["kunshan"])
        assert proposal.category is CaseCategory.staff_return and proposal.title == "员工无法返岗，线束停产"
        case = cases.open_case(session=session, caller=desk.caller("supplier"), report_id=ids["kunshan"])
        assert case.requester_id == desk.ids["kunshan"]
        assert f"/monitoring/scheduling/reports/{ids['kunshan']}" in case.blocked
        assert cases.case_of(session, ids["kunshan"]) == case.id
        with pytest.raises(Conflict):
            cases.open_case(session=session, caller=desk.caller("kunshan"), report_id=ids["kunshan"])
    with unit_of_work(engine) as session:
        with pytest.raises(NotFound):  # Zhejiang does not see a Kunshan report
            cases.open_case(session=session, caller=desk.caller("zhejiang"), report_id=ids["kunshan"])
        with pytest.raises(ValidationFailed):  # Ningbo's report names no problem
            cases.proposal(session=session, caller=desk.caller("ministry"), report_id=ids["ningbo"])


def _proposal_for_the_oems_problem(session, desk, ids, problem: str):
    """The OEM's report now names ``problem``; Jilin's proposal of a desk case for it."""
    found = reporting.get_report(session=session, caller=desk.caller("oem"), report_id=ids["changchun"])
    found.values = found.values | {"problem": problem}
    session.flush()
    return cases.proposal(session=session, caller=desk.caller("jilin"), report_id=ids["changchun"])


def test_the_oems_problem_names_the_supplier_that_runs_out(world, engine):
    desk, _group, ids = world
    with unit_of_work(engine) as session:
        proposal = _proposal_for_the_oems_problem(session, desk, ids, "昆山线束供应商停产，库存仅剩两天")
        assert proposal.blocking_uscc == desk.usccs["kunshan"]
        assert proposal.category is CaseCategory.parts_supply and proposal.urgency.value == "critical"
        case = cases.open_case(session=session, caller=desk.caller("jilin"), report_id=ids["changchun"])
        assert session.get(Case, case.id).blocking_enterprise_id == desk.ids["kunshan"]


def test_a_staff_problem_is_blocked_at_home_not_by_a_supplier(world, engine):
    desk, _group, ids = world
    with unit_of_work(engine) as session:
        proposal = _proposal_for_the_oems_problem(session, desk, ids, "园区封控，员工无法返岗")
        assert proposal.category is CaseCategory.staff_return and proposal.blocking_uscc is None
        assert proposal.blocking_region_code == "220104" and "长春整车有限公司" in proposal.blocking_name


def test_the_series_start_on_the_first_day_with_reports(world, engine):
    desk, group_id, _ids = world
    with unit_of_work(engine) as session:
        view = service.picture(session=session, caller=desk.caller("ministry"), day=DAY)
        assert view.days == [DAY] and view.series[group_id] == [pytest.approx(140 / 3)]
