"""Answers that need no framework work: a fresh healthy ``/health`` and static files already served once (issue 15).

:class:`FastPaths` sits inside :class:`chainkeeper.web.transport.ResponseHeaders` (so its answers get the same
headers) and in front of routing, dependencies and the thread pool:

* ``GET /health`` while the probe's last healthy answer is fresh (:class:`chainkeeper.health.HealthProbe`, one
  second): the same JSON the route returns. Otherwise — first call, stale, database down — the route answers (and
  probes). ``/health`` is public, so skipping the policy guard changes nothing.
* ``GET /static/...`` without a range or a conditional header: the bytes and headers :class:`StaticFiles` answered
  the first time, kept in memory per path and ``Accept-Encoding: gzip`` or not, while the file's size and
  modification time are unchanged (one ``stat``). Conditional requests (``If-None-Match`` …), ranges and ``HEAD``
  go through :class:`StaticFiles` as before; only complete 200 answers up to :data:`MAX_FILE` are kept.
"""

from __future__ import annotations

import os
from pathlib import Path

import orjson

from chainkeeper.health import HealthProbe

MAX_FILE = 4 * 1024 * 1024
JSON_HEADERS = [(b"content-type", b"application/json")]
PASS_THROUGH = (b"range", b"if-none-match", b"if-modified-since", b"if-range", b"if-match", b"if-unmodified-since")


class FastPaths:
    """ASGI middleware: the fast answers above, everything else to ``app``."""

    def __init__(self, app, probe: HealthProbe, static_dir: Path, static_prefix: str = "/static/"):
        self.app, self.probe = app, probe
        self.static_dir, self.static_prefix = Path(str(static_dir)), static_prefix
        self._files: dict[tuple[str, bool], tuple[tuple[int, int], int, list, bytes]] = {}

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["method"] != "GET":
            await self.app(scope, receive, send)
            return
        path = scope["path"]
        if path == "/health":
            answer = self.probe.cached()
            if answer is not None:
                body = orjson.dumps(answer)
                await _send(send, 200, JSON_HEADERS + [(b"content-length", str(len(body)).encode())], body)
                return
        elif path.startswith(self.static_prefix):
            await self._static(scope, receive, send, path)
            return
        await self.app(scope, receive, send)

    async def _static(self, scope, receive, send, path: str) -> None:
        headers = scope.get("headers", [])
        if any(name in PASS_THROUGH for name, _value in headers):
            await self.app(scope, receive, send)
            return
        gzip = any(name == b"accept-encoding" and b"gzip" in value.lower() for name, value in headers)
        key = (path, gzip)
        version = self._version(path)
        found = self._files.get(key)
        if found is not None and version is not None and found[0] == version:
            await _send(send, found[1], found[2], found[3])
            return
        await self.app(scope, receive, self._keeping(send, key, version))

    def _version(self, path: str) -> tuple[int, int] | None:
        """(size, mtime) of the file behind ``path``, or None (then nothing is kept or served from memory)."""
        relative = path[len(self.static_prefix):]
        try:
            found = os.stat(self.static_dir / relative)
        except (OSError, ValueError):
            return None
        return found.st_size, found.st_mtime_ns

    def _keeping(self, send, key, version):
        """``send``, remembering a complete 200 answer of ``key``."""
        start: dict = {}
        chunks: list[bytes] = []

        async def sending(message):
            if version is not None:
                if message["type"] == "http.response.start":
                    start.update(message)
                elif message["type"] == "http.response.body" and start.get("status") == 200:
                    chunks.append(message.get("body", b""))
                    if not message.get("more_body", False):
                        body = b"".join(chunks)
                        if len(body) <= MAX_FILE:
                            self._files[key] = (version, 200, list(start.get("headers", [])), body)
            await send(message)

        return sending


async def _send(send, status: int, headers: list, body: bytes) -> None:
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
