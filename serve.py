"""The web server: Streamlit's app (app.py) plus two small routes that set and clear the
HttpOnly session cookie. `make run` starts this file with `streamlit run serve.py`."""

from urllib.parse import urlsplit

import streamlit as st
from starlette.datastructures import MutableHeaders
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ioa_assess.services.web_sessions import COOKIE_NAME, SESSION_LIFETIME, end, redeem_handoff


def _same_origin(request: Request) -> bool:
    """The request comes from a page of this very site: its Origin names the same scheme, host and
    port as the request itself. A request without an Origin is refused (browsers send one on every
    POST made by fetch)."""
    origin = request.headers.get("origin")
    if not origin:
        return False
    try:
        sent = urlsplit(origin)
        ours = urlsplit(f"{request.url.scheme}://{request.headers.get('host', '')}")
        return (sent.scheme, sent.hostname, sent.port or _DEFAULT_PORTS.get(sent.scheme)) == (
            ours.scheme,
            ours.hostname,
            ours.port or _DEFAULT_PORTS.get(ours.scheme),
        )
    except ValueError:  # a port that is no number
        return False


_DEFAULT_PORTS = {"http": 80, "https": 443}

# Nobody may frame the app (clickjacking); scripts, styles, images and connections come from this
# site only. Streamlit's own page needs inline styles, and its charts and st.html need inline and
# evaluated scripts, so those stay allowed; no third-party source is.
SECURITY_HEADERS = {
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": "; ".join(
        (
            "default-src 'self'",
            "script-src 'self' 'unsafe-inline' 'unsafe-eval'",
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data: blob:",
            "font-src 'self' data:",
            "connect-src 'self'",
            "worker-src 'self' blob:",
            "frame-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        )
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


class SecurityHeaders:
    """Adds SECURITY_HEADERS to every HTTP response: the page, its static files and the routes."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    headers[name] = value
            await send(message)

        await self.app(scope, receive, send_with_headers)


async def set_session(request: Request) -> Response:
    try:
        payload = await request.json()
    except ValueError:
        payload = {}
    handoff = payload.get("handoff", "") if isinstance(payload, dict) else ""
    token = redeem_handoff(str(handoff)) if _same_origin(request) else None
    if token is None:
        return Response(status_code=403)
    response = Response(status_code=204)
    response.set_cookie(
        COOKIE_NAME,
        token,
        max_age=int(SESSION_LIFETIME.total_seconds()),
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
        path="/",
    )
    return response


async def clear_session(request: Request) -> Response:
    if not _same_origin(request):
        return Response(status_code=403)
    end(request.cookies.get(COOKIE_NAME))
    response = Response(status_code=204)
    response.delete_cookie(COOKIE_NAME, path="/")
    return response


def friendly_error(_exc: Exception) -> bool:
    """An unexpected error: one plain message on the page (the details go to the server log)."""
    from ioa_assess.ui.i18n import _

    st.error(_("Something went wrong, and nothing was changed. Reload the page and try again."))
    return True


app = st.App(
    "app.py",
    on_script_error=friendly_error,
    middleware=[Middleware(SecurityHeaders)],
    routes=[
        Route("/auth/session", set_session, methods=["POST"]),
        Route("/auth/signout", clear_session, methods=["POST"]),
    ],
)
