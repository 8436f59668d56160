"""The FastAPI application factory; every feature contributes its router here."""

from __future__ import annotations

import gc
import logging

from fastapi import FastAPI
from fastapi.concurrency import run_in_threadpool
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from chainkeeper import __version__
from chainkeeper.db import configured_engine
from chainkeeper.health import HealthProbe
from chainkeeper.analysis.api import router as analysis_router
from chainkeeper.analysis.pages import router as analysis_pages
from chainkeeper.analysis.runs import recover_orphans
from chainkeeper.auth import policies
from chainkeeper.auth.api import router as auth_router
from chainkeeper.coordination.api import router as desk_router
from chainkeeper.coordination.pages import router as desk_pages
from chainkeeper.coordination.pages_reports import router as desk_report_pages
from chainkeeper.coordination.scheduler import clock_lifespan
from chainkeeper.auth.deps import guard
from chainkeeper.credentials.api import router as credentials_router
from chainkeeper.credentials.pages import router as credential_pages
from chainkeeper.credentials.pass_pages import router as pass_pages
from chainkeeper.monitoring.indicators.api import router as indicators_router
from chainkeeper.monitoring.indicators.pages import router as indicators_pages
from chainkeeper.monitoring.scheduling.api import router as scheduling_router
from chainkeeper.monitoring.scheduling.pages import router as scheduling_pages
from chainkeeper.monitoring.warnings.api import router as warnings_router
from chainkeeper.monitoring.warnings.pages import router as warnings_pages
from chainkeeper.monitoring.briefing.api import router as briefing_router
from chainkeeper.monitoring.briefing.pages import router as briefing_pages
from chainkeeper.docking.api import router as docking_router
from chainkeeper.docking.pages import router as docking_pages
from chainkeeper.sme.pages import router as sme_pages
from chainkeeper.sme.policies.api import router as sme_policies_router
from chainkeeper.sme.policies.pages import router as sme_policies_pages
from chainkeeper.sme.size.api import router as sme_size_router
from chainkeeper.sme.size.pages import router as sme_size_pages
from chainkeeper.docking.board.api import router as board_router
from chainkeeper.docking.board.pages import router as board_pages
from chainkeeper.sme.ladder.api import router as ladder_router
from chainkeeper.sme.ladder.pages import router as ladder_pages
from chainkeeper.sme.arrears.api import router as arrears_router
from chainkeeper.sme.arrears.pages import router as arrears_pages
from chainkeeper.registry.api import router as registry_router
from chainkeeper.reporting.api import router as reporting_router
from chainkeeper.reporting.pages import router as reporting_pages
from chainkeeper.monitoring.forecast.api import router as forecast_router
from chainkeeper.monitoring.forecast.pages import router as forecast_pages
from chainkeeper.config import get_settings
from chainkeeper.web.docs import docs_router, install_openapi
from chainkeeper.web.errors import install_error_handlers
from chainkeeper.web.transport import ResponseHeaders, TrustedProxies
from chainkeeper.web.pages import build_router as page_router
from chainkeeper.web.pages import STATIC_DIR, mount_static
from chainkeeper.web.fast_paths import FastPaths
from chainkeeper.web.pickers import router as picker_router
from chainkeeper.web.route_filter import install_route_filter
from chainkeeper.whitelist.api import router as whitelist_router
from chainkeeper.whitelist.api_recognition import router as recognition_router
from chainkeeper.whitelist.pages import router as whitelist_pages
from chainkeeper.whitelist.pages_apply import router as whitelist_apply_pages

API_PREFIX = "/api/v1"
DOCS_URL = f"{API_PREFIX}/docs"


def _recover_orphan_jobs(engine: Engine) -> None:
    """Mark simulation jobs a dead serving process left running; with the database down the app still starts (its
    requests answer 503 until the database is back) and the jobs are marked on the next start."""
    try:
        recover_orphans(engine)
    except SQLAlchemyError as error:
        logging.getLogger(__name__).warning("could not check for orphaned simulation jobs: %s", error.__class__.__name__)


def create_app(*, engine: Engine | None = None, clock_seconds: int = 0, checkpoint_seconds: int = 0) -> FastAPI:
    """The application bound to ``engine`` (by default the configured database, migrated).

    ``clock_seconds`` > 0 runs the coordination desk's scheduled job in the background every so many seconds;
    ``checkpoint_seconds`` > 0 writes a signed checkpoint of the audit log's head that often.
    """
    app = FastAPI(title="chainkeeper", version=__version__, openapi_url=f"{API_PREFIX}/openapi.json",
                  docs_url=None, redoc_url=None, lifespan=clock_lifespan(clock_seconds, checkpoint_seconds))
    app.state.engine = engine if engine is not None else configured_engine()
    install_error_handlers(app)
    install_openapi(app)
    probe = HealthProbe(app.state.engine)
    app.add_middleware(FastPaths, probe=probe, static_dir=STATIC_DIR)  # inside ResponseHeaders: same headers
    app.add_middleware(ResponseHeaders)
    app.add_middleware(TrustedProxies, trusted=get_settings().trusted_proxies)  # outermost: runs first
    app.include_router(docs_router(docs_url=DOCS_URL, openapi_url=app.openapi_url, title=app.title))
    _recover_orphan_jobs(app.state.engine)
    app.include_router(auth_router, prefix=API_PREFIX)
    app.include_router(registry_router, prefix=API_PREFIX)
    app.include_router(credentials_router, prefix=API_PREFIX)
    app.include_router(page_router())
    app.include_router(credential_pages)
    app.include_router(pass_pages)
    app.include_router(whitelist_router, prefix=API_PREFIX)
    app.include_router(desk_router, prefix=API_PREFIX)
    app.include_router(recognition_router, prefix=API_PREFIX)
    app.include_router(picker_router, prefix=API_PREFIX)  # the shared region / enterprise pickers
    app.include_router(whitelist_apply_pages)  # before whitelist_pages: /whitelists/applications vs /{list_id}
    app.include_router(whitelist_pages)
    app.include_router(desk_pages)
    app.include_router(desk_report_pages)
    app.include_router(analysis_router, prefix=API_PREFIX)
    app.include_router(analysis_pages)
    app.include_router(reporting_router, prefix=API_PREFIX)
    app.include_router(reporting_pages)
    app.include_router(indicators_router, prefix=API_PREFIX)
    app.include_router(indicators_pages)
    app.include_router(forecast_router, prefix=API_PREFIX)  # stoppage forecasts (monitoring, lane C)
    app.include_router(forecast_pages)
    app.include_router(scheduling_router, prefix=API_PREFIX)  # daily scheduling: the picture, key groups
    app.include_router(scheduling_pages)
    app.include_router(warnings_router, prefix=API_PREFIX)
    app.include_router(warnings_pages)
    app.include_router(briefing_router, prefix=API_PREFIX)
    app.include_router(briefing_pages)
    app.include_router(docking_router, prefix=API_PREFIX)
    app.include_router(docking_pages)
    app.include_router(sme_pages)  # SME services (lane policies): the front page, the size self-test
    app.include_router(sme_size_router, prefix=API_PREFIX)
    app.include_router(sme_size_pages)
    app.include_router(sme_policies_router, prefix=API_PREFIX)  # policy matching (lane policies)
    app.include_router(sme_policies_pages)
    app.include_router(board_router, prefix=API_PREFIX)  # the matching board (供需对接), lane board
    app.include_router(board_pages)
    app.include_router(ladder_router, prefix=API_PREFIX)  # the 专精特新 ladder (lane ladder)
    app.include_router(ladder_pages)
    app.include_router(arrears_router, prefix=API_PREFIX)
    app.include_router(arrears_pages)
    mount_static(app)

    @app.get("/health", tags=["health"], dependencies=[guard(policies.PUBLIC)])
    async def health() -> dict:
        """Liveness, database reachability (503 when down) and free disk (``status: low_disk`` when short); a
        healthy answer is reused for a second."""
        return probe.cached() or await run_in_threadpool(probe.probe, get_settings())

    install_route_filter(app)  # last: every route is in
    return app


def create_served_app() -> FastAPI:
    """The application as ``chainkeeper serve`` runs it: configured database, with the desk's clock."""
    settings = get_settings()
    app = create_app(clock_seconds=settings.desk_tick_seconds, checkpoint_seconds=settings.audit_checkpoint_seconds)
    freeze_start_up_heap()
    return app


def freeze_start_up_heap() -> None:
    """Collect once, then keep what start-up made (modules, routes, mappers, templates' code: ~450,000 objects)
    out of the garbage collector's full collections (``gc.freeze``). Every few hundred requests a full collection
    walked all of it — 0.1–0.3 s each, about 1 ms per request of a page on average (issue 15). Objects made later
    are collected as before; what start-up made stays alive anyway."""
    gc.collect()
    gc.freeze()
