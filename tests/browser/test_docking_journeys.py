"""Supply–demand docking in a real browser (issue 13, lane dockflow), on the demo's February 2020 week: a mask
producer reports its day on a phone, a Wuhan hospital posts a need, Hubei's coordinator reviews needs, proposes the
day's allocation, fixes a line by hand (the rest re-optimised), publishes and reads the daily report; the producer
confirms a shipment and the hospital the receipt. Every page through ``check_page`` at 1440 and 390 px, zh_CN and en.

The coordinator's journey runs first (file order): it publishes Hubei's 9 February allocation of N95 masks (zh) and of
protective suits (en) that the producer's and the hospital's journeys then confirm."""

from __future__ import annotations

import httpx
import pytest

pytest.importorskip("playwright")

from browser.journey import DESKTOP, PHONE, check_page, open_as  # noqa: E402

from chainkeeper.auth.demo import demo_password  # noqa: E402

DAY = "2020-02-09"
SIZES = {"1440": DESKTOP, "390": PHONE}


def api(base_url: str, username: str) -> httpx.Client:
    """An API client signed in as a demo user (only for a journey's set-up)."""
    client = httpx.Client(base_url=base_url, timeout=60)
    response = client.post("/api/v1/auth/login", json={"username": username, "password": demo_password(username)})
    assert response.status_code == 200, response.text
    client.headers["x-csrf-token"] = response.json()["csrf_token"]
    return client


def ensure_published(base_url: str, good: str) -> None:
    """Hubei's allocation of ``good`` on 9 February is published (a no-op once the coordinator's journey did it)."""
    hubei = api(base_url, "hubei")
    run = hubei.post("/api/v1/docking/plans", json={"day": DAY, "good_code": good})
    if run.status_code == 201:
        assert hubei.post(f"/api/v1/docking/plans/{run.json()['id']}/publish").status_code == 200
    else:
        assert run.status_code == 409, run.text


def post_need(page, watch, language: str, quantity: str) -> None:
    """The hospital's need form, filled and sent; the page comes back with the need listed as submitted."""
    form = page.locator("[data-testid=need-form]")
    form.locator("[name=good_code]").select_option("med_n95")
    form.locator("[name=quantity]").fill(quantity)
    form.locator("[name=priority]").select_option("1")
    form.locator("[name=county_code]").fill("420112")
    form.locator("[name=contact_name]").fill("李医生")
    form.locator("[name=contact_phone]").fill("027-83660000")
    form.locator("button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    check_page(page, watch, language=language)
    assert page.locator("[data-testid=form-error]").count() == 0


@pytest.mark.parametrize("language,width,good", [("zh_CN", "1440", "med_n95"), ("en", "390", "med_suit")])
def test_the_hubei_coordinator_reviews_fixes_and_publishes_the_day(browser, base_url, screenshot, language, width,
                                                                     good):
    context, page, watch = open_as(browser, base_url, "hubei", language=language, viewport=SIZES[width],
                                   next_path="/docking/needs")
    try:
        check_page(page, watch, language=language)
        if not page.locator("[data-testid^=approve-]").count():  # nothing waits: the hospital posts a need first
            hospital, hospital_page, hospital_watch = open_as(browser, base_url, "hospital", language=language,
                                                              viewport=PHONE, next_path="/docking/needs")
            post_need(hospital_page, hospital_watch, language, "5000")
            hospital.close()
            page.reload()
        approve = page.locator("[data-testid^=approve-]").first
        need_row = approve.locator("xpath=ancestor::tr").get_attribute("data-need")
        screenshot(page, f"coordinator-needs-{width}-{language}")
        approve.click()
        check_page(page, watch, language=language)
        page.goto("/docking/needs?state=approved")
        assert page.locator(f"tr[data-need='{need_row}']").count() == 1

        page.goto(f"/docking?day={DAY}")
        check_page(page, watch, language=language)
        form = page.locator("[data-testid=run-form]")
        form.locator("[name=good_code]").select_option(good)
        form.locator("button[type=submit]").click()
        page.wait_for_url("**/docking/plans/*")
        check_page(page, watch, language=language)
        assert page.locator("[data-testid=plan-status]").count() == 1
        rows = page.locator("[data-testid=plan-lines] tbody tr")
        assert rows.count() >= 2
        first = rows.first
        producer, need = first.get_attribute("data-producer"), first.get_attribute("data-need")
        box = first.locator("input[name=quantity]")
        fixed_at = str(max(1, int(float(box.input_value()) // 2)))
        box.fill(fixed_at)
        first.locator("[data-testid^=fix-]").click()
        page.wait_for_load_state("networkidle")
        check_page(page, watch, language=language)
        assert page.locator("[data-testid=form-error]").count() == 0
        kept = page.locator(f"[data-testid=plan-lines] tr[data-producer='{producer}'][data-need='{need}']")
        assert kept.locator("input[name=quantity]").first.input_value() == fixed_at
        assert kept.locator("[data-testid^=release-]").count() == 1  # the line is fixed; the rest re-optimised
        screenshot(page, f"coordinator-plan-draft-{width}-{language}")
        page.click("[data-testid=publish]")
        page.wait_for_load_state("networkidle")
        check_page(page, watch, language=language)
        assert page.locator("[data-testid=publish]").count() == 0
        assert page.locator("[data-testid^=cancel-]").count() >= 1  # published lines may now be cancelled
        screenshot(page, f"coordinator-plan-published-{width}-{language}")
        page.goto(f"/docking/report?day={DAY}")
        check_page(page, watch, language=language)
        assert page.locator("[data-testid=day-report] tbody tr").count() >= 1
        with page.expect_download() as download:
            page.click("[data-testid=day-xlsx]")
        assert download.value.suggested_filename == f"allocation-report-{DAY}.xlsx"
        screenshot(page, f"coordinator-daily-report-{width}-{language}")
    finally:
        context.close()


@pytest.mark.parametrize("language,width", [("zh_CN", "390"), ("en", "1440")])
def test_a_producer_reports_its_output_and_stock(browser, base_url, screenshot, language, width):
    context, page, watch = open_as(browser, base_url, "mask_maker", language=language, viewport=SIZES[width],
                                   next_path="/reports/docking_producer/fill")
    try:
        check_page(page, watch, language=language)
        page.select_option("[name='t.goods.0.good']", "med_n95")
        for key, value in {"capacity": "12000", "output": "11000", "finished_stock": "2000", "committed": "1500",
                           "capacity_tomorrow": "13000"}.items():
            page.fill(f"[name='t.goods.0.{key}']", value)
        if page.locator("#reason").count():  # today's report was filed already (the other size): a correction
            page.fill("#reason", "更正当日产量")
        screenshot(page, f"producer-report-{width}-{language}")
        page.click("button.rp-submit")
        page.wait_for_load_state("networkidle")
        check_page(page, watch, language=language)
        assert page.locator(".rp-error").count() == 0
        assert "11000" in page.locator("main").inner_text().replace(",", "")
    finally:
        context.close()


@pytest.mark.parametrize("language,width", [("zh_CN", "390"), ("en", "1440")])
def test_a_hospital_posts_a_need(browser, base_url, screenshot, language, width):
    context, page, watch = open_as(browser, base_url, "hospital", language=language, viewport=SIZES[width],
                                   next_path="/docking")
    try:
        check_page(page, watch, language=language)
        page.click("[data-testid=post-need-link]")
        page.wait_for_load_state("networkidle")
        check_page(page, watch, language=language)
        screenshot(page, f"hospital-post-need-{width}-{language}")
        before = page.locator("[data-testid=needs] tbody tr").count()
        post_need(page, watch, language, "1200" if language == "en" else "3400")
        rows = page.locator("[data-testid=needs] tbody tr")
        assert rows.count() == min(before + 1, 100)
        assert ("Submitted" if language == "en" else "待受理") in rows.first.inner_text()
    finally:
        context.close()


@pytest.mark.parametrize("language,width", [("zh_CN", "390"), ("en", "1440")])
def test_the_producer_ships_and_the_hospital_confirms_receipt(browser, base_url, screenshot, language, width):
    ensure_published(base_url, "med_n95")
    context, page, watch = open_as(browser, base_url, "mask_maker", language=language, viewport=SIZES[width],
                                   next_path="/docking")
    try:
        check_page(page, watch, language=language)
        mine = page.locator("[data-testid=my-lines] article.dock-line")
        assert mine.count() >= 1, "the published day leaves the producer a line to ship"
        screenshot(page, f"producer-lines-{width}-{language}")
        line = mine.first
        line_id = line.get_attribute("data-testid")
        line.locator("button[type=submit]").click()
        page.wait_for_load_state("networkidle")
        check_page(page, watch, language=language)
        assert page.locator(f"[data-testid={line_id}]").count() == 0  # confirmed: no longer waiting
    finally:
        context.close()
    hubei = api(base_url, "hubei")  # set-up: the hospital's own line shipped by whichever producer serves it
    hospital_api = api(base_url, "hospital")
    waiting = [l for l in hospital_api.get("/api/v1/docking/lines").json() if l["state"] in ("published", "shipped")]
    assert waiting, "the published day gives the hospital a line"
    if waiting[0]["state"] == "published":
        assert hubei.post(f"/api/v1/docking/lines/{waiting[0]['id']}/ship", json={}).status_code == 200
    context, page, watch = open_as(browser, base_url, "hospital", language=language, viewport=SIZES[width],
                                   next_path="/docking")
    try:
        check_page(page, watch, language=language)
        card = page.locator(f"[data-testid=line-{waiting[0]['id']}]")
        screenshot(page, f"hospital-receipt-{width}-{language}")
        card.locator("input[name=quantity]").fill(str(int(waiting[0]["quantity"]) - 10))
        card.locator("button[type=submit]").click()
        page.wait_for_load_state("networkidle")
        check_page(page, watch, language=language)
        assert page.locator(f"[data-testid=line-{waiting[0]['id']}]").count() == 0
        page.click("[data-testid=done-lines] summary")
        assert ("Received" if language == "en" else "已收货") in page.locator("[data-testid=done-lines]").inner_text()
    finally:
        context.close()
