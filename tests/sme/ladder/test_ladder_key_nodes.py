"""Which of a key chain's key nodes (the engine's ESRI ranking) are held by SMEs on the ladder — on a small network
with a known answer: the Kunshan parts maker is the only supplier of the essential parts of two customers."""

from datetime import date

from accounts_fixture import login
from factories import create_users, enterprise_row, import_registry, link_row, new_uscc
from fastapi.testclient import TestClient
from reporting.support import World
from sqlalchemy import event

from chainkeeper.audit.actor import SYSTEM
from chainkeeper.auth.roles import Role
from chainkeeper.db import unit_of_work
from chainkeeper.sme.ladder import dashboard, service
from chainkeeper.web.app import create_app


def _network(engine) -> World:
    """The small network (Kunshan's sole supplier, a Suzhou and a Nanjing customer, a Shanghai supplier) and users."""
    usccs = {key: new_uscc(county) for key, county in (("ks", "320583"), ("oem", "320505"), ("oem2", "320115"),
                                                        ("sh", "310115"))}
    rows = {key: enterprise_row(uscc=uscc, county_code=uscc[2:8], chain="auto", size="small" if key == "ks"
                                else "large", industry_code="3670" if key == "ks" else "3612")
            for key, uscc in usccs.items()}
    ids = import_registry(engine, rows, [link_row(usccs["ks"], usccs["oem"]), link_row(usccs["ks"], usccs["oem2"]),
                                         link_row(usccs["sh"], usccs["oem"], essential="0")])
    with unit_of_work(engine) as session:
        users = create_users(session, {"jiangsu": (Role.province, "32", None), "shanghai": (Role.province, "31", None),
                                       "ministry": (Role.ministry, None, None)}, ids)
        service.register(session=session, actor=SYSTEM, items=[(ids["ks"], "specialized", "province",
                                                                 date(2025, 3, 1))])
    world = World(ids, users, engine)
    world.usccs = usccs
    return world


def test_the_sole_supplier_is_a_key_node_held_by_a_specialised_sme(engine):
    world = _network(engine)
    usccs = world.usccs
    with unit_of_work(engine) as session:
        national = dashboard.key_nodes(session=session, caller=world.caller("ministry"), chain="auto", top=4)
        assert national[0].uscc == usccs["ks"] and national[0].tier == "specialized"
        assert {node.uscc for node in national if node.tier} == {usccs["ks"]}
        jiangsu = dashboard.key_nodes(session=session, caller=world.caller("jiangsu"), chain="auto", top=4)
        assert usccs["sh"] not in {node.uscc for node in jiangsu}  # a province sees its own region's firms
        assert dashboard.key_nodes(session=session, caller=world.caller("shanghai"), chain="auto")[0].tier == ""


def test_the_key_nodes_answer_is_kept_per_scope_until_a_write(engine):
    """Issue 15: the API computed the ESRI ranking on every call; a repeat call is now answered from the kept bytes
    (no statement), a province's answer is its own, and a committed write (a recognition) is seen at once."""
    world = _network(engine)
    app = create_app(engine=engine)
    ministry, jiangsu = TestClient(app), TestClient(app)
    login(ministry, "ministry")
    login(jiangsu, "jiangsu")
    url = "/api/v1/sme/ladder/key-nodes?chain=auto"
    first = ministry.get(url)
    assert first.status_code == 200 and first.json()[0] == {
        "uscc": world.usccs["ks"], "name": first.json()[0]["name"], "esri": first.json()[0]["esri"],
        "tier": "specialized", "key_node_label": False}
    sent = []

    def note(*args):
        sent.append(args[2])
    event.listen(engine, "before_cursor_execute", note)
    again = ministry.get(url)
    event.remove(engine, "before_cursor_execute", note)
    assert again.content == first.content and sent == []  # main: the network's fingerprint, ESRI, the tiers
    assert world.usccs["sh"] in ministry.get(url).text and world.usccs["sh"] not in jiangsu.get(url).text
    with unit_of_work(engine) as session:
        service.register(session=session, actor=SYSTEM, items=[(world.ids["sh"], "innovative", "province",
                                                                 date(2025, 3, 1))])
    assert '"tier":"innovative"' in ministry.get(url).text


def test_the_ranking_is_computed_once_per_network(engine, monkeypatch):
    """Issue 15: a fresh key-nodes call (after any write) ran the ESRI cascade again; the ranking is now kept per
    loaded registry network — the same answer without a cascade while the registry is unchanged, a new cascade
    once it changed."""
    import chainkeeper.network as network

    world = _network(engine)
    cascades = []
    real = network.esri
    monkeypatch.setattr(network, "esri", lambda *args, **kwargs: cascades.append(1) or real(*args, **kwargs))
    with unit_of_work(engine) as session:
        first = dashboard.key_nodes(session=session, caller=world.caller("ministry"), chain="auto", top=4)
        again = dashboard.key_nodes(session=session, caller=world.caller("ministry"), chain="auto", top=4)
        jiangsu = dashboard.key_nodes(session=session, caller=world.caller("jiangsu"), chain="auto", top=4)
    assert again == first and len(cascades) == 2  # the province's top × 5 is a ranking of its own
    assert world.usccs["sh"] not in {node.uscc for node in jiangsu}
    import_registry(engine, {}, [link_row(world.usccs["sh"], world.usccs["oem2"])])
    with unit_of_work(engine) as session:
        changed = dashboard.key_nodes(session=session, caller=world.caller("ministry"), chain="auto", top=4)
    assert len(cascades) == 3 and changed[0].uscc == first[0].uscc
