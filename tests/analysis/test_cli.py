"""``chainkeeper analyze simulate`` on the registry: names and rounded figures out, unknown values refused by name."""

from __future__ import annotations

import csv

import pytest
from typer.testing import CliRunner

from chainkeeper.analysis.models import AnalysisRun
from chainkeeper.cli.main import app
from chainkeeper.config import get_settings
from chainkeeper.db import unit_of_work


@pytest.fixture
def cli(desk, monkeypatch):
    monkeypatch.setenv("CHAINKEEPER_DATABASE_URL", desk.engine.url.render_as_string(hide_password=False))
    get_settings.cache_clear()
    runner = CliRunner()
    yield lambda *args: runner.invoke(app, ["analyze", "simulate", *args], catch_exceptions=False)
    get_settings.cache_clear()


def rows(path):
    with open(path, encoding="utf-8-sig") as handle:
        return list(csv.reader(handle))


@pytest.mark.parametrize("args, bad", [
    (["--region", "99"], "99"), (["--region", "3299"], "3299"), (["--industry", "9999"], "9999"),
    (["--chain", "spaceships"], "spaceships"), (["--firm", "91320583MA0000000X"], "91320583MA0000000X"),
])
def test_unknown_values_are_refused_by_name(cli, desk, tmp_path, args, bad):
    result = cli(*args, "--cut", "0.9", "--lang", "en", "--out", str(tmp_path / "s"))
    assert result.exit_code == 2 and bad in result.output and "No such" in result.output
    assert not list(tmp_path.iterdir())
    with unit_of_work(desk.engine) as session:
        assert session.query(AnalysisRun).count() == 0


def test_a_county_stop_is_written_with_names_and_rounded(cli, desk, tmp_path):
    result = cli("--region", "320583", "--region", "330206", "--cut", "1", "--duration", "20", "--days", "20", "--lang", "zh_CN",
                 "--out", str(tmp_path / "kunshan"))
    assert result.exit_code == 0, result.output
    firms = rows(tmp_path / "kunshan_firms.csv")
    assert firms[0][:2] == ["统一社会信用代码", "企业"]
    by_name = {row[1]: row for row in firms[1:]}
    assert {"昆山线束有限公司", "长春整车有限公司"} <= set(by_name)  # the counties' firms and their customer
    # (Kunshan alone would not do: under the authors' rule a customer draws a stopped supplier's share of an input
    # industry from the other supplier's stock — docs/engine.md)
    assert by_name["长春整车有限公司"][8].startswith("3670 ")  # the input that bound it, with its name
    lowest = by_name["长春整车有限公司"][7]
    assert lowest == f"{float(lowest):.1f}" and float(lowest) < 90
    daily = rows(tmp_path / "kunshan_daily.csv")
    assert len(daily) == 21 and all(len(value.split(".")[-1]) <= 1 for row in daily[1:] for value in row[1:])
    with unit_of_work(desk.engine) as session:
        assert session.query(AnalysisRun).one().owner_name.startswith("cli:")
