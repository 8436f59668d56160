"""Who acted: the person (or job) an audit event is attributed to."""

from __future__ import annotations

import getpass
import os
from dataclasses import dataclass


@dataclass(frozen=True)
class Actor:
    """The actor of a change; the auth layer builds it from the logged-in user and the request."""

    user_id: int | None
    name: str
    role: str | None = None
    client_address: str | None = None


SYSTEM = Actor(None, "system")
"""Scheduled jobs and migrations."""


def cli_actor() -> Actor:
    """The operating-system user running a command: ``cli:<user name>``."""
    try:
        user = getpass.getuser()
    except (OSError, KeyError):  # no login name and no passwd entry (some containers)
        user = f"uid{os.getuid()}" if hasattr(os, "getuid") else "unknown"
    return Actor(None, f"cli:{user}")
