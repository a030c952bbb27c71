"""Creating and filling a database: schema, counties, reference bodies, body imports."""

from __future__ import annotations

import json

from sqlalchemy import select
from sqlalchemy.orm import Session

from ioa_assess.reference import COUNTIES, BodyImportError, BodyRecord, reference_bodies
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
        load_reference_bodies(session, reference_bodies())
        return len(session.scalars(select(Body.id)).all())


REFERENCE_LOADED = "reference-bodies-loaded"


def _reference_key(record: BodyRecord) -> str:
    return record.municipality_number or record.org_number or record.name


def load_reference_bodies(session: Session, records: list[BodyRecord]) -> int:
    """Add the shipped bodies that were never loaded; returns how many were added.

    A shipped body is loaded once. After that the register belongs to its administrators: a body
    they renamed or corrected by import keeps their values through every later `init-db` and
    import, and the shipped list only fills in what was never set (a missing population or
    organisation number). The keys of the loaded bodies are kept in the meta table.
    """
    loaded = set(json.loads(get_meta(session, REFERENCE_LOADED) or "[]"))
    added = 0
    for record in records:
        key = _reference_key(record)
        if key in loaded:
            continue
        body, _ = match_body(session, record)
        if body is None:
            session.add(_new_body(record))
            added += 1
        else:
            body.population = body.population if body.population is not None else record.population
            body.org_number = body.org_number or record.org_number
        session.flush()
        loaded.add(key)
    set_meta(session, REFERENCE_LOADED, json.dumps(sorted(loaded)))
    return added


def match_body(session: Session, record: BodyRecord) -> tuple[Body | None, str | None]:
    """The known body a row describes (by municipality number, else by name), or a reason why the
    row would clash with another body."""
    by_number = (
        session.scalar(select(Body).where(Body.municipality_number == record.municipality_number))
        if record.municipality_number
        else None
    )
    by_name = session.scalar(select(Body).where(Body.name == record.name))
    if by_number is not None and by_name is not None and by_number.id != by_name.id:
        return None, (
            f"municipality number {record.municipality_number} belongs to {by_number.name}, which "
            f"cannot be renamed {record.name}: another body has that name"
        )
    body = by_number or by_name
    if record.org_number:
        holder = session.scalar(select(Body).where(Body.org_number == record.org_number))
        if holder is not None and (body is None or holder.id != body.id):
            return None, f"organisation number {record.org_number} belongs to {holder.name}"
    return body, None


def register_problems(session: Session, records: list[BodyRecord]) -> list[str]:
    """Every row that would clash with another body in the register, with its reason."""
    problems = []
    for record in records:
        _, problem = match_body(session, record)
        if problem:
            problems.append(f"row {record.line}: {problem}" if record.line else f"{record.name}: {problem}")
    return problems


def _new_body(record: BodyRecord) -> Body:
    body = Body(named_in_network=False, synthetic=False, population=None, org_number=None)
    _apply(body, record)
    return body


def _apply(body: Body, record: BodyRecord) -> None:
    body.name = record.name
    body.kind = record.kind
    body.county_number = record.county_number
    body.municipality_number = record.municipality_number
    body.population = record.population if record.population is not None else body.population
    body.written_standard = record.written_standard
    body.org_number = record.org_number or body.org_number


def upsert_bodies(session: Session, records: list[BodyRecord]) -> tuple[int, int]:
    """Add new bodies and update known ones (matched by municipality number, else by name).

    Rows that clash with other bodies (a rename onto a name in use, an organisation number another
    body holds) reject the whole list before anything is written: BodyImportError lists them all.
    """
    problems = register_problems(session, records)
    if problems:
        raise BodyImportError(problems)
    added = updated = 0
    for record in records:
        body, _ = match_body(session, record)
        if body is None:
            session.add(_new_body(record))
            added += 1
        else:
            _apply(body, record)
            updated += 1
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
