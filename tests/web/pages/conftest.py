"""Fixtures of the page tests: the small world of accounts_fixture, a page client, and signing in through the form."""

from __future__ import annotations

import pytest
from accounts_fixture import build_world
from fastapi.testclient import TestClient

from chainkeeper.auth.api import login_throttle
from chainkeeper.web.app import create_app

@pytest.fixture(autouse=True)
def _fresh_throttle():
    """Page tests sign in often from one address; start each with a clean login window."""
    login_throttle.reset()
    yield
    login_throttle.reset()


@pytest.fixture
def world(engine):
    """Firms in Kunshan, Ningbo and Changchun with links, and one user per role (``user_<role>``)."""
    return build_world(engine)


@pytest.fixture
def client(engine):
    """A browser-like client of the application (no redirects followed unless asked)."""
    return TestClient(create_app(engine=engine), follow_redirects=False)
