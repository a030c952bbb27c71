"""Who is signed in for this browser session, kept across reloads by an HttpOnly cookie."""

from __future__ import annotations

import json

import streamlit as st

from ioa_assess.services import web_sessions
from ioa_assess.services.actor import Actor
from ioa_assess.services.directory import preferred_language
from ioa_assess.ui import sso
from ioa_assess.ui.i18n import adopt_language

ACTOR_KEY = "actor"
PENDING_SCRIPT_KEY = "pending-cookie-script"
REDIRECT_KEY = "redirect-to"


def current_actor() -> Actor | None:
    actor = st.session_state.get(ACTOR_KEY)
    return actor if isinstance(actor, Actor) else None


def _session_cookie() -> str | None:
    value = st.context.cookies.get(web_sessions.COOKIE_NAME)
    return value if isinstance(value, str) else None  # AppTest has no real request behind it


def restore_session() -> None:
    """On a new Streamlit session (a reload, a page opened by its address), resume from the cookie."""
    if current_actor() is None:
        actor = web_sessions.resume(_session_cookie())
        if actor is not None:
            st.session_state[ACTOR_KEY] = actor
            adopt_language(preferred_language(actor))
        elif (sso_actor := sso.actor_from_identity()) is not None:
            start_session(sso_actor)  # our own session cookie too, so that sign-out ends both
    if REDIRECT_KEY in st.session_state:
        return  # the cookie script is rendered on the page we are about to switch to
    script = st.session_state.pop(PENDING_SCRIPT_KEY, None)
    if script:
        st.html(f"<script>{script}</script>", unsafe_allow_javascript=True)


def _post(path: str, payload: dict[str, str]) -> str:
    body = json.dumps(payload)
    return (
        f"fetch({json.dumps(path)}, {{method: 'POST', credentials: 'same-origin', "
        f"headers: {{'Content-Type': 'application/json'}}, body: {json.dumps(body)}}});"
    )


def follow_redirect() -> None:
    """Switch to the page asked for before the navigation knew the signed-in role."""
    target = st.session_state.pop(REDIRECT_KEY, None)
    if target:
        st.switch_page(target)


def start_session(actor: Actor, landing_page: str | None = None) -> None:
    """Sign the actor in; the page is rerun (and, if given, switched to `landing_page`)."""
    st.session_state[ACTOR_KEY] = actor
    adopt_language(preferred_language(actor))
    if landing_page:
        st.session_state[REDIRECT_KEY] = landing_page
    handoff = web_sessions.start_handoff(actor)
    st.session_state[PENDING_SCRIPT_KEY] = _post("/auth/session", {"handoff": handoff})


def end_session() -> bool:
    """Sign out: the server-side session is revoked at once (a kept cookie no longer works), the
    cookie is cleared, and a single sign-on identity is logged out too. True when st.logout is
    taking the browser away (then the caller must not rerun)."""
    web_sessions.end(_session_cookie())
    kept = {k: st.session_state[k] for k in ("lang", "lang-chosen") if k in st.session_state}
    single_sign_on = sso.is_signed_in()
    for key in list(st.session_state.keys()):
        del st.session_state[key]
    st.session_state.update(kept)
    st.session_state[PENDING_SCRIPT_KEY] = _post("/auth/signout", {})
    if single_sign_on:
        sso.logout()
    return single_sign_on


def require_actor(page: str) -> Actor:
    """The signed-in actor if its role may open `page`; otherwise a message and nothing more."""
    from ioa_assess.ui.i18n import _
    from ioa_assess.ui.navigation import may_open

    actor = current_actor()
    if not may_open(actor, page):
        st.warning(_("Sign in to see this page."))
        st.page_link("pages/home.py", label=_("Go to the start page"), icon=":material/login:")
        st.stop()
    assert actor is not None
    return actor
