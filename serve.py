"""The web server: Streamlit's app (app.py) plus two small routes that set and clear the
HttpOnly session cookie. `make run` starts this file with `streamlit run serve.py`."""

import streamlit as st
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ioa_assess.services.web_sessions import COOKIE_NAME, SESSION_LIFETIME, end, redeem_handoff


def _same_origin(request: Request) -> bool:
    origin = request.headers.get("origin")
    return origin is None or origin.split("://", 1)[-1] == request.headers.get("host")


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
    routes=[
        Route("/auth/session", set_session, methods=["POST"]),
        Route("/auth/signout", clear_session, methods=["POST"]),
    ],
)
