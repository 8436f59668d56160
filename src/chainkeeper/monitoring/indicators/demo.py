"""The indicators part of the demo: the published 2022 figures shipped with the package (see data/PROVENANCE.md)."""

from __future__ import annotations

import csv
from collections import defaultdict
from importlib import resources

from sqlalchemy import Engine

from chainkeeper.audit.actor import SYSTEM
from chainkeeper.db import unit_of_work
from chainkeeper.monitoring.indicators.importing import store
from chainkeeper.monitoring.indicators.parsing import Observation

DATA = "indicators_2022.csv"


def published_2022() -> dict[str, list[Observation]]:
    """The shipped figures by indicator code (row = line of the CSV)."""
    text = resources.files("chainkeeper.monitoring.indicators").joinpath("data", DATA).read_text("utf-8")
    out: dict[str, list[Observation]] = defaultdict(list)
    for row, record in enumerate(csv.DictReader(text.splitlines()), start=2):
        out[record["indicator"]].append(Observation(
            record["region_code"], record["industry_code"], record["period"], float(record["value"]),
            int(record["combined_months"]), row, "value"))
    return dict(out)


def load_indicators_2022(engine: Engine) -> dict[str, int]:
    """Store the 2022 figures (one transaction, one audit event per indicator)."""
    from chainkeeper.audit.service import record

    count = 0
    with unit_of_work(engine) as session:
        for code, observations in published_2022().items():
            created, updated = store(session, code, observations, f"package:{DATA}")
            count += created + updated
            record(session=session, actor=SYSTEM, action="indicator.import", object_type="indicator",
                   object_id=code, after={"file": DATA, "rows": len(observations)})
    return {"indicator figures": count}
