"""The demo's users: one per role, with documented passwords, created on demo data only."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from chainkeeper.auth.models import User
from chainkeeper.auth.roles import Role
from chainkeeper.auth.service import create_user
from chainkeeper.registry.models import Enterprise

DEMO_USERS = (
    # username, display name, role, region binding
    ("admin", "系统管理员", Role.admin, None),
    ("ministry", "工信部协调员", Role.ministry, None),
    ("analyst", "产业链分析员", Role.analyst, None),
    ("jiangsu", "江苏省工信厅", Role.province, "32"),
    ("jilin", "吉林省工信厅", Role.province, "22"),
    ("shanghai", "上海市经信委", Role.province, "31"),
    ("suzhou", "苏州市工信局", Role.city, "3205"),
    ("kunshan", "昆山市工信局", Role.county, "320583"),
    ("oem", "长春整车企业", Role.enterprise, None),
)


def demo_password(username: str) -> str:
    """The documented demo password of a demo user: ``<username>-demo-2022``."""
    return f"{username}-demo-2022"


def _changchun_oem(session: Session) -> int | None:
    query = (select(Enterprise.id).where(Enterprise.city_code == "2201", Enterprise.industry_code.in_(("3611", "3612")))
             .order_by(Enterprise.id).limit(1))
    return session.scalar(query)


def create_demo_users(*, session: Session) -> list[str]:
    """Create the demo users that do not exist yet; returns their usernames."""
    created = []
    oem = _changchun_oem(session)
    for username, display_name, role, region in DEMO_USERS:
        if session.scalar(select(User.id).where(User.username == username)) is not None:
            continue
        if role is Role.enterprise and oem is None:
            continue
        create_user(session=session, username=username, password=demo_password(username), display_name=display_name,
                    roles={role}, region_code=region, enterprise_id=oem if role is Role.enterprise else None)
        created.append(username)
    return created
