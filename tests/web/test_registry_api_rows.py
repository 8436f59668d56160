"""The registry API's lists as plain rows (issue 15, sprint 7): a page of supply links with both ends and the product
from one Core select plus the count (they were ORM links with two whole enterprises and a product each: the same
answers, now from columns), and the page statements kept per caller and filters without one caller's scope leaking
into another's."""

import pytest
from accounts_fixture import PASSWORD, build_world, login
from factories import enterprise_row, link_row
from fastapi.testclient import TestClient
from json_documents import count_validations, model_bytes
from sqlalchemy import event

from chainkeeper.auth.roles import Role
from chainkeeper.auth.service import create_user
from chainkeeper.db import unit_of_work
from chainkeeper.registry.importing import import_rows
from chainkeeper.registry.schemas import EnterpriseOut, LinkOut, PageOut
from chainkeeper.web.app import create_app
from chainkeeper.web.json_api import KEPT_ANSWERS

PRODUCTS = [{"code": f"P-{i}", "name": f"零件{i}", "industry_code": "3670"} for i in range(4)]


@pytest.fixture
def network(engine):
    """Six links into one customer, four of them with a product each, one without, one between two suppliers."""
    with unit_of_work(engine) as session:
        create_user(session=session, username="coordinator", password=PASSWORD, display_name="部协调员",
                    roles={Role.ministry})
    oem = enterprise_row(name="长春测试整车有限公司", county_code="220104")
    parts = [enterprise_row(name=f"昆山线束{i}有限公司") for i in range(5)]
    assert import_rows(engine, "enterprises", [oem, *parts]).written
    assert import_rows(engine, "products", PRODUCTS).written
    links = [link_row(p["uscc"], oem["uscc"], annual_value=str(1000 * (i + 1)), product_code=f"P-{i}")
             for i, p in enumerate(parts[:4])]
    links.append(link_row(parts[4]["uscc"], oem["uscc"], annual_value="500", essential="0"))
    links.append(link_row(parts[0]["uscc"], parts[1]["uscc"], annual_value="50", product_code="P-0"))
    assert import_rows(engine, "links", links).written
    client = TestClient(create_app(engine=engine))
    login(client, "coordinator")
    return client, oem, parts


def _selects(engine, client, path: str, **params) -> tuple[dict, list[str]]:
    """(the answer's JSON, the SELECT statements the request sent)."""
    sent = []
    listener = lambda conn, cursor, statement, *args: sent.append(statement)  # noqa: E731
    KEPT_ANSWERS.clear()  # answered afresh, not from the kept documents
    event.listen(engine, "before_cursor_execute", listener)
    try:
        answer = client.get(path, params=params)
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    assert answer.status_code == 200, answer.text
    return answer.json(), [s for s in sent if s.lstrip().upper().startswith("SELECT")]


def test_a_page_of_links_is_read_with_its_ends_and_products_in_one_statement_or_two(engine, network):
    client, oem, parts = network
    client.get("/api/v1/links")  # the principal and reference caches
    body, selects = _selects(engine, client, "/api/v1/links")
    assert len(selects) == 1, selects  # a page not full is the last one: its total needs no count (issue 15)
    full, selects = _selects(engine, client, "/api/v1/links", page_size=3)
    assert len(selects) == 2 and full["total"] == 6, selects  # a full page: the page and its count
    last, selects = _selects(engine, client, "/api/v1/links", page=2, page_size=4)
    assert len(selects) == 1 and last["total"] == 6 and len(last["items"]) == 2, selects
    beyond, selects = _selects(engine, client, "/api/v1/links", page=3, page_size=4)
    assert len(selects) == 2 and beyond == {"items": [], "total": 6, "page": 3, "page_size": 4}, selects
    assert body["total"] == 6 and body["page"] == 1 and body["page_size"] == 50
    assert [item["annual_value"] for item in body["items"]] == [4000, 3000, 2000, 1000, 500, 50]
    first = body["items"][0]
    assert first["supplier"] == {"uscc": parts[3]["uscc"], "name": parts[3]["name"], "county_code": "320583"}
    assert first["customer"] == {"uscc": oem["uscc"], "name": oem["name"], "county_code": "220104"}
    assert (first["product_code"], first["product_name"]) == ("P-3", "零件3")
    assert first["lead_time_days"] == 3 and first["inventory_days"] == 7 and first["essential"] is True
    no_product = body["items"][4]
    assert (no_product["product_code"], no_product["product_name"], no_product["essential"]) == (None, None, False)
    one = client.get(f"/api/v1/links/{first['id']}").json()
    assert one == first


def test_the_links_filters_pages_and_unknown_ends(engine, network):
    client, oem, parts = network
    of_supplier = client.get("/api/v1/links", params={"supplier": parts[0]["uscc"]}).json()
    assert [item["customer"]["uscc"] for item in of_supplier["items"]] == [oem["uscc"], parts[1]["uscc"]]
    assert client.get("/api/v1/links", params={"customer": parts[1]["uscc"]}).json()["total"] == 1
    assert client.get("/api/v1/links", params={"essential": False}).json()["total"] == 1
    assert client.get("/api/v1/links", params={"region": "2201"}).json()["total"] == 5  # the customer's prefecture
    page = client.get("/api/v1/links", params={"page": 2, "page_size": 4}).json()
    assert page["total"] == 6 and [item["annual_value"] for item in page["items"]] == [500, 50]
    unknown = client.get("/api/v1/links", params={"supplier": "91350100M000100Y43"})
    assert unknown.status_code == 404 and unknown.json()["error"]["code"] == "not_found"
    assert client.get("/api/v1/links/999999").status_code == 404


def test_callers_with_the_same_filters_keep_their_own_scopes(engine):
    from chainkeeper.auth.api import login_throttle

    login_throttle.reset()
    world = build_world(engine)
    client = TestClient(create_app(engine=engine))
    everyone = {world.kunshan["uscc"], world.ningbo["uscc"], world.changchun["uscc"]}
    for query in ({}, {"q": "宁波"}, {"q": "宁波座椅"}, {"q": "有限公司"}, {"region": "33"}):
        for username in ("user_ministry", "user_province", "user_ministry", "user_enterprise", "user_ministry"):
            login(client, username)
            found = {item["uscc"] for item in client.get("/api/v1/enterprises", params=query).json()["items"]}
            assert found <= (everyone if username == "user_ministry" else {world.kunshan["uscc"]}), (username, query)
            assert (world.ningbo["uscc"] in found) == (username == "user_ministry"), (username, query)
            if not query:
                assert found == (everyone if username == "user_ministry" else {world.kunshan["uscc"]}), username
    login(client, "user_enterprise")  # the Kunshan firm: its own link only, then the ministry: both
    assert len(client.get("/api/v1/links").json()["items"]) == 1
    login(client, "user_ministry")
    assert len(client.get("/api/v1/links").json()["items"]) == 2


def test_the_registry_answers_are_made_from_rows_without_models(engine, network, monkeypatch):
    """The lists and the single enterprise or link are written with orjson from the rows (issue 15): no row is
    validated into a model, and the bytes are those of the models."""
    client, oem, parts = network
    first = client.get("/api/v1/links").json()["items"][0]["id"]
    shapes = {"/api/v1/enterprises": PageOut[EnterpriseOut], "/api/v1/enterprises?page_size=2&page=2": PageOut[EnterpriseOut],
              f"/api/v1/enterprises/{oem['uscc']}": EnterpriseOut, "/api/v1/links": PageOut[LinkOut],
              "/api/v1/links?page_size=4&essential=true": PageOut[LinkOut], f"/api/v1/links/{first}": LinkOut}
    validations = count_validations(monkeypatch)
    for path, shape in shapes.items():
        answer = client.get(path)
        assert answer.status_code == 200 and answer.headers["content-type"] == "application/json", path
        assert answer.content == model_bytes(answer.content, shape), path
    assert validations == []


def test_a_float_orjson_writes_otherwise_is_sent_through_the_models(engine, network, monkeypatch):
    """orjson writes 2.5e16 as ``2.5e16``, pydantic as ``2.5e+16``: such a page goes through the models."""
    client, oem, parts = network
    assert import_rows(engine, "links", [link_row(parts[2]["uscc"], parts[3]["uscc"], annual_value="2.5e16")]).written
    validations = count_validations(monkeypatch)
    answer = client.get("/api/v1/links", params={"page_size": 2})
    assert b'"annual_value":2.5e+16' in answer.content
    assert answer.content == model_bytes(answer.content, PageOut[LinkOut]) and len(validations) == 1
