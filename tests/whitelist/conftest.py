"""Fixtures of the white-list tests: the small world with extra firms, a data dir with a signing key."""

from __future__ import annotations

import pytest
from accounts_fixture import build_world
from factories import enterprise_row
from whitelist.support import Setup, caller

from chainkeeper.auth.roles import Role
from chainkeeper.config import get_settings
from chainkeeper.credentials import models as credential_models  # noqa: F401  (their rows are cleared too)
from chainkeeper.db import unit_of_work
from chainkeeper.registry.importing import import_rows
from chainkeeper.registry.service import get_enterprise
from chainkeeper.whitelist import certificates
from chainkeeper.whitelist.agreements import ensure_default_categories


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    """A fresh data directory with a signing key."""
    monkeypatch.setenv("CHAINKEEPER_DATA_DIR", str(tmp_path))
    get_settings.cache_clear()
    certificates.ensure_key()
    yield tmp_path
    get_settings.cache_clear()


@pytest.fixture
def setup(engine, data_dir) -> Setup:
    """Kunshan, Ningbo, Changchun (from accounts_fixture) plus a Shanghai and a Wuxi firm."""
    world = build_world(engine)
    extra = [enterprise_row(name="上海整车有限公司", county_code="310115", industry_code="3611"),
             enterprise_row(name="无锡轴承有限公司", county_code="320214")]
    assert import_rows(engine, "enterprises", extra).written
    with unit_of_work(engine) as session:
        ensure_default_categories(session=session)  # clear_data empties every non-reference table
        ids = {name: get_enterprise(session=session, uscc=row["uscc"]).id for name, row in
               (("kunshan", world.kunshan), ("ningbo", world.ningbo), ("changchun", world.changchun),
                ("shanghai", extra[0]), ("wuxi", extra[1]))}
    return Setup(world, ids, caller(Role.enterprise, enterprise_id=ids["kunshan"]), caller(Role.county, region="320583"),
                 caller(Role.city, region="3205"), caller(Role.province, region="32"), caller(Role.ministry))
