"""Running a network: networks, rounds, member bodies (search or CSV import), reopening an
assessment, and invitation codes. Every change is written to the audit trail."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ioa_assess.bootstrap import register_problems, upsert_bodies
from ioa_assess.i18n import N_
from ioa_assess.questionnaire import newest_version, usable_versions
from ioa_assess.reference import BodyImportError, BodyRecord, parse_bodies_csv
from ioa_assess.services import audit
from ioa_assess.services.accounts import DEFAULT_CODE_DAYS, issue_invitation, revoke_invitation
from ioa_assess.services.actor import Actor, InvalidInput, NotFound, PermissionDenied, is_id, now
from ioa_assess.services.assessments import reopen_assessment
from ioa_assess.services.published import publish
from ioa_assess.services.scores import body_info
from ioa_assess.storage.engine import session_scope
from ioa_assess.storage.models import Assessment, Body, Invitation, Network, NetworkMember, Round

MAX_NAME_LENGTH = 200
MAX_DESCRIPTION_LENGTH = 2000
MAX_SEARCH_RESULTS = 50
MAX_CODES_AT_ONCE = 500
IMPORT_REJECTED = N_("The file was rejected and nothing was imported. Fix these rows and try again:")


def _clean_name(text: str, missing: str) -> str:
    text = text.strip()
    if not text:
        raise InvalidInput(missing)
    if len(text) > MAX_NAME_LENGTH:
        raise InvalidInput("A name can be at most {n} characters.", n=MAX_NAME_LENGTH)
    if any(ord(c) < 32 for c in text):
        raise InvalidInput("The name contains a character that cannot be stored.")
    return text


def _runs(actor: Actor, network_id: int) -> None:
    if not actor.runs_network(network_id):
        raise PermissionDenied("Only the network's facilitators can change it.")


def _network(session: Session, actor: Actor, network_id: int) -> Network:
    _runs(actor, network_id)  # before the lookup, so that ids of other networks reveal nothing
    network = session.get(Network, network_id) if is_id(network_id) else None
    if network is None:
        raise NotFound("There is no network yet.")
    return network


def _round(session: Session, actor: Actor, round_id: int) -> Round:
    rnd = session.get(Round, round_id) if is_id(round_id) else None
    if rnd is None or not actor.runs_network(rnd.network_id):
        raise PermissionDenied("Only the network's facilitators can change it.")
    return rnd


# --- networks and rounds --------------------------------------------------------------------


@dataclass(frozen=True)
class NetworkChoice:
    id: int
    name: str


def list_networks(actor: Actor) -> list[NetworkChoice]:
    """The networks the actor runs: all for an administrator, its own for a facilitator."""
    if not (actor.is_admin or actor.role == "facilitator"):
        raise PermissionDenied("Only facilitators and administrators run networks.")
    with session_scope() as session:
        query = select(Network).order_by(Network.name)
        if not actor.is_admin:
            query = query.where(Network.id == actor.network_id)
        return [NetworkChoice(n.id, n.name) for n in session.scalars(query)]


def create_network(actor: Actor, name: str, description: str = "") -> int:
    """A new, empty network. Administrators only: a facilitator's account is bound to one network."""
    if not actor.is_admin:
        raise PermissionDenied("Only an administrator can create a network.")
    name = _clean_name(name, N_("Give the network a name."))
    if len(description) > MAX_DESCRIPTION_LENGTH:
        raise InvalidInput("The description can be at most {n} characters.", n=MAX_DESCRIPTION_LENGTH)
    with session_scope(write=True) as session:
        if session.scalar(select(Network.id).where(Network.name == name)) is not None:
            raise InvalidInput("A network with this name already exists.")
        network = Network(name=name, description=description.strip(), created_at=now())
        session.add(network)
        session.flush()
        audit.record(session, actor, "network.create", f"network:{network.id}", name)
        return network.id


def create_round(
    actor: Actor,
    network_id: int,
    name: str,
    opens_on: date,
    closes_on: date,
    questionnaire_version: str | None = None,
) -> int:
    """A new round; it takes the newest questionnaire unless the facilitator chooses another, and
    keeps its version for good (answers and comparisons depend on it)."""
    name = _clean_name(name, N_("Give the round a name."))
    if not isinstance(opens_on, date) or not isinstance(closes_on, date) or closes_on < opens_on:
        raise InvalidInput("The round must close on or after the day it opens.")
    questionnaire_version = questionnaire_version or newest_version()
    if questionnaire_version not in usable_versions():
        raise InvalidInput("Unknown questionnaire version '{version}'.", version=questionnaire_version)
    with session_scope(write=True) as session:
        _network(session, actor, network_id)
        taken = select(Round.id).where(Round.network_id == network_id, Round.name == name)
        if session.scalar(taken) is not None:
            raise InvalidInput("The network already has a round with this name.")
        rnd = Round(
            network_id=network_id,
            name=name,
            opens_on=opens_on,
            closes_on=closes_on,
            questionnaire_version=questionnaire_version,
        )
        session.add(rnd)
        session.flush()
        detail = f"{name}; {opens_on.isoformat()} to {closes_on.isoformat()}; {questionnaire_version}"
        audit.record(session, actor, "round.create", f"round:{rnd.id}", detail)
        return rnd.id


def close_round(actor: Actor, round_id: int) -> None:
    """No answer can be changed in a closed round; its submitted assessments stay as they are."""
    with session_scope(write=True) as session:
        rnd = _round(session, actor, round_id)
        if rnd.closed_at is not None:
            raise InvalidInput("The round is already closed.")
        rnd.closed_at = now()
        audit.record(session, actor, "round.close", f"round:{rnd.id}", rnd.name)
    publish(round_id, closing=True)


def change_round(actor: Actor, round_id: int, name: str, opens_on: date, closes_on: date) -> None:
    """Rename a round or move its dates (a deadline extended, say); the change is recorded.
    A closed round stays closed: its dates are only what the pages show."""
    name = _clean_name(name, N_("Give the round a name."))
    if not isinstance(opens_on, date) or not isinstance(closes_on, date) or closes_on < opens_on:
        raise InvalidInput("The round must close on or after the day it opens.")
    with session_scope(write=True) as session:
        rnd = _round(session, actor, round_id)
        taken = select(Round.id).where(
            Round.network_id == rnd.network_id, Round.name == name, Round.id != rnd.id
        )
        if session.scalar(taken) is not None:
            raise InvalidInput("The network already has a round with this name.")
        before = f"{rnd.name}; {rnd.opens_on.isoformat()} to {rnd.closes_on.isoformat()}"
        rnd.name, rnd.opens_on, rnd.closes_on = name, opens_on, closes_on
        after = f"{name}; {opens_on.isoformat()} to {closes_on.isoformat()}"
        if after != before:
            audit.record(session, actor, "round.change", f"round:{rnd.id}", f"{before} -> {after}")


def reopen_for_body(actor: Actor, round_id: int, body_id: int, reason: str) -> None:
    """Reopen one body's submitted assessment in a round; the reason goes to the audit trail."""
    if not is_id(body_id):
        raise NotFound("No such assessment.")
    with session_scope() as session:
        _round(session, actor, round_id)
        assessment_id = session.scalar(
            select(Assessment.id).where(Assessment.round_id == round_id, Assessment.body_id == body_id)
        )
    if assessment_id is None:
        raise NotFound("No such assessment.")
    reopen_assessment(actor, assessment_id, reason)


# --- members ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class BodyChoice:
    id: int
    name: str
    county: str
    kind: str
    municipality_number: str | None
    named_in_network: bool
    member: bool


def _member_ids(session: Session, network_id: int) -> set[int]:
    return set(session.scalars(select(NetworkMember.body_id).where(NetworkMember.network_id == network_id)))


def _choices(session: Session, network_id: int, body_ids: list[int] | None) -> list[BodyChoice]:
    members = _member_ids(session, network_id)
    numbers = dict(session.execute(select(Body.id, Body.municipality_number)).all())
    return [
        BodyChoice(i.id, i.name, i.county, i.kind, numbers.get(i.id), i.named_in_network, i.id in members)
        for i in body_info(session, body_ids).values()
    ]


def members(actor: Actor, network_id: int) -> list[BodyChoice]:
    with session_scope() as session:
        _network(session, actor, network_id)
        ids = sorted(_member_ids(session, network_id))
        return sorted(_choices(session, network_id, ids), key=lambda c: (c.county, c.name))


def search_bodies(actor: Actor, network_id: int, text: str) -> list[BodyChoice]:
    """Bodies of the reference list whose name contains `text`, or whose municipality number starts
    with it; at most MAX_SEARCH_RESULTS, members included (marked)."""
    text = text.strip()[:MAX_NAME_LENGTH]
    if not text:
        return []
    with session_scope() as session:
        _network(session, actor, network_id)
        everyone = _choices(session, network_id, None)
    needle = text.casefold()  # in Python: SQLite's lower() does not fold æøå
    if text.isdigit():
        found = [c for c in everyone if (c.municipality_number or "").startswith(text)]
    else:
        found = [c for c in everyone if needle in c.name.casefold()]
    found.sort(key=lambda c: (not c.name.casefold().startswith(needle), c.name))
    return found[:MAX_SEARCH_RESULTS]


def _join(session: Session, actor: Actor, network_id: int, body_ids: list[int]) -> int:
    present = _member_ids(session, network_id)
    added = 0
    for body_id in dict.fromkeys(body_ids):
        if body_id in present:
            continue
        session.add(NetworkMember(network_id=network_id, body_id=body_id, joined_at=now()))
        audit.record(session, actor, "network.member_add", f"network:{network_id}", f"body:{body_id}")
        added += 1
    return added


def add_members(actor: Actor, network_id: int, body_ids: list[int]) -> int:
    """Add bodies of the reference list to the network; returns how many were new members."""
    if not body_ids:
        raise InvalidInput("Choose at least one body.")
    if not all(is_id(b) for b in body_ids):
        raise NotFound("No such body.")
    with session_scope(write=True) as session:
        _network(session, actor, network_id)
        known = set(session.scalars(select(Body.id).where(Body.id.in_(body_ids))))
        if known != set(body_ids):
            raise NotFound("No such body.")
        return _join(session, actor, network_id, body_ids)


def remove_member(actor: Actor, network_id: int, body_id: int) -> None:
    """Take a body out of the network, with its unused codes. Only while it has no assessment in the
    network's rounds: once it has answered, its answers are part of the network's history."""
    if not is_id(body_id):
        raise NotFound("No such body.")
    with session_scope(write=True) as session:
        _network(session, actor, network_id)
        membership = session.scalar(
            select(NetworkMember).where(
                NetworkMember.network_id == network_id, NetworkMember.body_id == body_id
            )
        )
        if membership is None:
            raise NotFound("The body is not a member of the network.")
        rounds = select(Round.id).where(Round.network_id == network_id)
        answered = select(Assessment.id).where(Assessment.body_id == body_id, Assessment.round_id.in_(rounds))
        if session.scalar(answered.limit(1)) is not None:
            raise InvalidInput(
                "The body has started an assessment in this network, so it stays a member: "
                "its answers are part of the network's results."
            )
        codes = select(Invitation.id).where(
            Invitation.body_id == body_id, Invitation.round_id.in_(rounds), Invitation.revoked_at.is_(None)
        )
        for invitation_id in session.scalars(codes).all():
            revoke_invitation(session, actor, invitation_id)
        session.delete(membership)
        audit.record(session, actor, "network.member_remove", f"network:{network_id}", f"body:{body_id}")


class ImportRejected(InvalidInput):
    """A CSV file rejected whole; `problems` lists every bad row with its reason (in English)."""

    def __init__(self, problems: list[str]):
        super().__init__(IMPORT_REJECTED)
        self.problems = problems


@dataclass(frozen=True)
class ImportOutcome:
    created: int  # bodies new to the register
    updated: int  # known bodies whose details were updated (administrators only)
    joined: int  # bodies that became members
    already: int  # bodies that were members already


def _match(session: Session, record: BodyRecord) -> tuple[Body | None, str | None]:
    by_number = (
        session.scalar(select(Body).where(Body.municipality_number == record.municipality_number))
        if record.municipality_number
        else None
    )
    by_name = session.scalar(select(Body).where(Body.name == record.name))
    if by_number is not None and by_name is not None and by_number.id != by_name.id:
        return None, (
            f"{record.name}: the municipality number {record.municipality_number} belongs to "
            f"{by_number.name}, and the name to another body"
        )
    return by_number or by_name, None


def import_members(actor: Actor, network_id: int, data: bytes) -> ImportOutcome:
    """Bodies from a CSV file in the reference format become members, all or nothing.

    Every row must be valid (the rules of `import-agencies`), or nothing is stored and every bad row
    is listed. Unknown bodies are added to the register; an administrator's file also updates the
    details of known bodies, a facilitator's only links them (the register is shared by networks).
    """
    with session_scope() as session:
        _network(session, actor, network_id)
    try:
        records = parse_bodies_csv(data)
    except BodyImportError as exc:
        raise ImportRejected(exc.problems) from None
    with session_scope(write=True) as session:
        if clashes := register_problems(session, records):
            raise ImportRejected(clashes)
        problems, ids, created, updated = [], [], 0, 0
        for record in records:
            body, problem = _match(session, record)
            if problem:
                problems.append(problem)
                continue
            if body is None or actor.is_admin:
                added, changed = upsert_bodies(session, [record])
                created, updated = created + added, updated + changed
                body, _ = _match(session, record)
            assert body is not None
            ids.append(body.id)
        if problems:
            raise ImportRejected(problems)
        before = len(_member_ids(session, network_id) & set(ids))
        joined = _join(session, actor, network_id, ids)
        detail = f"created={created} updated={updated} joined={joined}"
        audit.record(session, actor, "network.import", f"network:{network_id}", detail)
        return ImportOutcome(created, updated, joined, before)


# --- invitation codes -------------------------------------------------------------------------


@dataclass(frozen=True)
class InvitationRow:
    id: int
    body: str
    hint: str
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None
    used_count: int
    last_used_at: datetime | None

    @property
    def status(self) -> str:
        if self.revoked_at is not None:
            return "revoked"
        return "expired" if self.expires_at <= now() else "active"


def list_invitations(actor: Actor, round_id: int) -> list[InvitationRow]:
    """The round's codes, newest first: only their last characters (the codes are not stored)."""
    with session_scope() as session:
        _round(session, actor, round_id)
        query = (
            select(Invitation, Body.name)
            .join(Body, Body.id == Invitation.body_id)
            .where(Invitation.round_id == round_id)
            .order_by(Invitation.created_at.desc(), Invitation.id.desc())
        )
        return [
            InvitationRow(
                i.id, name, i.hint, i.created_at, i.expires_at, i.revoked_at, i.used_count, i.last_used_at
            )
            for i, name in session.execute(query)
        ]


@dataclass(frozen=True)
class IssuedCode:
    body: str
    code: str  # shown once, never stored
    expires_at: datetime


def issue_codes(
    actor: Actor, round_id: int, body_ids: list[int], valid_days: int = DEFAULT_CODE_DAYS
) -> list[IssuedCode]:
    """One new code per chosen member body for an open round, all in one transaction."""
    if not body_ids:
        raise InvalidInput("Choose at least one body.")
    if len(body_ids) > MAX_CODES_AT_ONCE:
        raise InvalidInput("At most {n} codes at once.", n=MAX_CODES_AT_ONCE)
    if not all(is_id(b) for b in body_ids):
        raise InvalidInput("Codes can only be issued for member bodies of the network.")
    with session_scope(write=True) as session:
        rnd = _round(session, actor, round_id)
        if rnd.closed_at is not None:
            raise InvalidInput("The round is closed.")
        present = _member_ids(session, rnd.network_id)
        if not set(body_ids) <= present:
            raise InvalidInput("Codes can only be issued for member bodies of the network.")
        names = {i.id: i.name for i in body_info(session, list(body_ids)).values()}
        issued = []
        for body_id in dict.fromkeys(body_ids):
            invitation, code = issue_invitation(session, actor, body_id, round_id, valid_days)
            issued.append(IssuedCode(names[body_id], code, invitation.expires_at))
        return sorted(issued, key=lambda c: c.body)


def revoke_code(actor: Actor, invitation_id: int) -> None:
    with session_scope(write=True) as session:
        invitation = session.get(Invitation, invitation_id) if is_id(invitation_id) else None
        if invitation is None:
            raise NotFound("No such code.")
        _round(session, actor, invitation.round_id)
        if invitation.revoked_at is not None:
            raise InvalidInput("The code is already revoked.")
        revoke_invitation(session, actor, invitation_id)
