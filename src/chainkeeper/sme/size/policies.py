"""Who may use the size self-test: anyone signed in (it computes; it stores nothing)."""

from __future__ import annotations

from chainkeeper.auth import policies

USE = policies.SIGNED_IN
