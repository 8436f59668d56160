"""The ministry's allocation of a hard lot day, cut short, in a real browser (sprint 7, debt 1): the plan is kept and
the plan page says how far it may be from the best (the MIP gap), at 1440 and 390 px, in zh_CN and en.

Its own server: the demo's 9 February 2020 with 16 more N95 needs, each with a minimum lot (seeded), approved by the
ministry; the ministry's day is solved here, in this process, with the lot search and HiGHS's MIP cut short at a count
(1 LP solve, 1 node: the same stop on any machine), as a day too hard for its time limit would be; the server then
shows the stored plan."""

from __future__ import annotations

import random
from datetime import date

import pytest

pytest.importorskip("playwright")

from browser.conftest import data_dir_settings, live_server, load_demo_into  # noqa: E402
from browser.journey import DESKTOP, PHONE, check_page, open_as  # noqa: E402

from chainkeeper.db import unit_of_work  # noqa: E402
from chainkeeper.docking import lexsolve, lotbranch, needs, plans  # noqa: E402
from chainkeeper.docking.demo import HOSPITALS, _caller  # noqa: E402
from chainkeeper.docking.needs import NeedIn  # noqa: E402

DAY = date(2020, 2, 9)
SIZES = {"1440": DESKTOP, "390": PHONE}
WARNING = {"zh_CN": "求解器在时限处停止", "en": "The solver stopped at its time limit"}


def _lot_needs(session, ministry, seed: int = 0) -> None:
    """16 approved N95 needs with minimum lots in the demo's hospital counties."""
    rng = random.Random(seed)
    counties = [county for _name, county, _class, _daily in HOSPITALS]
    for k in range(16):
        need = needs.post(session=session, caller=ministry, data=NeedIn(
            good_code="med_n95", quantity=rng.randrange(9000, 20000, 100), date_needed=DAY,
            priority=rng.randint(1, 3), county_code=rng.choice(counties), contact_name="李医生",
            contact_phone="13800000000", demander_name=f"示例医院{k}", min_lot=rng.randrange(2000, 9000, 500)))
        needs.review(session=session, caller=ministry, need_id=need.id, approve=True)


@pytest.fixture(scope="module")
def cut_short(chromium_path, tmp_path_factory):
    """(base URL, plan id) of the ministry's N95 day, solved cut short, on its own server."""
    data_dir = tmp_path_factory.mktemp("docking-gap")
    limits = lotbranch.NODE_LIMIT, lexsolve.MIP_NODE_LIMIT
    with data_dir_settings(data_dir):
        engine = load_demo_into(data_dir)
        try:
            lotbranch.NODE_LIMIT, lexsolve.MIP_NODE_LIMIT = 1, 1
            with unit_of_work(engine) as session:
                _lot_needs(session, _caller(session, "ministry"))
            with unit_of_work(engine) as session:
                plan = plans.run(session=session, caller=_caller(session, "ministry"), day=DAY, good_code="med_n95")
                plan_id, summary = plan.id, dict(plan.summary)
        finally:
            lotbranch.NODE_LIMIT, lexsolve.MIP_NODE_LIMIT = limits
            engine.dispose()
    assert summary["status"] == "optimal" and 0 < summary["gap"] < 0.01, summary  # a real stop, a small gap
    with live_server(data_dir) as url:
        yield url, plan_id, summary["gap"]


FEASIBLE = {"zh_CN": "可行方案", "en": "A feasible plan"}


@pytest.mark.parametrize("language", ["zh_CN", "en"])
@pytest.mark.parametrize("width", ["1440", "390"])
def test_the_plan_page_warns_of_the_gap_of_a_day_cut_short(browser, cut_short, screenshot, language, width):
    url, plan_id, gap = cut_short
    context, page, watch = open_as(browser, url, "ministry", language=language, viewport=SIZES[width],
                                   next_path=f"/docking/plans/{plan_id}")
    try:
        check_page(page, watch, language=language)
        warning = page.locator("[data-testid=plan-gap]")
        assert warning.is_visible()
        text = warning.inner_text()
        assert WARNING[language] in text and f"{gap:.2%}" in text, text
        assert page.locator("[data-testid=plan-gap]").count() == 1
        status = page.locator("[data-testid=plan-status]").inner_text()
        assert FEASIBLE[language] in status, status  # before: "最优" / "optimal" beside the warning
        screenshot(page, f"ministry-plan-gap-{width}-{language}")
    finally:
        context.close()
