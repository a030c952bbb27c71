"""Administrator views: the bodies register and the audit trail."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import select

from ioa_assess.services.actor import Actor, PermissionDenied
from ioa_assess.storage.engine import session_scope
from ioa_assess.storage.models import AuditEvent, Body, County


def _require_admin(actor: Actor) -> None:
    if not actor.is_admin:
        raise PermissionDenied("Only administrators can see this.")


def list_bodies(actor: Actor) -> pd.DataFrame:
    _require_admin(actor)
    query = (
        select(
            Body.name,
            Body.kind,
            County.name.label("county"),
            Body.municipality_number,
            Body.population,
            Body.written_standard,
            Body.named_in_network,
            Body.synthetic,
        )
        .join(County, County.number == Body.county_number)
        .order_by(County.name, Body.name)
    )
    with session_scope() as session:
        return pd.DataFrame(session.execute(query).all())


def audit_events(actor: Actor, limit: int = 200) -> pd.DataFrame:
    _require_admin(actor)
    query = select(AuditEvent.at, AuditEvent.actor, AuditEvent.action, AuditEvent.target, AuditEvent.detail)
    with session_scope() as session:
        rows = session.execute(query.order_by(AuditEvent.id.desc()).limit(limit)).all()
    return pd.DataFrame(rows, columns=["at", "actor", "action", "target", "detail"])
