"""Administrator views: the bodies register and the audit trail (read only: it is append-only)."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import select

from ioa_assess.services.actor import Actor, PermissionDenied
from ioa_assess.storage.engine import session_scope
from ioa_assess.storage.models import AuditEvent, Body, County, Network


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


def audit_events(actor: Actor, limit: int | None = 200) -> pd.DataFrame:
    """The newest audit events first; `limit=None` reads the whole trail (for its export)."""
    _require_admin(actor)
    query = select(AuditEvent.at, AuditEvent.actor, AuditEvent.action, AuditEvent.target, AuditEvent.detail)
    query = query.order_by(AuditEvent.id.desc())
    if limit is not None:
        query = query.limit(max(limit, 0))
    with session_scope() as session:
        rows = session.execute(query).all()
    return pd.DataFrame(rows, columns=["at", "actor", "action", "target", "detail"])


def networks(actor: Actor) -> list[tuple[int, str]]:
    """(id, name) of every network, by name."""
    _require_admin(actor)
    with session_scope() as session:
        return [(i, n) for i, n in session.execute(select(Network.id, Network.name).order_by(Network.name))]
