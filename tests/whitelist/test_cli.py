"""``chainkeeper whitelist``: check (exit code 1 when not recognised), export, lists, agreements."""

import pytest
from typer.testing import CliRunner
from whitelist.support import D0, make_list, publish

from chainkeeper.cli.main import app
from chainkeeper.config import get_settings
from chainkeeper.db import unit_of_work
from chainkeeper.whitelist.agreements import create_agreement


@pytest.fixture
def cli(engine, setup, monkeypatch):
    """Run a command on the test database, with Kunshan's firm on Jiangsu's list and the Delta agreement."""
    with unit_of_work(engine) as session:
        publish(session, setup, make_list(session, "32", "江苏白名单").id)
        create_agreement(session=session, actor=setup.ministry.actor, name="长三角互认", regions=["31", "32"],
                         categories=["strategic"], valid_from=D0)
    monkeypatch.setenv("CHAINKEEPER_DATABASE_URL", engine.url.render_as_string(hide_password=False))
    get_settings.cache_clear()
    yield lambda *args: CliRunner().invoke(app, ["whitelist", *args], catch_exceptions=False)
    get_settings.cache_clear()


def test_check_answers_with_its_basis(cli, setup):
    uscc = setup.world.kunshan["uscc"]
    result = cli("check", uscc, "310115", "--date", "2022-04-20", "--lang", "en")
    assert result.exit_code == 0 and "recognised" in result.output and "长三角互认" in result.output
    result = cli("check", uscc, "330206", "--date", "2022-04-20", "--lang", "en")
    assert result.exit_code == 1 and "not recognised" in result.output
    assert cli("check", uscc, "310115", "--date", "2022-04-19").exit_code == 1
    assert cli("check", uscc, "999999").exit_code == 2


def test_export_lists_and_agreements(cli, setup, tmp_path):
    out = tmp_path / "shanghai.csv"
    result = cli("export", "31", "--date", "2022-04-20", "--output", str(out), "--lang", "en")
    assert result.exit_code == 0 and setup.world.kunshan["uscc"] in out.read_text(encoding="utf-8-sig")
    xlsx = tmp_path / "shanghai.xlsx"
    assert cli("export", "31", "--output", str(xlsx)).exit_code == 0 and xlsx.read_bytes()[:2] == b"PK"
    assert "江苏白名单" in cli("lists", "--date", "2022-04-20").output
    assert "长三角互认" in cli("agreements").output
