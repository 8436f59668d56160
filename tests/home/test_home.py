"""The home page of each role on the demo data: every figure equals the number of rows its link opens, in the
caller's scope; the ministry's tables; what an enterprise sees of its own work only."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from conftest import BACKENDS, clear_data
from web.pages.page_support import sign_in

from chainkeeper.auth.api import login_throttle
from chainkeeper.auth.demo import demo_password
from chainkeeper.auth.roles import Role
from chainkeeper.auth.service import create_user
from chainkeeper.config import get_settings
from chainkeeper.coordination.models import Case, CaseState
from chainkeeper.db import unit_of_work
from chainkeeper.demo.service import load_demo
from chainkeeper.web.app import create_app
from chainkeeper.whitelist.models import Application

ROLES = ("oem", "applicant", "kunshan", "suzhou", "jiangsu", "shanghai", "jilin", "ministry", "analyst", "debtor")
FIGURE = re.compile(r'<a [^>]*?href="([^"]+)"[^>]* data-item="([^"]+)"[^>]*>.*?data-count="\2">([\d,]+)<', re.S)
ROWS = {"/desk": re.compile(r'<tr[^>]* data-case="\d+"'),
        "/whitelists/applications": re.compile(r'<tr data-application="\d+"'),
        "/passes": re.compile(r'<td[^>]* class="mono"><a href="/passes/\d+">'),
        "/sme/arrears": re.compile(r'<td[^>]*><a href="/sme/arrears/\d+">'),
        "/sme/ladder/applications": re.compile(r'<td><a href="/sme/ladder/applications/\d+">')}


@pytest.fixture(scope="module", params=BACKENDS)
def demo_of_module(request, migrated_engines, tmp_path_factory):
    """The demo (300 firms, its users, cases, letters, lists, passes) on each backend, loaded once for the module:
    the tests only read it (and sign in)."""
    engine = migrated_engines(request.param)
    clear_data(engine)
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setenv("CHAINKEEPER_DATA_DIR", str(tmp_path_factory.mktemp("home-demo")))
        get_settings.cache_clear()
        load_demo(engine, n_firms=300, seed=7)
        with unit_of_work(engine) as session:  # an applicant of the Jiangsu list, to see its applications at home
            firm = session.scalar(select(Application.enterprise_id).group_by(Application.enterprise_id)
                                  .order_by(func.count().desc(), Application.enterprise_id).limit(1))
            create_user(session=session, username="applicant", password=demo_password("applicant"),
                        display_name="申请企业", roles={Role.enterprise}, enterprise_id=firm)
        yield engine
    get_settings.cache_clear()
    clear_data(engine)


@pytest.fixture
def demo(demo_of_module):
    """The module's demo, with no failed logins counted."""
    login_throttle.reset()
    yield demo_of_module
    login_throttle.reset()


def client_of(engine, username: str) -> TestClient:
    client = TestClient(create_app(engine=engine), follow_redirects=False)
    sign_in(client, username, demo_password(username))
    return client


def figures(html: str) -> dict[str, tuple[str, int]]:
    """key → (link, count) of every figure on a home page."""
    return {key: (url.replace("&amp;", "&"), int(count.replace(",", ""))) for url, key, count in FIGURE.findall(html)}


def rows_behind(client: TestClient, url: str) -> int:
    """How many rows the list at ``url`` shows, over all its pages (100 a page)."""
    parts = urlsplit(url)
    pattern, params, total, page = ROWS[parts.path], dict(parse_qsl(parts.query)), 0, 1
    while True:
        response = client.get(parts.path + "?" + urlencode(params | {"size": 100, "page": page}))
        assert response.status_code == 200, url
        found = len(pattern.findall(response.text))
        total += found
        if found < 100 or parts.path == "/passes":
            return total
        page += 1


def test_every_figure_on_each_home_page_equals_the_rows_its_link_shows(demo):
    seen = {}
    for username in ROLES:
        client = client_of(demo, username)
        home = client.get("/")
        assert home.status_code == 200
        shown = figures(home.text)
        assert shown, f"{username}: no figure on the home page"
        for key, (url, count) in shown.items():
            assert rows_behind(client, url) == count, f"{username}: {key} says {count}, {url} shows otherwise"
        seen[username] = shown
    assert seen["kunshan"]["to-accept"][1] >= 1  # the G2 exit case waits for Kunshan
    assert sum(count for key, (_u, count) in seen["ministry"].items() if key.startswith("state-")) >= 5
    assert any(key.startswith("province-31") for key in seen["ministry"])  # Shanghai's stopped suppliers
    assert seen["oem"]["open-cases"][1] >= 4  # its own open cases
    assert "to-accept" not in seen["oem"] and "open-cases" not in seen["kunshan"]
    assert any(key.startswith("applications-") for key in seen["applicant"])  # its white-list applications
    # sprint 10 walk: no home page led to the arrears complaints waiting for a province or a debtor
    assert seen["jiangsu"]["arrears-to-accept"][1] >= 1 and seen["debtor"]["arrears-to-answer"][1] == 1
    assert "arrears-to-answer" not in seen["oem"] and "arrears-to-accept" not in seen["kunshan"]
    assert seen["kunshan"]["ladder-submitted"][1] >= 1 and "ladder-submitted" not in seen["jiangsu"]  # its level's


def test_home_is_scoped_each_authority_sees_its_own_region(demo):
    ministry = figures(client_of(demo, "ministry").get("/").text)
    for username in ("kunshan", "suzhou", "jiangsu", "jilin", "shanghai"):
        own = figures(client_of(demo, username).get("/").text)
        for key in ("to-accept", "to-assign", "overdue", "awaiting-measures"):
            assert own[key][1] <= ministry[key][1], (username, key)
    assert figures(client_of(demo, "kunshan").get("/").text)["overdue"][1] < ministry["overdue"][1]


def letters_waiting(html: str) -> list[str]:
    block = html.split('data-testid="letters-waiting"', 1)[1].split("</ul>", 1)[0].split("</p>", 1)[0]
    return re.findall(r'href="(/desk/letters/\d+)"', block)


def test_a_province_sees_the_letter_it_must_answer(demo):
    shanghai = client_of(demo, "shanghai")
    waiting = letters_waiting(shanghai.get("/").text)
    assert len(waiting) == 1 and shanghai.get(waiting[0]).status_code == 200  # Jilin's letter about its suppliers
    assert letters_waiting(client_of(demo, "jiangsu").get("/").text) == []
    assert letters_waiting(client_of(demo, "jilin").get("/").text) == []  # sent, not answered yet


def test_enterprise_home_shows_its_cases_status_and_links_only(demo):
    client = client_of(demo, "oem")
    page = client.get("/").text
    for testid in ("enterprise-work", "enterprise-cases", "enterprise-entries", "enterprise-certificates",
                   "enterprise-passes"):
        assert f'data-testid="{testid}"' in page
    for case_link in set(re.findall(r'href="(/desk/cases/\d+)"', page)):
        assert client.get(case_link).status_code == 200  # every case shown is the enterprise's own
    assert 'data-testid="cases-by-state"' not in page and 'data-testid="authority-work"' not in page


def test_ministry_sees_the_national_picture_with_a_table_for_each_chart(demo):
    page = client_of(demo, "ministry").get("/").text
    for chart, table in (("state-chart", "cases-by-state"), ("province-case-chart", "cases-by-province")):
        assert f'id="{chart}"' in page and f'data-testid="{table}"' in page
    for testid in ("resumption", "letter-flows", "resumption-rate"):
        assert f'data-testid="{testid}"' in page
    assert re.search(r'data-testid="letter-flows".*?吉林省</td><td[^>]*>上海市</td>', page, re.S)
    analyst = client_of(demo, "analyst").get("/").text
    assert 'href="/analysis"' in analyst and 'data-testid="cases-by-state"' in analyst
    assert 'data-testid="authority-work"' not in analyst  # read-only: nothing waits for an analyst


def test_admin_home_has_its_shortcuts(demo):
    page = client_of(demo, "admin").get("/").text
    assert 'href="/admin/users"' in page and 'href="/admin/audit"' in page


def test_a_province_and_the_ministry_see_the_live_picture(demo):
    shanghai = client_of(demo, "shanghai").get("/").text
    live = shanghai.split('data-testid="home-live"', 1)[1]
    assert 'data-item="live-open"' in live and 'data-item="live-overdue"' in live
    assert 'data-live="resumption-rate"' in live  # listed enterprises located in Shanghai
    assert re.search(r'href="/monitoring/briefings/\d+" data-live="briefing-latest"', live)
    ministry = client_of(demo, "ministry").get("/").text
    assert 'data-testid="home-live"' in ministry and 'data-item="live-open"' not in ministry  # shown nationally
    for username in ("analyst", "suzhou", "oem"):
        assert 'data-testid="home-live"' not in client_of(demo, username).get("/").text


def _live_figure(panel: str, key: str) -> tuple[str, str]:
    """(link, value) of the figure ``key`` in a live panel's HTML."""
    found = re.search(rf'<a href="([^"]+)" data-live="{key}"><span class="figure">([^<]*)</span>', panel)
    assert found, key
    return found.group(1).replace("&amp;", "&"), found.group(2)


def test_the_ministry_and_a_province_see_their_open_warnings(demo):
    reds = {}
    for username in ("ministry", "shanghai"):
        client = client_of(demo, username)
        live = client.get("/").text.split('data-testid="home-live"', 1)[1]
        panel = live.split('data-panel="warnings"', 1)[1].split("</section>", 1)[0]
        assert 'href="/monitoring/warnings"' in panel and "未确认的预警" in panel, username
        for level in ("red", "yellow", "blue"):
            url, value = _live_figure(panel, f"warnings-{level}")
            rows = client.get(url).text.count(f'<tr data-level="{level}">')
            assert int(value.replace(",", "")) == rows, (username, level, value, rows)
            reds[username] = rows if level == "red" else reds.get(username, 0)
        newest = re.findall(r'href="/monitoring/warnings/(\d+)" data-live="warning-\1"', panel)
        assert newest, username
        assert all(client.get(f"/monitoring/warnings/{i}").status_code == 200 for i in newest)
    assert 0 < reds["shanghai"] < reds["ministry"]
    english = client_of(demo, "ministry")
    english.cookies.set("ck_lang", "en")
    panel = english.get("/").text.split('data-panel="warnings"', 1)[1].split("</section>", 1)[0]
    assert "Open warnings" in panel and "Red" in panel and "未确认" not in panel


LIVE = re.compile(r'data-live="([^"]+)"><span class="figure">([^<]*)<')


def shown_figures(html: str) -> dict:
    """Every figure of a home page: the linked counts and the live panels' values."""
    return {**figures(html), **dict(LIVE.findall(html))}


def test_cached_home_figures_are_scoped_by_region(demo):
    """One application (one cache) serves three provinces and the ministry in turn: each sees what an application
    of its own shows, never the figures computed for another region."""
    shared, clients = create_app(engine=demo), {}
    for username in ("jiangsu", "shanghai", "jilin", "ministry", "analyst"):
        clients[username] = TestClient(shared, follow_redirects=False)
        sign_in(clients[username], username, demo_password(username))  # signing in writes: all before the pages
    pages = {username: shown_figures(client.get("/").text) for username, client in clients.items()}
    for username, seen in pages.items():
        assert seen == shown_figures(client_of(demo, username).get("/").text), username
    assert len({repr(sorted(seen.items())) for seen in pages.values()}) == len(pages)  # the regions do differ


def test_a_cached_home_figure_does_not_outlive_a_write(demo):
    """A case accepted (in another session, as another request or the CLI would) shows on the next home page at
    once, though the figures were cached a moment before."""
    client = client_of(demo, "ministry")
    before = figures(client.get("/").text)
    assert figures(client.get("/").text) == before  # served from the cache
    with unit_of_work(demo) as session:
        case = session.scalar(select(Case).where(Case.state == CaseState.submitted).order_by(Case.id).limit(1))
        case_id, case.state = case.id, CaseState.accepted
    try:
        after = figures(client.get("/").text)
        assert after["state-submitted"][1] == before["state-submitted"][1] - 1
        assert after["state-accepted"][1] == before["state-accepted"][1] + 1
        assert after["to-accept"][1] == before["to-accept"][1] - 1
    finally:
        with unit_of_work(demo) as session:
            session.get(Case, case_id).state = CaseState.submitted
    assert figures(client.get("/").text) == before


def test_the_live_warnings_name_their_indicator_not_its_code(demo):
    """Sprint 10 walk: a province's home listed its newest warnings as ``iva_yoy`` or ``output_vehicles_yoy``."""
    for username, language in (("jilin", "zh_CN"), ("jilin", "en")):
        client = client_of(demo, username)
        client.cookies.set("ck_lang", language)
        block = client.get("/").text.split('data-panel="warnings"', 1)[1].split("</section>", 1)[0]
        subjects = re.findall(r'data-live="warning-\d+">.*?<span translate="no">(.*?)</span>', block, re.S)
        assert subjects and not [s for s in subjects if re.search(r"\b[a-z]+_[a-z_]+\b", s)], subjects
        assert any(("全国" if language == "zh_CN" else "National") in s for s in subjects), subjects


def test_the_national_cases_by_state_start_with_a_capital_in_english(demo):
    """Failed before (lane walk11): the chart's bars and its table read "submitted", "feedback given" while the desk's
    tabs and choices read "Submitted"; Chinese unchanged."""
    analyst = client_of(demo, "analyst")
    analyst.cookies.set("ck_lang", "en")
    table = analyst.get("/").text.split('data-testid="cases-by-state"')[1].split("</table>")[0]
    assert 'data-item="state-submitted">Submitted</a>' in table and ">Feedback given</a>" in table
    chart = analyst.get("/").text.split('id="state-chart"')[1][:3000]
    assert '"Submitted"' in chart and '"submitted"' not in chart
    analyst.cookies.set("ck_lang", "zh_CN")
    assert 'data-item="state-submitted">待受理</a>' in analyst.get("/").text


def test_the_province_table_copies_as_shown(demo):
    """Failed before (lane walk14): the overdue figure of each province carried a visually hidden label, which a
    copy of the table took along ("3 Overdue open cases 上海市"); the link now names itself with aria-label."""
    analyst = client_of(demo, "analyst")
    analyst.cookies.set("ck_lang", "en")
    table = analyst.get("/").text.split('data-testid="cases-by-province"')[1].split("</table>")[0]
    assert "visually-hidden" not in table
    labelled = re.findall(r'aria-label="(\d+) Overdue open cases ([^"]+)"><span data-count="province-overdue-\d+">'
                          r"(\d+)</span></a>", table)
    assert labelled and all(said == shown for said, _name, shown in labelled), labelled
