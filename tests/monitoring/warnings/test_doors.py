"""Every early-warning door (API and pages) in and out of the caller's region, with real users and sessions."""

import pytest
from coordination.desk_support import build_desk
from monitoring.warnings.support import add_rule, source
from reporting.web_support import client_for

from chainkeeper.auth.api import login_throttle
from chainkeeper.db import unit_of_work
from chainkeeper.monitoring.warnings.evaluation import evaluate_indicator_rules
from chainkeeper.monitoring.warnings.models import EarlyWarning, WarningRule


@pytest.fixture
def world(engine):
    """Warnings for April 2022: national, Shanghai (31), Jiangsu (32); a ministry rule and a Jiangsu rule."""
    login_throttle.reset()
    desk = build_desk(engine)
    national_rule = add_rule(desk, subregions=True)
    jiangsu_rule = add_rule(desk, "jiangsu", region_code="32", kind="mom_drop", params={"points": 5}, level="yellow")
    evaluate_indicator_rules(engine, periods=["2022-04"], source=source, notify=False)
    with unit_of_work(engine) as session:
        ids = {w.region_code + ":" + w.kind: w.id for w in session.query(EarlyWarning)}
    return desk, ids, {"national": national_rule, "jiangsu": jiangsu_rule}


def test_reading_doors_keep_to_the_region(world):
    desk, ids, _rules = world
    jiangsu, zhejiang, analyst = (client_for(desk, name) for name in ("jiangsu", "zhejiang", "analyst"))
    seen = {w["region_code"] for w in jiangsu.get("/api/v1/warnings").json()}
    assert seen == {"", "32"}
    assert {w["region_code"] for w in analyst.get("/api/v1/warnings").json()} == {"", "31", "32"}
    assert jiangsu.get(f"/api/v1/warnings/{ids['31:below']}").status_code == 404
    assert zhejiang.get(f"/api/v1/warnings/{ids['32:below']}").status_code == 404
    body = jiangsu.get(f"/api/v1/warnings/{ids['32:below']}").json()
    assert body["level"] == "red" and body["explanation"]["series"][2] == ["2022-04", -1.7]
    assert jiangsu.get(f"/monitoring/warnings/{ids['31:below']}").status_code == 404
    page = jiangsu.get(f"/monitoring/warnings/{ids['32:below']}")
    assert page.status_code == 200 and 'data-warning-chart="warning-chart-data"' in page.text
    assert jiangsu.get(f"/monitoring/warnings/{ids['31:below']}/impact").status_code == 404
    listing = jiangsu.get("/monitoring/warnings?level=red")
    assert listing.status_code == 200 and listing.text.count('data-level="red"') == 2
    assert f"/monitoring/warnings/{ids['31:below']}" not in listing.text
    rules = {r["region_code"] for r in jiangsu.get("/api/v1/warning-rules").json()}
    assert rules == {"", "32"}
    assert zhejiang.get(f"/monitoring/warnings/rules/{_rules['jiangsu']}").status_code == 404


def test_acknowledging_doors(world):
    desk, ids, _rules = world
    zhejiang, analyst, jiangsu = (client_for(desk, name) for name in ("zhejiang", "analyst", "jiangsu"))
    assert zhejiang.post(f"/api/v1/warnings/{ids['32:below']}/acknowledge", json={"note": "x"}).status_code == 404
    assert analyst.post(f"/api/v1/warnings/{ids['32:below']}/acknowledge", json={"note": "x"}).status_code == 403
    assert jiangsu.post(f"/api/v1/warnings/{ids[':below']}/acknowledge", json={"note": "x"}).status_code == 403
    refused = zhejiang.post(f"/monitoring/warnings/{ids['32:below']}/acknowledge", data={"note": "x"})
    assert refused.status_code == 303 and "error=" in refused.headers["location"]
    done = jiangsu.post(f"/monitoring/warnings/{ids['32:below']}/acknowledge", data={"note": "已部署应对"})
    assert done.status_code == 303 and "error" not in done.headers["location"]
    again = jiangsu.post(f"/api/v1/warnings/{ids['32:below']}/acknowledge", json={"note": ""})
    assert again.status_code == 409
    with unit_of_work(desk.engine) as session:
        warning = session.get(EarlyWarning, ids["32:below"])
        assert (warning.acknowledged_by_name, warning.note) == ("jiangsu", "已部署应对")


def test_rule_doors(world):
    desk, _ids, rules = world
    jiangsu, ministry = client_for(desk, "jiangsu"), client_for(desk, "ministry")
    rule = {"indicator": "iva_yoy", "kind": "below", "params": {"threshold": 2}, "level": "yellow"}
    assert jiangsu.post("/api/v1/warning-rules", json=rule | {"region_code": "31"}).status_code == 403
    assert jiangsu.post("/api/v1/warning-rules", json=rule).status_code == 403  # national: the ministry's
    made = jiangsu.post("/api/v1/warning-rules", json=rule | {"region_code": "32"})
    assert made.status_code == 201 and made.json()["created_by"] == desk.user_ids["jiangsu"]
    bad = jiangsu.post("/api/v1/warning-rules", json=rule | {"region_code": "32", "params": {"threshold": "x"}})
    assert bad.status_code == 422 and "params.threshold" in bad.text
    assert jiangsu.put(f"/api/v1/warning-rules/{rules['national']}", json=rule).status_code == 403
    assert ministry.put(f"/api/v1/warning-rules/{rules['jiangsu']}", json=rule | {"region_code": "32"}).status_code \
        == 200
    form = {"indicator": "iva_yoy", "kind": "below", "p_below_threshold": "1", "level": "red", "region": "上海市",
            "active": "1"}
    page = jiangsu.post("/monitoring/warnings/rules", data=form)
    assert page.status_code == 422 and 'data-testid="rule-error"' in page.text
    page = jiangsu.post("/monitoring/warnings/rules", data=form | {"region": "江苏省"})
    assert page.status_code == 303
    with unit_of_work(desk.engine) as session:
        # the API's, the page's, and Jiangsu's own rule that the ministry turned into a "below" rule
        assert session.query(WarningRule).filter_by(region_code="32", kind="below").count() == 3
    edited = jiangsu.post(f"/monitoring/warnings/rules/{rules['jiangsu']}",
                          data=form | {"region": "32", "kind": "mom_drop", "p_mom_drop_points": "3"})
    assert edited.status_code == 303
    with unit_of_work(desk.engine) as session:
        assert session.get(WarningRule, rules["jiangsu"]).params == {"points": 3.0}


def test_a_warning_with_links_is_listed_and_read_with_them(world):
    """A warning that links to an enterprise and a case (as the forecast's and the desk's warnings do) was a 500
    on the API list and detail: its links were validated as dicts straight from the ORM objects."""
    from chainkeeper.monitoring.warnings.models import LinkKind, WarningLink

    desk, ids, _rules = world
    with unit_of_work(desk.engine) as session:
        session.add_all([WarningLink(warning_id=ids["32:below"], target_kind=LinkKind.enterprise, target_id=7),
                         WarningLink(warning_id=ids["32:below"], target_kind=LinkKind.case, target_id=3)])
    jiangsu = client_for(desk, "jiangsu")
    listed = jiangsu.get("/api/v1/warnings")
    assert listed.status_code == 200, listed.text
    linked = next(w for w in listed.json() if w["id"] == ids["32:below"])
    assert sorted(linked["links"], key=lambda link: link["kind"]) == [
        {"kind": "case", "id": 3}, {"kind": "enterprise", "id": 7}]
    one = jiangsu.get(f"/api/v1/warnings/{ids['32:below']}")
    assert one.status_code == 200 and sorted(one.json()["links"], key=lambda link: link["kind"]) == [
        {"kind": "case", "id": 3}, {"kind": "enterprise", "id": 7}]


def test_the_warnings_list_reads_every_warning_s_links_in_one_statement(world):
    """The list read each warning's links with a statement of its own (81 warnings in the demo: 82 statements); now
    the warnings and all their links in two, whatever their number, and each warning keeps its own links in order."""
    from sqlalchemy import event

    from chainkeeper.monitoring.warnings.models import LinkKind, WarningLink

    desk, ids, _rules = world
    with unit_of_work(desk.engine) as session:
        session.add_all([WarningLink(warning_id=ids["32:below"], target_kind=LinkKind.enterprise, target_id=9),
                         WarningLink(warning_id=ids["32:below"], target_kind=LinkKind.case, target_id=3),
                         WarningLink(warning_id=ids["31:below"], target_kind=LinkKind.enterprise, target_id=4)])
    ministry = client_for(desk, "ministry")
    ministry.get("/api/v1/me")  # the principal is cached (not the list: a repeated list is a kept answer)
    sent = []
    listener = lambda conn, cursor, statement, *args: sent.append(statement)  # noqa: E731
    event.listen(desk.engine, "before_cursor_execute", listener)
    try:
        listed = ministry.get("/api/v1/warnings")
    finally:
        event.remove(desk.engine, "before_cursor_execute", listener)
    assert listed.status_code == 200, listed.text
    assert len(listed.json()) >= 3
    assert len([s for s in sent if s.lstrip().upper().startswith("SELECT")]) == 2, sent
    links = {w["id"]: w["links"] for w in listed.json()}
    assert links[ids["32:below"]] == [{"kind": "enterprise", "id": 9}, {"kind": "case", "id": 3}]
    assert links[ids["31:below"]] == [{"kind": "enterprise", "id": 4}]
    assert all(links[i] == [] for i in links if i not in (ids["32:below"], ids["31:below"]))


def test_english_labels_opening_a_cell_or_a_line_start_with_a_capital(world):
    """The walk saw 'growth below a threshold', 'threshold (percent) 0.0', 'yes', 'active' open table cells, labels
    and legends in English: labels written for mid-sentence now start upper case where they open a line."""
    desk, ids, _rules = world
    jiangsu = client_for(desk, "jiangsu")
    jiangsu.cookies.set("ck_lang", "en")
    listing = jiangsu.get("/monitoring/warnings").text
    rules = jiangsu.get("/monitoring/warnings/rules").text
    detail = jiangsu.get(f"/monitoring/warnings/{ids['32:below']}").text
    assert '<td data-label="Rule kind">Growth below a threshold</td>' in listing and ">Drop month on month</option>" in listing
    assert "<td>Drop month on month</td>" in rules and "<td>Yes</td>" in rules and "> Active</label>" in rules
    assert "<legend>Growth below a threshold</legend>" in rules and ">Threshold (percent)<input" in rules
    assert "<dd>Growth below a threshold</dd>" in detail and "<dt>Threshold</dt>" in detail
    for page in (listing, rules, detail):
        assert ">growth below a threshold<" not in page and ">threshold (percent)" not in page
