"""Fill an empty database with the demo economy, through the same import service users call."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import Engine

from chainkeeper.analysis.demo import create_demo_runs
from chainkeeper.audit.actor import SYSTEM
from chainkeeper.auth.demo import create_demo_users
from chainkeeper.coordination.demo import create_demo_cases
from chainkeeper.credentials.demo import create_demo_passes
from chainkeeper.db import unit_of_work
from chainkeeper.docking.demo import create_demo_docking
from chainkeeper.docking.board.demo import create_demo_board
from chainkeeper.demo.generator import DemoEconomy, generate_economy
from chainkeeper.errors import ChainkeeperError
from chainkeeper.monitoring.forecast.demo import create_demo_forecast
from chainkeeper.monitoring.indicators.demo import load_indicators_2022
from chainkeeper.monitoring.scheduling.demo import create_demo_scheduling
from chainkeeper.monitoring.warnings.demo import create_demo_warnings
from chainkeeper.registry.importing import import_rows
from chainkeeper.registry.service import registry_counts
from chainkeeper.whitelist.demo import create_demo_whitelists
from chainkeeper.monitoring.briefing.demo import create_demo_briefings

DEMO_TABLES = ("products", "enterprises", "links")


class DatabaseNotEmpty(ChainkeeperError):
    """The demo only fills an empty registry."""

    code = "not_empty"


@dataclass
class DemoSummary:
    """What the demo loaded."""

    counts: dict[str, int] = field(default_factory=dict)


def registry_is_empty(engine: Engine) -> bool:
    """True when no enterprise is registered."""
    with unit_of_work(engine) as session:
        return registry_counts(session=session)["enterprises"] == 0


def load_economy(engine: Engine, economy: DemoEconomy, progress: Callable[[str, int], None] | None = None) -> DemoSummary:
    """Import the economy's products, enterprises and links; a generator bug surfaces as an error here."""
    summary = DemoSummary()
    for table in DEMO_TABLES:
        report = import_rows(engine, table, economy.rows(table), source=f"demo/{table}", language="en",
                             progress=progress, actor=SYSTEM)
        if not report.ok:
            problems = "; ".join(issue.describe("en") for issue in report.issues[:5])
            raise ChainkeeperError(f"demo data failed validation: {problems}")
        summary.counts[table] = report.created + report.updated
    return summary


def load_demo(engine: Engine, *, n_firms: int = 3000, seed: int = 42,
              progress: Callable[[str, int], None] | None = None) -> DemoSummary:
    """Generate the demo economy and load it into an empty registry."""
    if not registry_is_empty(engine):
        raise DatabaseNotEmpty("the registry already holds enterprises; the demo fills an empty database only")
    summary = load_economy(engine, generate_economy(n_firms, seed=seed), progress)
    with unit_of_work(engine) as session:
        summary.counts["users"] = len(create_demo_users(session=session))
    with unit_of_work(engine) as session:  # white lists (needs a signing key under the data dir; made if missing)
        summary.counts.update(create_demo_whitelists(session=session))
    with unit_of_work(engine) as session:  # the Kunshan → Changchun truck of the story, with its signed pass
        summary.counts["vehicle passes"] = len(create_demo_passes(session=session, actor=SYSTEM) or [])
    summary.counts.update(create_demo_cases(engine))  # the coordination desk's cases, letters and their impact
    summary.counts.update(create_demo_runs(engine))  # the April 2022 scenario, kept for the analysis workspace
    summary.counts.update(load_indicators_2022(engine))  # the published 2022 monthly indicators (value added, PMI, …)
    summary.counts.update(create_demo_scheduling(engine))  # the 15 key auto groups' daily reports, April 11–24
    summary.counts.update(create_demo_forecast(engine))  # stoppage forecast of 2022-04-24 and its backtest
    summary.counts.update(create_demo_warnings(engine))  # early-warning rules and the April 2022 warnings
    summary.counts.update(create_demo_docking(engine))  # docking: a week of February 2020 medical-supplies scheduling
    summary.counts.update(create_demo_board(engine))  # the matching board: auto chips 2021, masks 2020, events
    summary.counts.update(create_demo_briefings(engine))  # the April 2022 briefings (national, 31, 32, 22)
    return summary
