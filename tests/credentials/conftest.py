"""Fixtures of the credential tests: a key directory in a temporary data dir, the small world, helpers."""

from __future__ import annotations

import pytest
from accounts_fixture import build_world

from chainkeeper.config import get_settings
from chainkeeper.core.keys import generate_key


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    """A fresh data directory that the settings point at."""
    monkeypatch.setenv("CHAINKEEPER_DATA_DIR", str(tmp_path))
    get_settings.cache_clear()
    yield tmp_path
    get_settings.cache_clear()


@pytest.fixture
def keys_dir(data_dir):
    """``<data_dir>/keys`` holding one signing key."""
    directory = data_dir / "keys"
    generate_key(directory)
    return directory


@pytest.fixture
def world(engine):
    """Firms in Kunshan, Ningbo and Changchun; one user per role (``user_<role>``, Kunshan bindings)."""
    return build_world(engine)


@pytest.fixture(autouse=True)
def _fresh_throttle():
    """Every test starts with no failed logins counted (tests sign in many times from one address)."""
    from chainkeeper.auth.api import login_throttle

    login_throttle.reset()
    yield
    login_throttle.reset()
