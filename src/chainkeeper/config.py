"""Settings from environment variables (``CHAINKEEPER_*``) and an optional TOML config file.

The config file is named by ``CHAINKEEPER_CONFIG``; environment variables override it.
"""

from __future__ import annotations

import json
import os
from functools import lru_cache
from pathlib import Path
from typing import Annotated

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import (
    BaseSettings,
    NoDecode,
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
    # PostgreSQL connection pool of each serving process (chainkeeper.db.make_engine): this many connections are
    # kept open once opened (reused most-recent-first), ``db_max_overflow`` more only for bursts beyond them (those
    # are closed again when given back: a backend start and a login each time)
    db_pool_size: int = Field(default=20, ge=1, le=500)
    db_max_overflow: int = Field(default=10, ge=0, le=500)
    language: str = "zh_CN"
    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = Field(default=1, ge=1, le=64)
    timezone: str = "Asia/Shanghai"
    min_free_disk_mb: int = Field(default=256, ge=0)  # /health reports "low_disk" below this much free space

    # imports (chainkeeper.registry.importing.limits): rows per file and the largest file; an XLSX may unpack to
    # four times the file limit
    import_max_rows: int = Field(default=1_000_000, ge=1)  # chainkeeper import
    import_max_mb: int = Field(default=1024, ge=1)
    web_import_max_rows: int = Field(default=200_000, ge=1)  # the import page and uploaded letter lists
    web_import_max_mb: int = Field(default=50, ge=1)
    public_url: str | None = None  # the address phones reach the platform at, put into QR codes (else the request's)

    # notifications (chainkeeper.notifications): e-mail is off while smtp_host is unset, webhooks while
    # webhook_urls is empty; nothing is enqueued for a channel that is off
    smtp_host: str | None = None
    smtp_port: int = Field(default=587, ge=1, le=65535)
    smtp_sender: str = "chainkeeper@localhost"
    smtp_starttls: bool = True  # STARTTLS before sending; the password is only ever sent over TLS
    smtp_ssl: bool = False  # implicit TLS from the first byte (usually port 465); excludes STARTTLS
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None
    webhook_urls: Annotated[list[str], NoDecode] = Field(default_factory=list)  # env: comma-separated or JSON
    webhook_secret: SecretStr | None = None
    notification_max_attempts: int = Field(default=6, ge=1, le=50)
    notification_timeout: float = Field(default=10.0, gt=0, le=300)  # seconds, per network operation

    # coordination desk (chainkeeper.coordination)
    desk_tick_seconds: int = Field(default=60, ge=0, le=3600)  # the in-process scheduler's period; 0 = off
    desk_auto_confirm_days: int = Field(default=3, ge=1, le=30)  # working days without objection → resolved
    desk_escalate_after_hours: float = Field(default=24.0, ge=0, le=720)  # overdue this long → escalated
    desk_time_limits: dict[str, dict[str, str]] = Field(default_factory=dict)  # per category: {"resolve": "3h"}

    # audit log (chainkeeper.audit.anchor): a signed checkpoint of its head this often while serving; 0 = off
    audit_checkpoint_seconds: int = Field(default=3600, ge=0, le=7 * 86400)

    # password hashing (chainkeeper.auth.passwords): argon2id's cost; the defaults are argon2-cffi's own (RFC 9106's
    # low-memory choice: 3 passes over 64 MiB, 4 lanes). Only the test suite lowers them, to save minutes of hashing.
    password_hash_time_cost: int = Field(default=3, ge=1, le=20)
    password_hash_memory_kib: int = Field(default=65536, ge=64, le=4 * 1024 * 1024)
    password_hash_parallelism: int = Field(default=4, ge=1, le=16)

    # reverse proxies whose X-Forwarded-For/-Proto are believed (IPs or CIDRs); env: comma-separated; default none
    trusted_proxies: Annotated[list[str], NoDecode] = Field(default_factory=list)

    @field_validator("webhook_urls", "trusted_proxies", mode="before")
    @classmethod
    def _split_webhook_urls(cls, value: object) -> object:
        if isinstance(value, str):
            text = value.strip()
            if text.startswith("["):
                return json.loads(text)
            return [part.strip() for part in text.replace("\n", ",").split(",") if part.strip()]
        return value

    @field_validator("webhook_urls")
    @classmethod
    def _check_webhook_urls(cls, value: list[str]) -> list[str]:
        for url in value:
            if not url.lower().startswith(("http://", "https://")):
                raise ValueError("webhook URLs must start with http:// or https://")
        return value

    @field_validator("trusted_proxies")
    @classmethod
    def _check_trusted_proxies(cls, value: list[str]) -> list[str]:
        from ipaddress import ip_network

        for entry in value:
            try:
                ip_network(entry, strict=False)
            except ValueError:
                raise ValueError(f"not an IP address or network: {entry}") from None
        return value

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
