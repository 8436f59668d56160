"""The floor for ``benchmarks/web_cpu.py``: a bare FastAPI endpoint, served by the same uvicorn as the application.

    uvicorn --factory bare_app:create --port P      (the benchmark starts it itself)
"""

from __future__ import annotations

from fastapi import FastAPI


def create() -> FastAPI:
    """One route answering a small JSON document, no middleware, no database."""
    app = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)

    @app.get("/bare")
    def bare() -> dict:
        return {"status": "ok"}

    return app
