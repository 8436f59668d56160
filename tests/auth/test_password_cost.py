"""The argon2id cost: production keeps argon2's defaults; only the test suite (tests/conftest.py) lowers it."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher

from chainkeeper.auth.passwords import hash_password, needs_rehash, verify_password
from chainkeeper.config import Settings, get_settings
from conftest import TEST_PASSWORD_COST


@pytest.fixture
def production_cost(monkeypatch):
    """The settings as an installation without ``CHAINKEEPER_PASSWORD_HASH_*`` has them."""
    for key in TEST_PASSWORD_COST:
        monkeypatch.delenv(key)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def test_the_default_cost_is_argon2s_own(production_cost):
    library = PasswordHasher()
    settings = Settings()
    assert (settings.password_hash_time_cost, settings.password_hash_memory_kib, settings.password_hash_parallelism) \
        == (library.time_cost, library.memory_cost, library.parallelism) == (3, 65536, 4)
    hashed = hash_password("Harbour-Crane-42")
    assert hashed.startswith("$argon2id$v=19$m=65536,t=3,p=4$") and verify_password(hashed, "Harbour-Crane-42")


def test_a_hash_of_the_lower_test_cost_is_renewed_at_the_production_cost(production_cost, monkeypatch):
    """A hash made at a lower cost (the test suite's, or an older default) is rehashed at the next sign-in."""
    cheap = PasswordHasher(time_cost=1, memory_cost=64, parallelism=1).hash("Harbour-Crane-42")
    assert verify_password(cheap, "Harbour-Crane-42") and not verify_password(cheap, "Harbour-Crane-43")
    assert needs_rehash(cheap)
    assert not needs_rehash(hash_password("Harbour-Crane-42"))


def test_the_suite_runs_at_the_lower_cost():
    """Guards the speed-up itself: every test (and every server it starts) hashes at the cost set in conftest."""
    assert hash_password("Harbour-Crane-42").startswith("$argon2id$v=19$m=64,t=1,p=1$")
