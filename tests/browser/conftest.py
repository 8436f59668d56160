"""A real server (uvicorn in a subprocess, SQLite demo data in a temporary directory) and Debian's Chromium.

The browser tests skip when /usr/bin/chromium (or Playwright) is missing, unless CHAINKEEPER_REQUIRE_BROWSER=1.
Screenshots go to docs/screenshots/ only when CHAINKEEPER_SCREENSHOTS=1.
"""

from __future__ import annotations

import os
from contextlib import contextmanager
import socket
import subprocess
import sys
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
SCREENSHOTS = Path(__file__).parents[2] / "docs" / "screenshots"


def _unavailable(reason: str) -> None:
    if os.environ.get("CHAINKEEPER_REQUIRE_BROWSER") == "1":
        pytest.fail(f"CHAINKEEPER_REQUIRE_BROWSER=1 but {reason}")
    pytest.skip(reason)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def data_dir_settings(data_dir: Path):
    """Inside the block, this process's settings use ``data_dir`` (database, signing keys, attachments)."""
    from chainkeeper.config import get_settings

    previous = os.environ.get("CHAINKEEPER_DATA_DIR")
    os.environ["CHAINKEEPER_DATA_DIR"] = str(data_dir)
    get_settings.cache_clear()
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop("CHAINKEEPER_DATA_DIR")
        else:
            os.environ["CHAINKEEPER_DATA_DIR"] = previous
        get_settings.cache_clear()


def load_demo_into(data_dir: Path):
    """Put the small demo (300 firms, seed 7) into ``data_dir`` as the server will see it; returns its engine.

    The demo is loaded once per run and copied (tests/db_templates.py): each server still gets its own data."""
    from db_templates import copy_demo

    from chainkeeper.db import make_engine

    copy_demo(data_dir)
    return make_engine(f"sqlite:///{data_dir / 'chainkeeper.db'}")


@contextmanager
def live_server(data_dir: Path):
    """``chainkeeper serve`` on ``data_dir`` in a subprocess; yields its base URL."""
    port, env = _free_port(), os.environ | {"CHAINKEEPER_DATA_DIR": str(data_dir)}
    env.pop("CHAINKEEPER_DATABASE_URL", None)
    log_path = data_dir / "server.log"
    with log_path.open("wb") as log:  # a file, not a pipe: an unread pipe fills up and blocks the server
        server = subprocess.Popen([sys.executable, "-m", "chainkeeper", "serve", "--port", str(port)], env=env,
                                  stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(server, url, log_path)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=20)


def _wait_until_up(server: subprocess.Popen, url: str, log_path: Path) -> None:
    from server_start import wait_until_up

    wait_until_up(server, url, lambda: log_path.read_text(errors="replace"))


@pytest.fixture(scope="session")
def chromium_path() -> str:
    """Debian's Chromium, or a skip (a failure when the browser is required)."""
    if not CHROMIUM.exists():
        _unavailable(f"{CHROMIUM} is missing (apt-get install chromium fonts-noto-cjk)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        _unavailable("the playwright package is not installed")
    return str(CHROMIUM)


@pytest.fixture(scope="session")
def base_url(chromium_path, tmp_path_factory) -> str:
    """The address of a live server on the demo data (users admin, jiangsu, kunshan … see auth/demo.py)."""
    data_dir = tmp_path_factory.mktemp("browser-data")
    load_demo_into(data_dir).dispose()
    with live_server(data_dir) as url:
        yield url


@pytest.fixture(scope="session")
def browser(chromium_path):
    """One headless Chromium for the session."""
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=15_000)  # the first page of a cold server on a loaded machine may be slow
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, base_url):
    """A fresh browser context (no cookies) showing Chinese by default, 1400×900."""
    context = browser.new_context(base_url=base_url, locale="zh-CN", viewport={"width": 1400, "height": 900})
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


@pytest.fixture
def screenshot():
    """Save a full-page screenshot as docs/screenshots/<name>.png when CHAINKEEPER_SCREENSHOTS=1."""
    def take(page, name: str) -> None:
        if os.environ.get("CHAINKEEPER_SCREENSHOTS") == "1":
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
    return take
