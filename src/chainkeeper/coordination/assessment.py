"""The engine's answer stored on a case: who stops, when, and how much output is at risk (the queue's priority).

A blocking enterprise is simulated as stopped; a blocking place (a closed exit, a locked-down county) as a
half-capacity cut of the registered firms there, for the horizon."""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from chainkeeper.coordination.impact import Impact, assess_impact
from chainkeeper.coordination.models import OPEN_STATES, Case
from chainkeeper.coordination.service import moment
from chainkeeper.db import unit_of_work

HORIZON_DAYS = 30
REGION_CUT = 0.5
SHOWN_FIRMS = 20


def impact_summary(impact: Impact) -> dict:
    """The JSON kept on the case (the figures of the panel and the first affected firms)."""
    firms = [{"id": f.enterprise_id, "uscc": f.uscc, "name": f.name, "day_below_90": f.day_below_90,
              "day_below_50": f.day_below_50, "min_level": round(f.min_level, 4), "listed": f.listed}
             for f in impact.affected[:SHOWN_FIRMS]]
    return {"horizon_days": impact.horizon_days, "n_blocked": impact.n_blocked, "n_affected": impact.n_affected,
            "n_listed_affected": impact.n_listed_affected, "n_listed_stopping": impact.n_listed_stopping,
            "listed_within_days": (impact.listed_stop_days[-1] + 1) if impact.listed_stop_days else None,
            "first_stop_day": impact.first_stop_day, "output_at_risk_cny": round(impact.output_at_risk_cny, 2),
            "blocked_output_cny": round(impact.blocked_output_cny, 2), "firms": firms}


def assess_case(*, session: Session, case: Case, now: datetime | None = None) -> Impact:
    """Run the engine for the case's blocking party and store the result on the case."""
    now = moment(now)
    if case.blocking_enterprise_id is not None:
        impact = assess_impact(session=session, enterprise_id=case.blocking_enterprise_id, on=now.date(),
                               horizon_days=HORIZON_DAYS)
    else:
        impact = assess_impact(session=session, region_code=case.blocking_region_code, on=now.date(),
                               horizon_days=HORIZON_DAYS, cut=REGION_CUT)
    # a plain UPDATE, not through the ORM: the case's version stays, so a person acting on the case meanwhile is
    # not turned away with a conflict because the engine wrote its figures
    session.execute(update(Case).where(Case.id == case.id).values(
        impact=json.dumps(impact_summary(impact), ensure_ascii=False), impact_priority=float(impact.priority),
        impact_at=now).execution_options(synchronize_session="fetch"))
    return impact


def assess_pending(engine: Engine, *, now: datetime | None = None, errors: list[str] | None = None,
                   limit: int = 200) -> int:
    """Assess open cases that have no impact yet (each in its own transaction); returns how many."""
    with unit_of_work(engine) as session:
        ids = list(session.scalars(select(Case.id).where(Case.impact_at.is_(None), Case.state.in_(OPEN_STATES))
                                   .order_by(Case.id).limit(limit)))
    done = 0
    for case_id in ids:
        try:
            with unit_of_work(engine, immediate=True) as session:
                case = session.get(Case, case_id)
                if case is not None and case.impact_at is None:
                    assess_case(session=session, case=case, now=now)
                    done += 1
        except Exception as error:  # noqa: BLE001 - a failed assessment leaves the case unassessed, not stuck
            if errors is not None:
                errors.append(f"case {case_id}: impact: {type(error).__name__}: {error}")
    return done
