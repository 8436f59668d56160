"""The API's own documentation (Swagger UI from vendored assets, no CDN), its security schemes, the favicon.

The OpenAPI document declares how a caller authenticates: an API token as ``Authorization: Bearer …`` (scheme
``bearer``) or the browser session cookie (scheme ``cookie``; writes then also need the ``x-csrf-token`` header).
"""

from __future__ import annotations

from html import escape

from fastapi import APIRouter, FastAPI
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute, iter_route_contexts
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from chainkeeper.auth import policies
from chainkeeper.auth.deps import CSRF_HEADER, SESSION_COOKIE, declared_policy, guard
from chainkeeper.web.pages import STATIC_DIR

SECURITY_SCHEMES = {
    "bearer": {"type": "http", "scheme": "bearer",
               "description": "An API token (account page, `chainkeeper tokens create`, or POST /api/v1/tokens)."},
    "cookie": {"type": "apiKey", "in": "cookie", "name": SESSION_COOKIE,
               "description": f"The browser session; writes also need the `{CSRF_HEADER}` header."},
}
DOCS_HEADERS = {  # our own start-up script, no inline code; Swagger UI sets inline styles and data: images
    "Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
                               "img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-store",
}
FAVICON_HEADERS = {"Cache-Control": "public, max-age=86400", "X-Content-Type-Options": "nosniff"}


def docs_page(title: str, openapi_url: str) -> str:
    """The Swagger UI page for ``openapi_url``, every asset from ``/static``."""
    return f"""<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>{escape(title)} – API</title>
  <link rel="icon" href="/favicon.svg" type="image/svg+xml">
  <link rel="stylesheet" href="/static/vendor/swagger-ui/swagger-ui.css">
  <script src="/static/vendor/swagger-ui/swagger-ui-bundle.js" defer></script>
  <script src="/static/js/api-docs.js" defer></script>
</head>
<body>
  <main id="swagger-ui" data-openapi="{escape(openapi_url)}"></main>
</body>
</html>"""


def _mark_public(app: FastAPI, schema: dict) -> None:
    """Operations whose policy is public need no credentials: ``security: []`` overrides the default."""
    for route in iter_route_contexts(app.routes):
        original = route.original_route
        policy = declared_policy(route) if isinstance(original, APIRoute) and original.include_in_schema else None
        if policy is None or not policy.public:
            continue
        operations = schema["paths"].get(route.path, {})
        for method in route.methods:
            if method.lower() in operations:
                operations[method.lower()]["security"] = []


def install_openapi(app: FastAPI) -> None:
    """Generate the OpenAPI document once, with the bearer and cookie security schemes."""

    def openapi() -> dict:
        if app.openapi_schema is None:
            schema = get_openapi(title=app.title, version=app.version, routes=app.routes,
                                 description=app.description)
            schema.setdefault("components", {})["securitySchemes"] = SECURITY_SCHEMES
            schema["security"] = [{"bearer": []}, {"cookie": []}]
            _mark_public(app, schema)
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi


def docs_router(*, docs_url: str, openapi_url: str, title: str) -> APIRouter:
    """The docs page and the favicon (public)."""
    router = APIRouter(include_in_schema=False)
    icon = (STATIC_DIR / "favicon.svg").read_bytes()

    @router.get(docs_url, dependencies=[guard(policies.PUBLIC)])
    def api_docs() -> HTMLResponse:
        """Swagger UI from the vendored assets."""
        return HTMLResponse(docs_page(title, openapi_url), headers=DOCS_HEADERS)

    @router.get("/favicon.svg", dependencies=[guard(policies.PUBLIC)])
    def favicon_svg() -> Response:
        """The platform's icon."""
        return Response(icon, media_type="image/svg+xml", headers=FAVICON_HEADERS)

    @router.get("/favicon.ico", dependencies=[guard(policies.PUBLIC)])
    def favicon_ico() -> Response:
        """Browsers that ask for the classic name get the SVG icon."""
        return RedirectResponse("/favicon.svg", status_code=301)

    return router
