"""Who acts on a service: the principal (for the guards) and the audit actor (for the trail)."""

from __future__ import annotations

from dataclasses import dataclass

from chainkeeper.audit.actor import Actor
from chainkeeper.auth.roles import Principal


@dataclass(frozen=True)
class Caller:
    """Who acts: the principal (for the guards) and the audit actor."""

    principal: Principal
    actor: Actor
