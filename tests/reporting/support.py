"""The reporting tests' world: firms in Jiangsu, Shanghai and Jilin, users per role, and a small generic report
type (nothing monitoring-specific: the framework is tested on its own example)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timezone

from factories import caller_of, create_users, enterprise_row, import_registry
from factories import PASSWORD  # noqa: F401 - the tests of this area import it from here

from chainkeeper.auth.roles import Role
from chainkeeper.core.caller import Caller
from chainkeeper.db import unit_of_work
from chainkeeper.reporting import service

DAY = date(2022, 4, 18)
MORNING = datetime(2022, 4, 18, 1, 0, tzinfo=timezone.utc)  # 09:00 in Shanghai
EVENING = datetime(2022, 4, 18, 10, 0, tzinfo=timezone.utc)  # 18:00 in Shanghai, after a 17:00 cut-off

FIRMS = {"kunshan": ("昆山示例电子有限公司", "320583"), "suzhou": ("苏州示例机械有限公司", "320505"),
         "shanghai": ("上海示例汽车有限公司", "310115"), "changchun": ("长春示例整车有限公司", "220104")}
USERS = {  # username → (role, region, firm)
    "kunshan_user": (Role.enterprise, None, "kunshan"),
    "shanghai_user": (Role.enterprise, None, "shanghai"),
    "jiangsu": (Role.province, "32", None),
    "suzhou_city": (Role.city, "3205", None),
    "shanghai_gov": (Role.province, "31", None),
    "ministry": (Role.ministry, None, None),
    "analyst": (Role.analyst, None, None),
    "admin": (Role.admin, None, None),
}

EXAMPLE_FIELDS = [
    {"key": "output", "label_zh": "产量", "label_en": "Output", "kind": "integer", "unit": "件", "min": 0,
     "required": True},
    {"key": "value", "label_zh": "产值", "label_en": "Output value", "kind": "number", "unit": "万元", "min": 0},
    {"key": "utilisation", "label_zh": "产能利用率", "label_en": "Capacity utilisation", "kind": "percent",
     "unit": "%", "max": 150},
    {"key": "status", "label_zh": "运行状态", "label_en": "Status", "kind": "choice",
     "choices": [["normal", "正常", "Normal"], ["reduced", "减产", "Reduced"], ["stopped", "停产", "Stopped"]]},
    {"key": "stock", "label_zh": "库存", "label_en": "Stock", "kind": "table", "max_rows": 5, "columns": [
        {"key": "item", "label_zh": "物料", "label_en": "Item", "kind": "text", "max_length": 40, "required": True},
        {"key": "days", "label_zh": "可用天数", "label_en": "Days", "kind": "number", "unit": "天", "min": 0,
         "required": True}]},
    {"key": "note", "label_zh": "说明", "label_en": "Note", "kind": "text", "max_length": 200},
]
GOOD = {"output": 120, "value": "35.5", "utilisation": 80, "status": "normal",
        "stock": [{"item": "芯片", "days": 4}], "note": "正常生产"}


@dataclass
class World:
    """Enterprise ids by key, user ids by name."""

    ids: dict[str, int]
    user_ids: dict[str, int]
    engine: object

    def caller(self, username: str) -> Caller:
        """The caller for a test user, read back from the database (its real roles and bindings)."""
        return caller_of(self.engine, self.user_ids[username])


def build_world(engine, *, with_type: bool = True) -> World:
    """The firms, the users (with e-mail addresses) and, unless told otherwise, the example type assigned to the
    Kunshan, Suzhou and Shanghai firms from 2022-04-01."""
    ids = import_registry(engine, {key: enterprise_row(name=name, county_code=county)
                                   for key, (name, county) in FIRMS.items()})
    with unit_of_work(engine) as session:
        user_ids = create_users(session, USERS, ids, email_domain="example.com")
    world = World(ids, user_ids, engine)
    if with_type:
        define_example(world)
    return world


def define_example(world: World, code: str = "example_daily") -> None:
    """Define the example type (national, cut-off 17:00) and assign three firms to it."""
    ministry = world.caller("ministry")
    with unit_of_work(world.engine) as session:
        service.define_type(session=session, caller=ministry, code=code, name_zh="示例日报", name_en="Example daily",
                            fields=EXAMPLE_FIELDS, cutoff_local="17:00", remind_before_minutes=120)
        service.assign(session=session, caller=ministry, type_code=code, group_name="示例组",
                       enterprise_ids=[world.ids["kunshan"], world.ids["suzhou"], world.ids["shanghai"]],
                       since=date(2022, 4, 1))
