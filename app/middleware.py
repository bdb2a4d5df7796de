"""A request id for every request, and the security headers of every response (pure ASGI: no per-request
task overhead)."""

from __future__ import annotations

import logging
import re
import time
import uuid

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.ops.logs import request_id_var

access_log = logging.getLogger("tailings.access")
_VALID_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


def csp(script_extra: list[str] | None = None, img_extra: list[str] | None = None) -> str:
    """Only our own, vendored assets; inline styles are needed by Leaflet and Swagger UI. Inline scripts run
    only when a page lists their hashes (`script_extra`); basemap tiles come from `img_extra` origins."""
    script = " ".join(["'self'", *(script_extra or [])])
    img = " ".join(["'self'", "data:", "blob:", *(img_extra or [])])
    return (
        f"default-src 'self'; script-src {script}; style-src 'self' 'unsafe-inline'; img-src {img}; "
        "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
        "frame-ancestors 'none'"
    )


SECURITY_HEADERS = [
    (b"content-security-policy", csp().encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"DENY"),
    (b"permissions-policy", b"geolocation=(self), camera=(self), microphone=()"),
]


class RequestContext:
    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = dict(scope["headers"]).get(b"x-request-id", b"").decode("latin-1")
        request_id = incoming if _VALID_ID.match(incoming) else uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = request_id
        token = request_id_var.set(request_id)  # every record logged for this request carries the id
        started = time.perf_counter()
        status = 500

        async def send_with_headers(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = list(message.get("headers", []))
                present = {k.lower() for k, _ in headers}
                headers += [(k, v) for k, v in SECURITY_HEADERS if k not in present]
                headers.append((b"x-request-id", request_id.encode()))
                message["headers"] = headers
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        finally:
            # One line per request, in place of uvicorn's access log (which runs outside the request context).
            access_log.info(
                "%s %s %s",
                scope["method"],
                scope["path"],
                status,
                extra={
                    "method": scope["method"],
                    "path": scope["path"],
                    "status": status,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                },
            )
            request_id_var.reset(token)
