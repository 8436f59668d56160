"""Two ASGI middlewares about the transport: trusted reverse proxies, and the headers every response needs.

* :class:`TrustedProxies` believes ``X-Forwarded-For`` and ``X-Forwarded-Proto`` only when the connection comes
  from an address in ``CHAINKEEPER_TRUSTED_PROXIES`` (default: none — the headers are ignored, so a client cannot
  forge its audit address or dodge the login throttle). ``chainkeeper serve`` turns uvicorn's own proxy handling
  off, which trusted loopback.
* :class:`ResponseHeaders` adds ``Strict-Transport-Security`` to responses served over HTTPS (directly or through
  a trusted proxy), and ``Cache-Control: no-store`` to every response outside ``/static`` that sets no caching of
  its own (JSON, XLSX, attachments: nothing personal is left in a shared cache or the browser's disk cache).
"""

from __future__ import annotations

from ipaddress import ip_address, ip_network

HSTS = b"max-age=31536000; includeSubDomains"


def _header(scope, name: bytes) -> str | None:
    values = [value for key, value in scope.get("headers", []) if key == name]
    return b",".join(values).decode("latin-1") if values else None


class TrustedProxies:
    """Takes the client address and scheme from the forwarding headers of trusted proxies only."""

    def __init__(self, app, trusted: list[str]):
        self.app = app
        self.networks = [ip_network(entry.strip(), strict=False) for entry in trusted if entry.strip()]

    def trusts(self, host: str) -> bool:
        """True when ``host`` is one of the trusted proxies."""
        try:
            address = ip_address(host)
        except ValueError:
            return False
        return any(address in network for network in self.networks)

    async def __call__(self, scope, receive, send):
        client = scope.get("client")
        if scope["type"] in ("http", "websocket") and self.networks and client and self.trusts(client[0]):
            scope = dict(scope)
            forwarded = [part.strip() for part in (_header(scope, b"x-forwarded-for") or "").split(",")
                         if part.strip()]
            if forwarded:  # the right-most address no trusted proxy added is the client
                scope["client"] = (next((a for a in reversed(forwarded) if not self.trusts(a)), forwarded[0]), 0)
            proto = (_header(scope, b"x-forwarded-proto") or "").split(",")[-1].strip().lower()
            if proto in ("http", "https"):
                scope["scheme"] = proto if scope["type"] == "http" else {"http": "ws", "https": "wss"}[proto]
        await self.app(scope, receive, send)


class ResponseHeaders:
    """Adds HSTS over HTTPS and ``Cache-Control: no-store`` outside ``/static``."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        https = scope.get("scheme") == "https"
        cacheable = scope.get("path", "").startswith("/static/")

        async def sending(message):
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {key.lower() for key, _value in headers}
                if https and b"strict-transport-security" not in names:
                    headers.append((b"strict-transport-security", HSTS))
                if not cacheable and b"cache-control" not in names:
                    headers.append((b"cache-control", b"no-store"))
                message = message | {"headers": headers}
            await send(message)

        await self.app(scope, receive, sending)
