"""The audit trail: append-only, written in the same transaction as what it records."""

from __future__ import annotations

from sqlalchemy.orm import Session

from ioa_assess.services.actor import Actor, now
from ioa_assess.storage.models import AuditEvent


def record(session: Session, actor: Actor | str, action: str, target: str = "", detail: str = "") -> None:
    label = actor if isinstance(actor, str) else actor.label
    session.add(AuditEvent(at=now(), actor=label[:254], action=action, target=target[:254], detail=detail))
