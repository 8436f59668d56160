"""Demo passes: a truck carrying seats from the Kunshan seat/harness supplier to the Changchun OEM."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from chainkeeper.audit.actor import Actor
from chainkeeper.credentials.models import PassStatus, VehiclePass
from chainkeeper.credentials.passes import PassApplication, apply_for_pass, approve_pass
from chainkeeper.registry.models import Enterprise

DEMO_PLATE = "苏EH2T66"
ORIGIN, DESTINATION = "320583", "220104"  # Kunshan → Changchun Chaoyang district
DEMO_ROUTE = "昆山 G2京沪高速 → G25长深高速 → G1京哈高速 → 长春"


def _supplier(session: Session) -> Enterprise | None:
    query = (select(Enterprise).where(Enterprise.county_code == ORIGIN, Enterprise.industry_code == "3670")
             .order_by(Enterprise.id).limit(1))
    return session.scalar(query)


def create_demo_passes(*, session: Session, actor: Actor, key_dir: Path | None = None) -> list[VehiclePass]:
    """Apply for and approve the demo pass (needs a signing key: see ``ensure_signing_key``); idempotent.

    ``key_dir`` defaults to ``<data_dir>/keys`` of the settings.
    """
    supplier = _supplier(session)
    if supplier is None:
        return []
    existing = session.scalar(select(VehiclePass).where(VehiclePass.plate == DEMO_PLATE,
                                                        VehiclePass.status == PassStatus.approved))
    if existing is not None:
        return [existing]
    today = datetime.now(ZoneInfo("Asia/Shanghai")).date()
    application = PassApplication(goods_category="汽车座椅总成", origin_code=ORIGIN, destination_code=DESTINATION,
                                  route=DEMO_ROUTE, plate=DEMO_PLATE, valid_from=today,
                                  valid_until=today + timedelta(days=30),
                                  crew=[("王建国", "13912345678"), ("李强", "13812345678")])
    vehicle_pass = apply_for_pass(session=session, actor=actor, enterprise_id=supplier.id, application=application)
    return [approve_pass(session=session, actor=actor, vehicle_pass=vehicle_pass, key_dir=key_dir)]
