"""Helpers of the fault-injection suite: run the real CLI, build import files, a token poller."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
from factories import enterprise_row, write_csv

SRC = Path(__file__).parents[2] / "src"


def cli_env(database_url: str | None, data_dir: Path, **extra: str) -> dict[str, str]:
    """The environment of a ``python -m chainkeeper`` subprocess on this checkout's sources and the database."""
    env = os.environ | {"CHAINKEEPER_DATA_DIR": str(data_dir), "PYTHONPATH": f"{SRC}{os.pathsep}"
                        + os.environ.get("PYTHONPATH", ""), "CHAINKEEPER_LANGUAGE": "en", "COLUMNS": "200"}
    env.pop("CHAINKEEPER_DATABASE_URL", None)
    if database_url:
        env["CHAINKEEPER_DATABASE_URL"] = database_url
    return env | extra


def run_cli(env: dict[str, str], *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    """``python -m chainkeeper ARGS`` to completion (text output)."""
    return subprocess.run([sys.executable, "-m", "chainkeeper", *args], env=env, capture_output=True, text=True,
                          timeout=timeout)


def start_cli(env: dict[str, str], *args: str) -> subprocess.Popen:
    """``python -m chainkeeper ARGS`` started in the background."""
    return subprocess.Popen([sys.executable, "-m", "chainkeeper", *args], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def enterprise_file(path: Path, count: int) -> list[dict[str, str]]:
    """A CSV of ``count`` new (valid) Kunshan enterprises; returns the rows."""
    rows = [enterprise_row() for _ in range(count)]
    write_csv(path, rows)
    return rows


class Poller(threading.Thread):
    """GET ``path`` with a bearer token every ``interval`` seconds until stopped; records the status codes."""

    def __init__(self, get, path: str, interval: float):
        super().__init__(daemon=True)
        self.get, self.path, self.interval = get, path, interval
        self.statuses: list[int] = []
        self.errors: list[str] = []
        self.halt = threading.Event()

    def run(self) -> None:
        while not self.halt.is_set():
            try:
                self.statuses.append(self.get(self.path).status_code)
            except (httpx.HTTPError, OSError) as error:
                self.errors.append(repr(error))
            time.sleep(self.interval)

    def stop(self) -> None:
        self.halt.set()
        self.join(timeout=30)


def run_in_process(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    """The same command in this process (much faster than a new interpreter on a busy machine): the CLI's commands
    with ``env``'s settings, its output and exit code in the shape of :func:`run_cli`."""
    from typer.testing import CliRunner

    from chainkeeper.cli.main import app
    from chainkeeper.config import get_settings

    keys = ("CHAINKEEPER_DATA_DIR", "CHAINKEEPER_DATABASE_URL", "CHAINKEEPER_LANGUAGE")
    saved = {key: os.environ.get(key) for key in keys}
    try:
        for key in keys:
            if env.get(key) is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = env[key]
        get_settings.cache_clear()
        result = CliRunner().invoke(app, list(args), catch_exceptions=False)
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        get_settings.cache_clear()
    return subprocess.CompletedProcess(args, result.exit_code, result.stdout, result.stderr)
