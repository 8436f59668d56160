"""Server-rendered pages (Jinja2 + htmx + ECharts): every route declares its policy; static assets ship here."""

from __future__ import annotations

from importlib import resources

from fastapi import APIRouter, FastAPI

from chainkeeper.web.static_files import CompressedStaticFiles

STATIC_DIR = resources.files("chainkeeper.web") / "static"


def build_router() -> APIRouter:
    """All page routes."""
    from chainkeeper.home import pages as home
    from chainkeeper.web.pages import account, admin_audit, admin_users, dashboard, importing, registry, tokens

    router = APIRouter(include_in_schema=False)
    for module in (account, tokens, home, dashboard, registry, importing, admin_users, admin_audit):
        router.include_router(module.router)
    return router


def mount_static(app: FastAPI) -> None:
    """Serve the vendored and own assets under ``/static`` (no CDN: closed networks), gzipped when accepted."""
    app.mount("/static", CompressedStaticFiles(directory=str(STATIC_DIR)), name="static")
