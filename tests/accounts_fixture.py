"""A small registry and one user per role, for access tests."""

from __future__ import annotations

from dataclasses import dataclass

from factories import enterprise_row, link_row

from chainkeeper.auth.roles import Role
from chainkeeper.auth.service import create_user
from chainkeeper.db import unit_of_work
from chainkeeper.registry.importing import import_rows
from chainkeeper.registry.service import get_enterprise

PASSWORD = "correct-horse-42"


@dataclass
class World:
    """Firms in Jiangsu (Kunshan), Zhejiang (Ningbo) and Jilin (Changchun), a link between each, and users."""

    kunshan: dict
    ningbo: dict
    changchun: dict
    users: dict[str, str]  # role name → username


ROLE_BINDINGS = {
    Role.county: "320583",  # Kunshan
    Role.city: "3205",  # Suzhou
    Role.province: "32",  # Jiangsu
}


def build_world(engine) -> World:
    """Import the firms and links, and create the users."""
    kunshan = enterprise_row(name="昆山线束有限公司", county_code="320583")
    ningbo = enterprise_row(name="宁波座椅有限公司", county_code="330206")
    changchun = enterprise_row(name="长春整车有限公司", county_code="220104", industry_code="3611", size="large")
    assert import_rows(engine, "enterprises", [kunshan, ningbo, changchun]).written
    links = [link_row(kunshan["uscc"], changchun["uscc"]), link_row(ningbo["uscc"], changchun["uscc"])]
    assert import_rows(engine, "links", links).written
    users = {}
    with unit_of_work(engine) as session:
        kunshan_id = get_enterprise(session=session, uscc=kunshan["uscc"]).id
        for role in Role:
            username = f"user_{role.value}"
            create_user(session=session, username=username, password=PASSWORD, display_name=role.value,
                        roles={role}, enterprise_id=kunshan_id if role is Role.enterprise else None,
                        region_code=ROLE_BINDINGS.get(role))
            users[role.value] = username
    return World(kunshan, ningbo, changchun, users)


def login(client, username: str, password: str = PASSWORD) -> str:
    """Sign in through the API; returns the CSRF token (the client keeps the cookie)."""
    response = client.post("/api/v1/auth/login", json={"username": username, "password": password})
    assert response.status_code == 200, response.text
    return response.json()["csrf_token"]
