"""Settings from environment variables (``CHAINKEEPER_*``) and an optional TOML config file.

The config file is named by ``CHAINKEEPER_CONFIG``; environment variables override it.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

SUPPORTED_LANGUAGES = ("zh_CN", "en")


def _default_data_dir() -> Path:
    return Path.cwd() / "chainkeeper-data"


class Settings(BaseSettings):
    """Platform settings; every field can be set as ``CHAINKEEPER_<FIELD>``."""

    model_config = SettingsConfigDict(env_prefix="CHAINKEEPER_", extra="ignore")

    data_dir: Path = Field(default_factory=_default_data_dir)
    database_url: str | None = None
    language: str = "zh_CN"
    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = Field(default=1, ge=1, le=64)
    timezone: str = "Asia/Shanghai"

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        sources = [init_settings, env_settings]
        config_file = os.environ.get("CHAINKEEPER_CONFIG")
        if config_file:
            sources.append(TomlConfigSettingsSource(settings_cls, toml_file=Path(config_file)))
        return tuple(sources)

    @property
    def resolved_database_url(self) -> str:
        """The database URL; SQLite in the data directory unless ``database_url`` is set."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.data_dir / 'chainkeeper.db'}"


@lru_cache
def get_settings() -> Settings:
    """The process-wide settings (read once)."""
    return Settings()
