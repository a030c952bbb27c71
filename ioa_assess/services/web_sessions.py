"""Sign-ins that survive a reload: a one-time handoff token is traded for an HttpOnly cookie.

Flow: after a sign-in the page gets a handoff token and posts it to /auth/session (served by
serve.py), which answers with the session cookie. Every new Streamlit session (a reload, a page
opened by its address) reads that cookie and resumes the actor. Only hashes are stored.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from ioa_assess.services import audit
from ioa_assess.services.accounts import actor_for_invitation, actor_for_user
from ioa_assess.services.actor import Actor, now
from ioa_assess.storage.engine import session_scope
from ioa_assess.storage.models import Body, Invitation, User, WebSession

COOKIE_NAME = "ioa_session"
SESSION_LIFETIME = timedelta(hours=12)
HANDOFF_LIFETIME = timedelta(minutes=2)
MAX_TOKEN_LENGTH = 100


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def begin(actor: Actor) -> tuple[int, str]:
    """A new session for this actor: its id, which the open tab keeps to check the session is still
    valid, and a one-time token that /auth/session will trade for the session's cookie."""
    handoff = secrets.token_urlsafe(32)
    current = now()
    with session_scope(write=True) as session:
        row = WebSession(
            handoff_hash=_hash(handoff),
            handoff_expires_at=current + HANDOFF_LIFETIME,
            user_id=actor.user_id,
            invitation_id=actor.invitation_id,
            created_at=current,
            expires_at=current + SESSION_LIFETIME,
        )
        session.add(row)
        session.flush()
        return row.id, handoff


def redeem_handoff(handoff: str) -> str | None:
    """The session token for a fresh, unused handoff token; None otherwise. Single use."""
    if not handoff or len(handoff) > MAX_TOKEN_LENGTH:
        return None
    with session_scope(write=True) as session:
        row = session.scalar(select(WebSession).where(WebSession.handoff_hash == _hash(handoff)))
        if row is None or row.handoff_expires_at is None or row.handoff_expires_at < now():
            return None
        token = secrets.token_urlsafe(32)
        row.handoff_hash = None
        row.handoff_expires_at = None
        row.token_hash = _hash(token)
        return token


def resume(token: str | None) -> tuple[int, Actor] | None:
    """The session id and actor of a valid, unexpired, unrevoked session cookie."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    with session_scope() as session:
        row = session.scalar(select(WebSession).where(WebSession.token_hash == _hash(token)))
        actor = _live_actor(session, row)
        return (row.id, actor) if row is not None and actor is not None else None


def actor_of(session_id: int) -> Actor | None:
    """Who a session signs in now: None once it is revoked or expired, the person erased or the
    code revoked; a changed role or language shows at once."""
    with session_scope() as session:
        return _live_actor(session, session.get(WebSession, session_id))


def _live_actor(session: Session, row: WebSession | None) -> Actor | None:
    current = now()
    if row is None or row.revoked_at is not None or row.expires_at < current:
        return None
    if row.user_id is not None:
        user = session.get(User, row.user_id)
        if user is None or user.deleted_at is not None:
            return None
        return actor_for_user(user)
    invitation = session.get(Invitation, row.invitation_id) if row.invitation_id else None
    if invitation is None or invitation.revoked_at is not None or invitation.expires_at < current:
        return None
    body = session.get(Body, invitation.body_id)
    assert body is not None
    return actor_for_invitation(invitation, body)


def end(token: str | None) -> None:
    """Revoke a session, so that its cookie no longer signs anybody in; the sign-out is recorded."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return
    with session_scope(write=True) as session:
        row = session.scalar(select(WebSession).where(WebSession.token_hash == _hash(token)))
        if row is not None and row.revoked_at is None:
            row.revoked_at = now()
            user = session.get(User, row.user_id) if row.user_id else None
            who = user.email if user else f"invitation:{row.invitation_id}"
            target = f"user:{row.user_id}" if row.user_id else f"invitation:{row.invitation_id}"
            audit.record(session, who, "signout", target)


def revoke_all(session: Session, user_id: int) -> int:
    """Revoke every live session of an account (its deletion); returns how many there were."""
    rows = session.scalars(
        select(WebSession).where(WebSession.user_id == user_id, WebSession.revoked_at.is_(None))
    ).all()
    current = now()
    for row in rows:
        row.revoked_at = current
        row.handoff_hash = None
        row.handoff_expires_at = None
    return len(rows)
