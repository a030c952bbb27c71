"""Optional single sign-on with Streamlit's st.login (OpenID Connect): ID-porten, Microsoft Entra ID.

Off unless `[auth]` is in .streamlit/secrets.toml (see .streamlit/secrets.example.toml). The
identity provider only proves who the person is; the e-mail it gives must belong to an existing
local account (services.accounts.actor_for_sso_email), which decides the role.
"""

from __future__ import annotations

from collections.abc import Mapping

import streamlit as st
from streamlit.errors import StreamlitSecretNotFoundError

from ioa_assess.services.accounts import actor_for_sso_email
from ioa_assess.services.actor import Actor, ServiceError

# [auth.<name>] sections we offer a button for, and the name people know the service by.
PROVIDERS = {"idporten": "ID-porten", "entra": "Entra ID"}
DEFAULT_NAME = "single sign-on"
REFUSED_KEY = "sso-refused"


def _auth_section() -> Mapping[str, object]:
    try:
        section = st.secrets.get("auth")
    except (StreamlitSecretNotFoundError, FileNotFoundError):
        return {}
    return section if isinstance(section, Mapping) else {}


def providers() -> dict[str, str]:
    """provider key -> display name of each configured provider; empty when SSO is off."""
    auth = _auth_section()
    if not auth.get("redirect_uri") or not auth.get("cookie_secret"):
        return {}
    found = {key: name for key, name in PROVIDERS.items() if isinstance(auth.get(key), Mapping) and auth[key]}
    if not found and auth.get("client_id"):
        found["default"] = DEFAULT_NAME
    return found


def is_signed_in() -> bool:
    return bool(providers()) and bool(st.user.get("is_logged_in"))


def login(provider: str) -> None:
    st.login(None if provider == "default" else provider)


def logout() -> None:
    st.logout()


def actor_from_identity() -> Actor | None:
    """The local account of the person the identity provider signed in; None when there is none.

    A refusal is kept for the start page to show, and asked only once per browser session (so the
    audit trail gets one entry, not one per rerun).
    """
    if not is_signed_in() or REFUSED_KEY in st.session_state:
        return None
    email = st.user.get("email")
    # Entra ID says whether the e-mail's domain is verified in xms_edov (an optional claim).
    verified = st.user.get("email_verified", st.user.get("xms_edov"))
    try:
        return actor_for_sso_email(
            email if isinstance(email, str) else None,
            provider=str(st.user.get("iss") or "")[:120],
            email_verified=verified if isinstance(verified, bool) else None,
        )
    except ServiceError as exc:
        st.session_state[REFUSED_KEY] = exc
        return None


def refusal() -> ServiceError | None:
    refused = st.session_state.get(REFUSED_KEY)
    return refused if isinstance(refused, ServiceError) else None
