"""Settings from environment variables and an optional TOML file."""

from chainkeeper.config import Settings


def test_defaults_put_sqlite_in_the_data_dir(monkeypatch, tmp_path):
    monkeypatch.delenv("CHAINKEEPER_DATABASE_URL", raising=False)
    monkeypatch.setenv("CHAINKEEPER_DATA_DIR", str(tmp_path))
    settings = Settings()
    assert settings.resolved_database_url == f"sqlite:///{tmp_path / 'chainkeeper.db'}"
    assert settings.language == "zh_CN"


def test_config_file_is_read_and_environment_wins(monkeypatch, tmp_path):
    config = tmp_path / "chainkeeper.toml"
    config.write_text('language = "en"\nport = 9000\ndatabase_url = "postgresql+psycopg://u:p@db/ck"\n')
    monkeypatch.setenv("CHAINKEEPER_CONFIG", str(config))
    monkeypatch.setenv("CHAINKEEPER_PORT", "8100")
    monkeypatch.delenv("CHAINKEEPER_DATABASE_URL", raising=False)
    settings = Settings()
    assert (settings.language, settings.port) == ("en", 8100)
    assert settings.resolved_database_url == "postgresql+psycopg://u:p@db/ck"
