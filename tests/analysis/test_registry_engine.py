"""The engine on the registry: network loading, ESRI ranking, a regional stop, and the CLI on registry data."""

import numpy as np
import pytest
from factories import enterprise_row, link_row
from typer.testing import CliRunner

from chainkeeper.analysis.loader import load_registry_network
from chainkeeper.analysis.service import rank_systemic_risk, simulate_regional_stop
from chainkeeper.cli.main import app
from chainkeeper.config import get_settings
from chainkeeper.db import unit_of_work
from chainkeeper.registry.importing import import_rows
from chainkeeper.registry.service import region_clause


@pytest.fixture
def chain(engine):
    """Steel (Hebei) → harness maker (Kunshan) → OEM (Changchun); a non-essential plastic-trim supplier (Ningbo)."""
    steel = enterprise_row(county_code="130203", industry_code="3130")
    harness = enterprise_row(county_code="320583", industry_code="3670")
    seats = enterprise_row(county_code="330206", industry_code="2929")  # plastic trim: another input industry
    oem = enterprise_row(county_code="220104", industry_code="3611", size="large")
    assert import_rows(engine, "enterprises", [steel, harness, seats, oem]).written
    links = [link_row(steel["uscc"], harness["uscc"], annual_value="100", inventory_days="10"),
             link_row(harness["uscc"], oem["uscc"], annual_value="300", inventory_days="4"),
             link_row(seats["uscc"], oem["uscc"], annual_value="300", inventory_days="", essential="0")]
    assert import_rows(engine, "links", links).written
    return dict(steel=steel, harness=harness, seats=seats, oem=oem)


def test_network_mirrors_the_registry(engine, chain):
    with unit_of_work(engine) as session:
        loaded = load_registry_network(session=session)
    net = loaded.network
    assert net.n_firms == 4 and net.s_out.sum() == 700
    index = {uscc: i for i, uscc in enumerate(loaded.usccs)}
    assert loaded.province[index[chain["oem"]["uscc"]]] == 22
    ess = net.essential
    harness_ind = net.industry[index[chain["harness"]["uscc"]]]
    oem_ind = net.industry[index[chain["oem"]["uscc"]]]
    assert ess[harness_ind, oem_ind] == 2  # one essential link between 3670 and 3611 makes the pair essential


def test_scope_keeps_only_links_inside(engine, chain):
    with unit_of_work(engine) as session:
        loaded = load_registry_network(session=session, scope=region_clause("32"))
    assert loaded.network.n_firms == 1 and loaded.network.s_out.sum() == 0


def test_essential_supplier_ranks_above_the_non_essential_one(engine, chain):
    with unit_of_work(engine) as session:
        ranked = rank_systemic_risk(session=session, top=4)
    order = [row.uscc for row in ranked]
    assert order.index(chain["harness"]["uscc"]) < order.index(chain["seats"]["uscc"])
    assert all(0 <= row.esri <= 1 for row in ranked)


def test_jiangsu_stop_starves_the_oem_when_its_stock_runs_out(engine, chain):
    with unit_of_work(engine) as session:
        hit = simulate_regional_stop(session=session, region=32, cut=1.0, duration=30, days=30)
    oem = next(firm for firm in hit if firm.uscc == chain["oem"]["uscc"])
    assert 1 <= oem.first_below_90 <= 6  # four days of harness stock, then the line stops
    assert all(firm.uscc != chain["harness"]["uscc"] for firm in hit)  # the stopped region itself is not listed


def test_cli_esri_on_the_registry(engine, chain, monkeypatch, tmp_path):
    monkeypatch.setenv("CHAINKEEPER_DATABASE_URL", engine.url.render_as_string(hide_password=False))
    get_settings.cache_clear()
    out = tmp_path / "esri.csv"
    result = CliRunner().invoke(app, ["analyze", "esri", "--out", str(out)], catch_exceptions=False)
    get_settings.cache_clear()
    assert result.exit_code == 0, result.output
    rows = np.genfromtxt(out, delimiter=",", names=True, dtype=None, encoding="utf-8")
    assert len(rows) == 4 and {str(u) for u in rows["firm"]} == {c["uscc"] for c in chain.values()}
