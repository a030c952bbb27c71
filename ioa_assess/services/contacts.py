"""Contact persons: who receives a member body's invitation and reminders in one round.

Set one at a time on the network page, or many from a CSV file (all or nothing, every bad row
listed). Every change is written to the audit trail.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from ioa_assess.services import audit
from ioa_assess.services.accounts import normalise_email
from ioa_assess.services.actor import Actor, InvalidInput, NotFound, PermissionDenied, is_id, now
from ioa_assess.services.network_admin import ImportRejected
from ioa_assess.storage.engine import session_scope
from ioa_assess.storage.models import Body, Contact, NetworkMember, Round

MAX_CONTACT_NAME = 200
MAX_CSV_BYTES = 2_000_000
CSV_COLUMNS = ("body", "name", "email")


@dataclass(frozen=True)
class ContactRow:
    body_id: int
    body: str
    county_number: int
    name: str | None  # None: the body has no contact in this round
    email: str | None


def round_run_by(session: Session, actor: Actor, round_id: int) -> Round:
    rnd = session.get(Round, round_id) if is_id(round_id) else None
    if rnd is None or not actor.runs_network(rnd.network_id):
        raise PermissionDenied("Only the network's facilitators can change it.")
    return rnd


def _member_ids(session: Session, network_id: int) -> set[int]:
    return set(session.scalars(select(NetworkMember.body_id).where(NetworkMember.network_id == network_id)))


def _clean(name: str, email: str) -> tuple[str, str]:
    name = name.strip()
    if not name:
        raise InvalidInput("Give the contact person's name.")
    if len(name) > MAX_CONTACT_NAME or any(ord(c) < 32 for c in name):
        raise InvalidInput("A name can be at most {n} characters.", n=MAX_CONTACT_NAME)
    return name, normalise_email(email)


def list_contacts(actor: Actor, round_id: int) -> list[ContactRow]:
    """Every member body of the round's network, with its contact person if it has one."""
    with session_scope() as session:
        rnd = round_run_by(session, actor, round_id)
        contacts = {
            c.body_id: c for c in session.scalars(select(Contact).where(Contact.round_id == round_id))
        }
        bodies = session.scalars(
            select(Body)
            .join(NetworkMember, NetworkMember.body_id == Body.id)
            .where(NetworkMember.network_id == rnd.network_id)
            .order_by(Body.name)
        )
        return [
            ContactRow(
                b.id,
                b.name,
                b.county_number,
                contacts[b.id].name if b.id in contacts else None,
                contacts[b.id].email if b.id in contacts else None,
            )
            for b in bodies
        ]


def _upsert(session: Session, actor: Actor, rnd: Round, body_id: int, name: str, email: str) -> None:
    contact = session.scalar(select(Contact).where(Contact.round_id == rnd.id, Contact.body_id == body_id))
    if contact is None:
        session.add(Contact(round_id=rnd.id, body_id=body_id, name=name, email=email, updated_at=now()))
    elif (contact.name, contact.email) == (name, email):
        return
    else:
        contact.name, contact.email, contact.updated_at = name, email, now()
    audit.record(session, actor, "contact.set", f"body:{body_id}", f"round={rnd.id} email={email}")


def set_contact(actor: Actor, round_id: int, body_id: int, name: str, email: str) -> None:
    name, email = _clean(name, email)
    with session_scope(write=True) as session:
        rnd = round_run_by(session, actor, round_id)
        if not is_id(body_id) or body_id not in _member_ids(session, rnd.network_id):
            raise NotFound("The body is not a member of the network.")
        _upsert(session, actor, rnd, body_id, name, email)


def remove_contact(actor: Actor, round_id: int, body_id: int) -> None:
    with session_scope(write=True) as session:
        rnd = round_run_by(session, actor, round_id)
        contact = session.scalar(
            select(Contact).where(Contact.round_id == rnd.id, Contact.body_id == body_id)
        )
        if contact is None:
            raise NotFound("The body has no contact person in this round.")
        session.delete(contact)
        audit.record(session, actor, "contact.remove", f"body:{body_id}", f"round={rnd.id}")


def _rows(data: bytes) -> list[dict[str, str]]:
    if len(data) > MAX_CSV_BYTES:
        raise ImportRejected([f"the file is larger than {MAX_CSV_BYTES // 1_000_000} MB"])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportRejected(["the file is not UTF-8 text"]) from None
    lines = text.splitlines()
    if not lines:
        raise ImportRejected(["the file is empty"])
    dialect = csv.Sniffer().sniff(lines[0], delimiters=",;\t") if lines[0].strip() else csv.excel
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
    header = [h.strip().lower() for h in reader.fieldnames or []]
    missing = [c for c in CSV_COLUMNS if c not in header]
    if missing:
        raise ImportRejected([f"missing columns: {', '.join(missing)} (expected {', '.join(CSV_COLUMNS)})"])
    reader.fieldnames = header
    return [{k: (v or "").strip() for k, v in row.items() if k} for row in reader]


def import_contacts(actor: Actor, round_id: int, data: bytes) -> int:
    """Contacts from a CSV file with the columns body (name, municipality or organisation number),
    name and email; all or nothing. Returns how many rows were stored."""
    with session_scope() as session:
        round_run_by(session, actor, round_id)
    rows = _rows(data)
    if not rows:
        raise ImportRejected(["the file has no rows"])
    with session_scope(write=True) as session:
        rnd = round_run_by(session, actor, round_id)
        members = _member_ids(session, rnd.network_id)
        problems: list[str] = []
        found: dict[int, tuple[str, str]] = {}
        for line, row in enumerate(rows, start=2):
            key = row.get("body", "")
            body = session.scalar(
                select(Body).where(
                    or_(
                        func.lower(Body.name) == key.lower(),
                        Body.municipality_number == key,
                        Body.org_number == key.replace(" ", ""),
                    )
                )
            )
            if body is None or body.id not in members:
                problems.append(f"row {line}: '{key}' is not a member body of the network")
                continue
            try:
                found[body.id] = _clean(row.get("name", ""), row.get("email", ""))
            except InvalidInput as exc:
                problems.append(f"row {line}: {body.name}: {exc}")
        if problems:
            raise ImportRejected(problems)
        for body_id, (name, email) in found.items():
            _upsert(session, actor, rnd, body_id, name, email)
        audit.record(session, actor, "contact.import", f"round:{rnd.id}", f"rows={len(found)}")
        return len(found)
