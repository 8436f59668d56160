"""The analysis tests reuse the desk's world: Kunshan and Wuxi (Jiangsu) and Ningbo (Zhejiang) supply Changchun."""

import pytest
from coordination.desk_support import build_desk

from chainkeeper.auth.api import login_throttle


@pytest.fixture
def desk(engine, compiled_engine):
    """Firms, links and one user per role (``analyst``, ``jiangsu``, ``jilin``, ``oem`` …); the engine compiled."""
    login_throttle.reset()
    return build_desk(engine)
