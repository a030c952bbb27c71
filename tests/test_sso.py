"""Optional single sign-on: off without [auth]; with it, the identity's e-mail maps to a local account."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from ioa_assess.services.accounts import actor_for_sso_email
from ioa_assess.services.actor import PermissionDenied
from ioa_assess.services.privacy import delete_person
from ioa_assess.storage.engine import session_scope
from ioa_assess.storage.models import AuditEvent
from tests.test_pages import app_for, demo_actor

AUTH = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "a-long-random-secret-for-the-tests",
    "idporten": {
        "client_id": "ioa-test",
        "client_secret": "secret",
        "server_metadata_url": "https://test.idporten.no/.well-known/openid-configuration",
    },
    "entra": {
        "client_id": "ioa-test",
        "client_secret": "secret",
        "server_metadata_url": "https://login.microsoftonline.com/tenant/v2.0/.well-known/openid-configuration",
    },
}


def _audit(action: str) -> list[AuditEvent]:
    with session_scope() as session:
        return list(session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


# --- the service -----------------------------------------------------------------------------


def test_a_known_email_gets_its_local_account(demo_db: str) -> None:
    actor = actor_for_sso_email(" Facilitator@Demo.ioa.no ", provider="https://test.idporten.no")
    assert actor.role == "facilitator" and actor.label == "facilitator@demo.ioa.no"
    assert actor.network_id is not None and actor.user_id is not None
    event = _audit("signin.sso")[0]
    assert event.actor == "facilitator@demo.ioa.no" and "idporten" in event.detail


@pytest.mark.parametrize(
    ("email", "verified", "message"),
    [
        ("stranger@example.no", None, "No account here uses the e-mail address stranger@example.no"),
        (None, None, "did not give an e-mail address"),
        ("   ", None, "did not give an e-mail address"),
        ("facilitator@demo.ioa.no", False, "has not verified your e-mail address"),
        ("'; DROP TABLE users; --", None, "No account here uses"),
        ("x" * 100_000 + "@example.no", None, "No account here uses"),
    ],
)
def test_unknown_or_unverified_emails_are_refused_and_recorded(
    demo_db: str, email: str | None, verified: bool | None, message: str
) -> None:
    with pytest.raises(PermissionDenied, match=message):
        actor_for_sso_email(email, provider="entra", email_verified=verified)
    refused = _audit("signin.sso_refused")
    assert len(refused) == 1 and not _audit("signin.sso")
    assert len(refused[0].actor) <= 254


def test_a_deleted_account_cannot_sign_in_with_sso(demo_db: str) -> None:
    delete_person(demo_actor("admin"), "leader@demo.ioa.no")
    with pytest.raises(PermissionDenied, match="No account here uses"):
        actor_for_sso_email("leader@demo.ioa.no")


# --- the start page ----------------------------------------------------------------------------


def test_without_auth_secrets_there_is_no_sso_button(demo_db: str) -> None:
    at = app_for(None)
    at.user = {"is_logged_in": True, "email": "admin@demo.ioa.no"}  # ignored while SSO is off
    at.run()
    assert not at.exception
    assert not [b for b in at.button if str(b.key).startswith("sso-")]
    assert "actor" not in at.session_state
    assert not _audit("signin.sso")


def test_with_auth_secrets_the_start_page_offers_each_provider(demo_db: str) -> None:
    at = app_for(None)
    at.secrets["auth"] = AUTH
    at.run()
    assert not at.exception
    labels = {b.key: b.label for b in at.button if str(b.key).startswith("sso-")}
    assert labels == {"sso-idporten": "Sign in with ID-porten", "sso-entra": "Sign in with Entra ID"}
    assert at.text_input(key="signin-email")  # the local sign-in stays available


def test_an_sso_identity_with_a_known_email_is_signed_in(demo_db: str) -> None:
    at = app_for(None)
    at.secrets["auth"] = AUTH
    at.user = {"is_logged_in": True, "email": "agency-lead@demo.ioa.no", "email_verified": True}
    at.run()
    assert not at.exception
    assert at.session_state["actor"].role == "agency_lead"
    assert len(_audit("signin.sso")) == 1


def test_an_sso_identity_with_an_unknown_email_gets_a_clear_message(demo_db: str) -> None:
    at = app_for(None)
    at.secrets["auth"] = AUTH
    at.user = {"is_logged_in": True, "email": "someone@elsewhere.no"}
    at.run()
    at.run()  # a rerun does not ask (and record) again
    assert not at.exception
    assert "actor" not in at.session_state
    assert any("someone@elsewhere.no" in e.value for e in at.error)
    assert at.button(key="sso-signout")
    assert len(_audit("signin.sso_refused")) == 1
