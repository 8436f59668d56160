"""Fixtures shared by the web tests."""
from __future__ import annotations

import anyio.to_thread
import pytest


@pytest.fixture
def hops(monkeypatch):
    """The functions sent to the thread pool since the fixture started (a spy around the real ``run_sync``)."""
    calls = []
    real = anyio.to_thread.run_sync

    async def counting(func, *args, **kwargs):
        calls.append(getattr(func, "__qualname__", repr(func)))
        return await real(func, *args, **kwargs)

    monkeypatch.setattr(anyio.to_thread, "run_sync", counting)
    return calls
