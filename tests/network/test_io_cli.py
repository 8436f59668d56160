"""CSV reading/writing, the WIOD table, and the analyze CLI."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest

from chainkeeper.network import MissingIndustryError, NetworkInputError, esri, simulate, Shock
from chainkeeper.network.io import read_network_csv, read_wiod, write_esri_csv, write_simulation_csv

from .conftest import FIXTURES

WIOD = FIXTURES / "wiod2013"


def write_example(d: Path, industry_b="cars"):
    (d / "edges.csv").write_text("supplier,customer,weight,inventory_days\nA,B,2.0,10\nB,C,1.0,\nA,C,1.0,5\n")
    (d / "firms.csv").write_text(f"firm,industry,region\nA,steel,31\nB,{industry_b},32\nC,cars,31\n")
    (d / "ess.csv").write_text("steel,cars\n0,2\n0,1\n")
    return d / "edges.csv", d / "firms.csv", d / "ess.csv"


def test_read_network_csv(tmp_path):
    net = read_network_csv(*write_example(tmp_path))
    assert net.firm_ids.tolist() == ["A", "B", "C"]
    assert net.industry.tolist() == [0, 1, 1] and net.industry_labels == ("steel", "cars")
    assert net.region.tolist() == [31, 32, 31]
    assert net.inventory_days[np.isfinite(net.inventory_days)].tolist() == [10.0, 5.0]
    with pytest.raises(NetworkInputError, match="boats"):
        read_network_csv(*write_example(tmp_path, industry_b="boats"))
    with pytest.raises(MissingIndustryError):
        read_network_csv(*write_example(tmp_path, industry_b=""))


def test_write_results(tmp_path):
    net = read_network_csv(*write_example(tmp_path))
    r = esri(net)
    write_esri_csv(tmp_path / "out.csv", net, r)
    rows = list(csv.DictReader(open(tmp_path / "out.csv")))
    assert [x["firm"] for x in rows] == ["A", "B", "C"]
    assert float(rows[0]["esri"]) == pytest.approx(r.esri[0])
    res = simulate(net, Shock(cut=1.0, firms=[0]), days=5)
    daily, firms = write_simulation_csv(tmp_path / "sim", net, res)
    assert len(list(csv.DictReader(open(daily)))) == 5
    assert "production_region_31" in open(daily).readline()
    assert len(list(csv.DictReader(open(firms)))) == 3


def test_wiod_loads_as_network_and_scores():
    net, output = read_wiod(WIOD / "wiot2011_inter_matrix.csv.gz", WIOD / "wiot2011_final_output.csv.gz")
    assert net.n_firms == 1435 and net.n_industries == 35
    assert net.industry_labels[:3] == ("c1", "c2", "c3")
    assert (net.industry == 13).sum() == 41 and np.unique(net.region).shape[0] == 41
    assert net.firm_ids[0] == "AUS_c1" and net.industry_labels[net.industry[13]] == "c14"
    assert (output >= net.s_out).all() and output.sum() > 1.5 * net.s_out.sum()
    firms = np.array([0, 500, 1000, 1434])
    a = esri(net, firms=firms, engine="sparse")
    b = esri(net, firms=firms)
    np.testing.assert_allclose(a.esri, b.esri, atol=1e-12)
    assert ((a.esri > 0) & (a.esri < 1)).all()
    thr, _ = read_wiod(WIOD / "wiot2011_inter_matrix.csv.gz", essential="threshold", threshold=0.2)
    assert (thr.essential == 2).sum() > 0


def test_cli_esri_and_simulate(tmp_path):
    typer_testing = pytest.importorskip("typer.testing")
    from chainkeeper.cli.analyze import analyze_app

    edges, firms, ess = write_example(tmp_path)
    runner = typer_testing.CliRunner()
    out = tmp_path / "esri.csv"
    res = runner.invoke(analyze_app, ["esri", str(edges), str(firms), str(ess), "--out", str(out)])
    assert res.exit_code == 0, res.output
    assert len(list(csv.DictReader(open(out)))) == 3
    res = runner.invoke(analyze_app, ["simulate", str(edges), str(firms), str(ess), "--region", "31",
                                      "--cut", "0.9", "--duration", "30", "--days", "10",
                                      "--out", str(tmp_path / "sim")])
    assert res.exit_code == 0, res.output
    rows = list(csv.DictReader(open(tmp_path / "sim_firms.csv")))
    assert rows[0]["firm"] == "A" and rows[0]["first_below_90"] == "0"
    res = runner.invoke(analyze_app, ["simulate", str(edges), str(firms), str(ess), "--firm", "ZZ",
                                      "--cut", "0.5"])
    assert res.exit_code == 2
    (tmp_path / "bad.csv").write_text("supplier,customer,weight\nA,B,-1\n")
    res = runner.invoke(analyze_app, ["esri", str(tmp_path / "bad.csv"), str(firms), str(ess)])
    assert res.exit_code == 2
