"""ASGI middleware that puts the security headers on every response the app sends."""

from typing import Any

RawHeaders = list[tuple[bytes, bytes]]

APP_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    # React Flow and uPlot position elements with style attributes.
    "style-src": "'self' 'unsafe-inline'",
    # The favicon is a data: URL; canvases and downloads may make blob: URLs.
    "img-src": "'self' data: blob:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "worker-src": "'self' blob:",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
}
"""The Content-Security-Policy of the built frontend, which loads everything from here."""

DOCS_POLICY = {
    **APP_POLICY,
    # FastAPI's /docs and /redoc pages load Swagger UI and ReDoc from a CDN and start them
    # with an inline script.
    "script-src": "'self' 'unsafe-inline' https://cdn.jsdelivr.net",
    "style-src": "'self' 'unsafe-inline' https://cdn.jsdelivr.net https://fonts.googleapis.com",
    "font-src": "'self' https://fonts.gstatic.com",
    "img-src": "'self' data: blob: https://fastapi.tiangolo.com https://cdn.redoc.ly",
}
DOCS_PATHS = ("/docs", "/redoc")


def policy_headers(
    policy: dict[str, str], frame_ancestors: str | None
) -> list[tuple[bytes, bytes]]:
    """The headers for ``policy``: framing is refused unless ``frame_ancestors`` names the
    sites that may embed the page (X-Frame-Options cannot name them, so it is left out)."""
    directives = {**policy, "frame-ancestors": frame_ancestors or "'none'"}
    csp = "; ".join(f"{name} {sources}" for name, sources in directives.items())
    headers = {
        "Content-Security-Policy": csp,
        "X-Content-Type-Options": "nosniff",
        # Tokens travel in URL fragments, which are never sent; still, send no referrer.
        "Referrer-Policy": "no-referrer",
    }
    if frame_ancestors is None:
        headers["X-Frame-Options"] = "DENY"
    return [(name.lower().encode(), value.encode()) for name, value in headers.items()]


class SecurityHeaders:
    """Add the security headers to the start of every HTTP response, streamed ones too."""

    def __init__(self, app: Any, frame_ancestors: str | None = None) -> None:
        self.app = app
        self.app_headers = policy_headers(APP_POLICY, frame_ancestors)
        self.docs_headers = policy_headers(DOCS_POLICY, frame_ancestors)

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        docs = scope["path"].startswith(DOCS_PATHS)
        added = self.docs_headers if docs else self.app_headers

        async def send_with_headers(message: dict) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), *added]}
            await send(message)

        await self.app(scope, receive, send_with_headers)
