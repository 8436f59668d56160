"""The command line, run in-process against the test database of each backend."""

import pytest
from typer.testing import CliRunner

from chainkeeper.cli.main import app
from chainkeeper.config import get_settings


@pytest.fixture
def cli(engine, monkeypatch):
    """``cli("import", "links", path)`` runs a command on the test database and returns its result."""
    monkeypatch.setenv("CHAINKEEPER_DATABASE_URL", engine.url.render_as_string(hide_password=False))
    get_settings.cache_clear()
    runner = CliRunner()
    yield lambda *args: runner.invoke(app, list(args), catch_exceptions=False)
    get_settings.cache_clear()
