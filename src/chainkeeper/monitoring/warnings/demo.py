"""The early-warning part of the demo: the rules the ministry and Shanghai set, and the warnings of April 2022 they
raise on the published indicators (and, where daily reports exist, the inventory lights of the reporting plants).

Runs after the indicators and the daily reports are loaded. The rules are created through the service by the demo
users (audited as them); the warnings are raised as the clock would raise them, without e-mails (the demo has no
mail server), for every month of 2022 that the series cover.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Engine, select

from chainkeeper.auth.audit import actor_of
from chainkeeper.auth.models import User
from chainkeeper.auth.service import principal_of
from chainkeeper.core.caller import Caller
from chainkeeper.db import unit_of_work
from chainkeeper.monitoring.warnings.evaluation import evaluate_indicator_rules, evaluate_inventory_rules
from chainkeeper.monitoring.warnings.models import INVENTORY
from chainkeeper.monitoring.warnings.service import RuleData, create_rule

PARTS = ["36", "38", "39", "29"]
"""Input industries of parts (automobile parts, electrical equipment, electronics, rubber and plastic)."""
RAW_MATERIALS = ["25", "26", "30", "31", "32", "33"]
"""Input industries of bulk raw materials (fuels, chemicals, non-metallic minerals, ferrous and non-ferrous metals)."""
RULES = (  # (user, rule)
    ("ministry", RuleData("iva_yoy", "below", {"threshold": 0}, "red", "", subregions=True)),
    ("ministry", RuleData("iva_yoy", "below_national", {"gap": 5}, "yellow", "", subregions=True)),
    ("ministry", RuleData("iva_yoy", "mom_drop", {"points": 5}, "yellow", "")),
    ("ministry", RuleData("iva_yoy", "robust_z", {"k": 3.5, "window": 24, "min_history": 8}, "blue", "")),
    ("ministry", RuleData("output_vehicles_yoy", "below", {"threshold": -20}, "red", "")),
    ("shanghai", RuleData("gio_yoy", "below", {"threshold": 0}, "red", "31")),
    ("ministry", RuleData(INVENTORY, "inventory_levels", {"red": 3, "inputs": PARTS}, "red", "")),
    ("ministry", RuleData(INVENTORY, "inventory_levels", {"red": 3, "yellow": 7, "blue": 15,
                                                          "inputs": RAW_MATERIALS}, "yellow", "")),
)
STORY_DAYS = [date(2022, 4, day) for day in range(11, 25)]
"""The days of the demo's daily reports (the Shanghai lockdown)."""


def _caller(session, username: str) -> Caller:
    user = session.scalar(select(User).where(User.username == username))
    principal = principal_of(user)
    return Caller(principal, actor_of(principal, ""))


def create_demo_warnings(engine: Engine) -> dict[str, int]:
    """Create the demo rules and raise the 2022 warnings; the counts for the demo summary."""
    with unit_of_work(engine) as session:
        for username, data in RULES:
            create_rule(session=session, caller=_caller(session, username), data=data)
    report = evaluate_indicator_rules(engine, periods="all", notify=False)
    for day in STORY_DAYS:
        with unit_of_work(engine) as session:
            report.merge(evaluate_inventory_rules(session, day=day, notify=False))
    return {"warning rules": len(RULES), "early warnings": len(report.raised)}
