"""Creating and filling a database: schema, counties, reference bodies, body imports."""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from ioa_assess.reference import COUNTIES, BodyRecord, reference_bodies
from ioa_assess.services import audit
from ioa_assess.services.actor import Actor, PermissionDenied
from ioa_assess.storage.engine import session_scope
from ioa_assess.storage.migrate import upgrade_to_head
from ioa_assess.storage.models import Body, County, Meta


def init_database() -> int:
    """Create or upgrade the schema and load the reference bodies; returns how many bodies exist."""
    upgrade_to_head()
    with session_scope(write=True) as session:
        for number, name in COUNTIES.items():
            if session.get(County, number) is None:
                session.add(County(number=number, name=name))
        session.flush()
        upsert_bodies(session, reference_bodies())
        return len(session.scalars(select(Body.id)).all())


def upsert_bodies(session: Session, records: list[BodyRecord]) -> tuple[int, int]:
    """Add new bodies and update known ones (matched by municipality number, else by name)."""
    added = updated = 0
    for record in records:
        match = Body.name == record.name
        if record.municipality_number:
            match = or_(match, Body.municipality_number == record.municipality_number)
        body = session.scalar(select(Body).where(match))
        if body is None:
            body = Body(named_in_network=False, synthetic=False)
            session.add(body)
            added += 1
        else:
            updated += 1
        body.name = record.name
        body.kind = record.kind
        body.county_number = record.county_number
        body.municipality_number = record.municipality_number
        body.population = record.population if record.population is not None else body.population
        body.written_standard = record.written_standard
        body.org_number = record.org_number or body.org_number
    session.flush()
    return added, updated


def import_bodies(actor: Actor, records: list[BodyRecord]) -> tuple[int, int]:
    """One transaction: every record is stored, or (on any error) none is."""
    if actor.role not in ("admin", "facilitator"):
        raise PermissionDenied("Only administrators and facilitators can import bodies.")
    with session_scope(write=True) as session:
        added, updated = upsert_bodies(session, records)
        audit.record(session, actor, "bodies.import", "", f"added={added} updated={updated}")
        return added, updated


def get_meta(session: Session, key: str) -> str | None:
    row = session.get(Meta, key)
    return row.value if row else None


def set_meta(session: Session, key: str, value: str) -> None:
    row = session.get(Meta, key)
    if row is None:
        session.add(Meta(key=key, value=value))
    else:
        row.value = value
