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
WEB_SESSION_KEY = "web-session-id"
ENDED_KEY = "sign-in-ended"
RESUMED_KEY = "resumed-from-cookie"  # set only in the run that resumed a sign-in from the cookie


def current_actor() -> Actor | None:
    actor = st.session_state.get(ACTOR_KEY)
    return actor if isinstance(actor, Actor) else None


def _session_cookie() -> str | None:
    value = st.context.cookies.get(web_sessions.COOKIE_NAME)
    return value if isinstance(value, str) else None  # AppTest has no real request behind it


def restore_session() -> None:
    """On a new Streamlit session (a reload, a page opened by its address), resume from the cookie;
    in an open one, check on every full run that the sign-in is still valid and the role the same."""
    if current_actor() is None:
        resumed = web_sessions.resume(_session_cookie())
        if resumed is not None:
            st.session_state[WEB_SESSION_KEY], st.session_state[ACTOR_KEY] = resumed
            st.session_state[RESUMED_KEY] = True
            adopt_language(preferred_language(resumed[1]))
        elif (sso_actor := sso.actor_from_identity()) is not None:
            start_session(sso_actor)  # our own session cookie too, so that sign-out ends both
    else:
        st.session_state.pop(RESUMED_KEY, None)
        _recheck()
    if REDIRECT_KEY in st.session_state:
        return  # the cookie script is rendered on the page we are about to switch to
    script = st.session_state.pop(PENDING_SCRIPT_KEY, None)
    if script:
        st.html(f"<script>{script}</script>", unsafe_allow_javascript=True)


def _recheck() -> None:
    """An erased person, a revoked code or a session ended elsewhere is signed out of this tab too,
    and a changed role takes effect at once (one query per full run; fragment reruns skip it)."""
    session_id = st.session_state.get(WEB_SESSION_KEY)
    if session_id is None:
        return
    actor = web_sessions.actor_of(session_id)
    if actor is None:
        _forget_everything_but_the_language()
        st.session_state[ENDED_KEY] = True
    elif _access(actor) != _access(current_actor()):
        _forget_everything_but_the_language()  # nothing read under the old role stays on screen
        st.session_state[WEB_SESSION_KEY], st.session_state[ACTOR_KEY] = session_id, actor
    elif actor != current_actor():
        st.session_state[ACTOR_KEY] = actor  # a new name or language: nothing to forget


def _access(actor: Actor | None) -> tuple[object, ...]:
    """What decides what an actor may see and do."""
    if actor is None:
        return ()
    return (actor.role, actor.user_id, actor.invitation_id, actor.body_id, actor.network_id, actor.round_id)


def show_ended_notice() -> None:
    """Tell the person, once, why they are no longer signed in."""
    from ioa_assess.ui.i18n import _

    if st.session_state.pop(ENDED_KEY, False):
        st.warning(_("Your sign-in has ended (signed out elsewhere, expired or withdrawn). Sign in again."))


def _forget_everything_but_the_language() -> None:
    kept = {k: st.session_state[k] for k in ("lang", "lang-chosen") if k in st.session_state}
    for key in list(st.session_state.keys()):
        del st.session_state[key]
    st.session_state.update(kept)


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
    st.session_state[WEB_SESSION_KEY], handoff = web_sessions.begin(actor)
    st.session_state[PENDING_SCRIPT_KEY] = _post("/auth/session", {"handoff": handoff})


def end_session() -> bool:
    """Sign out: the server-side session is revoked at once (a kept cookie no longer works), the
    cookie is cleared, and a single sign-on identity is logged out too. True when st.logout is
    taking the browser away (then the caller must not rerun)."""
    web_sessions.end(_session_cookie())
    single_sign_on = sso.is_signed_in()
    _forget_everything_but_the_language()
    st.session_state[PENDING_SCRIPT_KEY] = _post("/auth/signout", {})
    if single_sign_on:
        sso.logout()
    return single_sign_on


def require_actor(page: str) -> Actor:
    """The signed-in actor if its role may open `page`; otherwise a message and nothing more."""
    from ioa_assess.ui.i18n import _
    from ioa_assess.ui.navigation import may_open

    actor = current_actor()
    if actor is None:
        # A server's very first session may run a page directly, before app.py has run once (a
        # deep link or a reload right after a start, or on another server behind the proxy).
        restore_session()
        actor = current_actor()
    if not may_open(actor, page):
        st.warning(_("Sign in to see this page."))
        st.page_link("pages/home.py", label=_("Go to the start page"), icon=":material/login:")
        st.stop()
    assert actor is not None
    return actor
