"""The board tests' world: the docking firms (mask makers in Wuhan and Changsha, hospitals in Wuhan and Xiaogan)
and users, each with an e-mail address, and the catalogue seeded."""

from __future__ import annotations

from datetime import date, timedelta

from docking.support import FIRMS, USERS
from factories import PASSWORD, create_users, enterprise_row, import_registry, new_uscc  # noqa: F401
from reporting.support import World

from chainkeeper.db import unit_of_work
from chainkeeper.docking import catalogue
from chainkeeper.docking.board import posts
from chainkeeper.docking.board.posts import PostIn

TODAY = date(2020, 2, 10)


def build_board(engine) -> World:
    ids = import_registry(engine, {key: enterprise_row(name=name, county_code=county, uscc=new_uscc(county))
                                   for key, (name, county) in FIRMS.items()})
    with unit_of_work(engine) as session:
        user_ids = create_users(session, USERS, ids, email_domain="example.com")
        catalogue.ensure_catalogue(session)
    return World(ids, user_ids, engine)


def listing(title="N95医用防护口罩 日产能", county="420112", capacity=10000.0, lead=2, good="med_n95",
            visibility="public", **extra) -> PostIn:
    return PostIn(title=title, unit="只", county_code=county, good_code=good, capacity_per_day=capacity,
                  lead_time_days=lead, visibility=visibility, **extra)


def need(title="求购N95口罩", county="420105", quantity=30000.0, days=5, good="med_n95", visibility="public",
         **extra) -> PostIn:
    return PostIn(title=title, unit="只", county_code=county, good_code=good, quantity=quantity,
                  date_needed=TODAY + timedelta(days=days), visibility=visibility, **extra)


def post(world, who: str, kind: str, data: PostIn) -> int:
    with unit_of_work(world.engine) as session:
        return posts.create(session=session, caller=world.caller(who), kind=kind, data=data).id
