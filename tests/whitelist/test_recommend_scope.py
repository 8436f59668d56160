"""Issue 10 #3: recommendations stay inside the caller's region, through the API and the page."""

from __future__ import annotations

from factories import link_row

from chainkeeper.registry.importing import import_rows
from whitelist.test_api import clients  # noqa: F401  (fixture)

API = "/api/v1/whitelist/recommendations"


def _shanghai_supplies_changchun(engine, setup) -> str:
    shanghai = _extra_rows(engine)[0]
    assert import_rows(engine, "links", [link_row(shanghai, setup.world.changchun["uscc"])]).written
    return shanghai


def _extra_rows(engine) -> list[str]:
    from sqlalchemy import select

    from chainkeeper.db import unit_of_work
    from chainkeeper.registry.models import Enterprise

    with unit_of_work(engine) as session:
        return list(session.scalars(select(Enterprise.uscc).where(Enterprise.county_code == "310115")))


def test_a_county_gets_nothing_from_another_province(engine, setup, clients):  # noqa: F811
    shanghai = _shanghai_supplies_changchun(engine, setup)
    ministry, _ = clients["ministry"]
    national = ministry.get(API, params={"region": "31"})
    assert national.status_code == 200 and shanghai in {r["uscc"] for r in national.json()}
    county, _ = clients["county"]  # Kunshan
    assert county.get(API, params={"region": "31"}).status_code == 403
    assert county.get("/whitelists/recommendations", params={"region": "31"}).status_code == 403
    wider = county.get(API, params={"region": "32"})  # narrowed to Kunshan
    assert wider.status_code == 200
    assert shanghai not in {r["uscc"] for r in wider.json()}
    page = county.get("/whitelists/recommendations")
    assert page.status_code == 200 and shanghai not in page.text
