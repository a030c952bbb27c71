"""What each role should do now: the figures its start page needs, one function per role.

Nothing here changes data: opening the start page never starts an assessment.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.engine import URL, make_url

from ioa_assess.config import database_url
from ioa_assess.mail import is_configured
from ioa_assess.peers import Spread, allowed, spread, withheld_groups
from ioa_assess.questionnaire import load_questionnaire
from ioa_assess.scoring import progress_by_dimension
from ioa_assess.services.actor import Actor, NotFound, PermissionDenied, ServiceError, now
from ioa_assess.services.agenda import AgendaItem, workshop_agenda
from ioa_assess.services.agreement import Person, question_views
from ioa_assess.services.cohort import network_info
from ioa_assess.services.dashboard import RemindRow, completion_summary, remind_list
from ioa_assess.services.leadership import leadership_summary
from ioa_assess.services.privacy import Purge, purge_closed_rounds
from ioa_assess.services.published import round_snapshot
from ioa_assess.services.scores import body_info
from ioa_assess.storage.engine import session_scope
from ioa_assess.storage.migrate import current_revision
from ioa_assess.storage.models import (
    Assessment,
    AuditEvent,
    Body,
    Network,
    NetworkMember,
    Response,
    Round,
    User,
)

SIGN_IN_FAILURES = ("signin.failed", "signin.locked", "invitation.failed", "signin.sso_refused")
FAILURE_WINDOW = timedelta(days=7)
SHOWN = 5


def _days_left(closes_on: date, today: date) -> int:
    return (closes_on - today).days


# --- participant and agency lead --------------------------------------------------------------


@dataclass(frozen=True)
class AnswererStart:
    body: str
    round_name: str | None  # None: no open round for the body
    closes_on: date | None
    days_left: int | None
    status: str  # not_started, in_progress, submitted, no_round
    answered: int
    total: int
    next_dimension: str | None  # where the work stopped: the first dimension with an open question
    # For the agency lead, when several people answer: who (a name where the person agreed to it,
    # otherwise a letter), how many questions, whether they said they are done.
    respondents: list[Person]
    questionnaire_version: str | None = None
    to_agree: int = 0  # answered questions without an agreed answer (agency lead)
    apart: int = 0  # of those, where the people are two or more levels apart
    done: bool = False  # the person said their own part is done


def answerer_start(actor: Actor, today: date | None = None) -> AnswererStart:
    if not actor.answers_for_body or actor.body_id is None:
        raise PermissionDenied("Only the organisation's respondents answer the assessment.")
    today = today or date.today()
    with session_scope() as session:
        body = session.get(Body, actor.body_id)
        if body is None:
            raise NotFound("No such body.")
        if actor.round_id is not None:
            rnd = session.get(Round, actor.round_id)
        else:
            rnd = session.scalars(
                select(Round)
                .join(NetworkMember, NetworkMember.network_id == Round.network_id)
                .where(NetworkMember.body_id == body.id, Round.closed_at.is_(None))
                .order_by(Round.opens_on.desc())
            ).first()
        if rnd is None:
            return AnswererStart(body.name, None, None, None, "no_round", 0, 0, None, [])
        questionnaire = load_questionnaire(rnd.questionnaire_version)
        assessment = session.scalar(
            select(Assessment).where(Assessment.body_id == body.id, Assessment.round_id == rnd.id)
        )
        levels: dict[str, int] = {}
        respondents: list[Person] = []
        to_agree = apart = 0
        done = False
        if assessment is not None:
            people, questions = question_views(session, actor, assessment.id, questionnaire)
            me = next((p for p in people if p.is_me), None)
            done = me is not None and me.done_at is not None
            if me is not None:
                levels = {
                    q: level
                    for q, views in questions.items()
                    for voice in views.voices
                    if voice.letter == me.letter and (level := voice.level) is not None
                }
            if actor.role == "agency_lead" and len(people) > 1:
                respondents = people
                to_agree = sum(1 for v in questions.values() if v.open)
                apart = sum(1 for v in questions.values() if v.open and v.seen.apart)
        progress = progress_by_dimension(questionnaire, levels)
        answered = sum(a for a, _ in progress.values())
        next_dimension = next((d for d, (a, t) in progress.items() if a < t), None)
        if assessment is None:
            status = "not_started"
        else:
            status = "submitted" if assessment.status == "submitted" else "in_progress"
        return AnswererStart(
            body=body.name,
            round_name=rnd.name,
            closes_on=rnd.closes_on,
            days_left=_days_left(rnd.closes_on, today),
            status=status,
            answered=answered,
            total=len(questionnaire.questions),
            next_dimension=next_dimension,
            respondents=respondents,
            questionnaire_version=rnd.questionnaire_version,
            to_agree=to_agree,
            apart=apart,
            done=done,
        )


# --- leader -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LeaderStart:
    body: str
    round_name: str | None  # None: nothing submitted yet
    overall: float | None
    change: float | None  # since the previous round
    previous_round: str | None
    peers: Spread | None  # the network's overall spread, None under the k rule
    position: str | None  # above, within or below the middle half of the network


def leader_start(actor: Actor) -> LeaderStart:
    try:
        summary = leadership_summary(actor)
    except NotFound:
        with session_scope() as session:
            body = session.get(Body, actor.body_id) if actor.body_id else None
            return LeaderStart(body.name if body else "", None, None, None, None, None, None)
    peers = summary.standing.overall_peers
    overall = summary.overall
    position = None
    if peers is not None and overall is not None:
        position = "above" if overall > peers.q3 else "below" if overall < peers.q1 else "within"
    return LeaderStart(
        body=summary.body_name,
        round_name=summary.round_name,
        overall=overall,
        change=summary.change,
        previous_round=summary.standing.previous_round_name,
        peers=peers,
        position=position,
    )


# --- facilitator --------------------------------------------------------------------------------


@dataclass(frozen=True)
class FacilitatorStart:
    network: str
    round_id: int | None  # the open round, None when there is none
    round_name: str | None
    closes_on: date | None
    days_left: int | None
    counts: dict[str, int]  # not_started, in_progress, submitted
    members: int
    to_remind: list[RemindRow]  # the first few bodies that have not submitted
    to_remind_total: int
    mail_ready: bool
    agenda: list[AgendaItem]  # the top of the workshop agenda (lowest medians)
    questionnaire_version: str | None = None  # of the open round: the agenda's questions are in it


def facilitator_start(actor: Actor, today: date | None = None) -> FacilitatorStart:
    if actor.role != "facilitator" and not actor.is_admin:
        raise PermissionDenied("Only facilitators run networks.")
    today = today or date.today()
    info = network_info(actor)
    open_rounds = [r for r in info.rounds if not r.closed]
    if not open_rounds:
        empty = {"not_started": 0, "in_progress": 0, "submitted": 0}
        return FacilitatorStart(
            info.name, None, None, None, None, empty, info.members, [], 0, is_configured(), []
        )
    rnd = open_rounds[-1]
    summary = completion_summary(actor, rnd.id)
    remind = remind_list(actor, rnd.id)
    try:
        agenda = [i for i in workshop_agenda(actor, rnd.id, top=3) if i.reason == "lowest_median"]
    except ServiceError:
        agenda = []
    return FacilitatorStart(
        network=info.name,
        round_id=rnd.id,
        round_name=rnd.name,
        closes_on=rnd.closes_on,
        days_left=_days_left(rnd.closes_on, today),
        counts=summary.counts,
        members=len(summary.rows),
        to_remind=remind[:SHOWN],
        to_remind_total=len(remind),
        mail_ready=is_configured(),
        agenda=agenda,
        questionnaire_version=rnd.questionnaire_version,
    )


# --- regional leader ----------------------------------------------------------------------------


@dataclass(frozen=True)
class RegionalStart:
    network: str
    round_name: str | None  # the latest round with submitted assessments
    members: int
    submitted: int | None  # None when the network has fewer than k members
    overall: Spread | None  # None under the k rule
    counties: list[tuple[str, int, Spread | None]]  # county, members, its spread under the k rule


def regional_start(actor: Actor) -> RegionalStart:
    info = network_info(actor)
    with session_scope() as session:
        members = list(
            session.scalars(select(NetworkMember.body_id).where(NetworkMember.network_id == info.id))
        )
        infos = body_info(session, members)
    # The latest round's published snapshot, as the Region page shows it: these figures move only
    # when at least k more bodies have submitted, so watching them singles out no body.
    latest, values = None, {}
    for rnd in reversed(info.rounds):
        snapshot = round_snapshot(rnd.id)
        overall_scores = snapshot.overall if snapshot else {}
        values = {b: v for b, v in overall_scores.items() if v is not None and b in infos}
        if values:
            latest = rnd
            break
    counties = []
    by_county: dict[str, list[int]] = {}
    for body_id, body in infos.items():
        by_county.setdefault(body.county, []).append(body_id)
    # A county is shown only when the network figure is shown too, and never one that differs from
    # the whole by fewer than k (the whole minus the county would single those bodies out).
    groups = {f"county:{c}": {b for b in ids if b in values} for c, ids in by_county.items()}
    groups["network:"] = set(values)
    hidden = withheld_groups(groups)
    for county in sorted(by_county):
        ids = groups[f"county:{county}"]
        shown = None if f"county:{county}" in hidden else spread([values[b] for b in ids])
        counties.append((county, len(by_county[county]), shown))
    overall = None if "network:" in hidden else spread(list(values.values()))
    return RegionalStart(
        network=info.name,
        round_name=latest.name if latest else None,
        members=len(members),
        submitted=len(values) if allowed(len(members)) else None,
        overall=overall,
        counties=counties,
    )


# --- administrator ------------------------------------------------------------------------------


@dataclass(frozen=True)
class FailedSignIn:
    at: datetime
    who: str  # what was typed as the e-mail, or "anonymous" for a code
    action: str


@dataclass(frozen=True)
class AdminStart:
    database: str  # which database: the SQLite file's name, or host and name on a server
    backend: str
    revision: str | None
    counts: dict[str, int]  # bodies, networks, rounds, users, assessments, answers
    purge: Purge
    failures: int  # failed sign-ins and codes in the last 7 days
    recent_failures: list[FailedSignIn]
    mail_ready: bool


def _database_name(url: URL) -> str:
    if url.get_backend_name() == "sqlite":
        return Path(url.database or ":memory:").name
    return f"{url.host or 'localhost'}/{url.database}"


def admin_start(actor: Actor, today: date | None = None) -> AdminStart:
    if not actor.is_admin:
        raise PermissionDenied("Only administrators see this.")
    url = make_url(database_url())
    since = now() - FAILURE_WINDOW
    with session_scope() as session:
        count = lambda model: session.scalar(select(func.count()).select_from(model)) or 0  # noqa: E731
        counts = {
            "bodies": count(Body),
            "networks": count(Network),
            "rounds": count(Round),
            "users": session.scalar(select(func.count()).where(User.deleted_at.is_(None))) or 0,
            "assessments": count(Assessment),
            "answers": session.scalar(select(func.count()).where(Response.level.is_not(None))) or 0,
        }
        failed = select(AuditEvent).where(AuditEvent.action.in_(SIGN_IN_FAILURES), AuditEvent.at >= since)
        failures = session.scalar(select(func.count()).select_from(failed.subquery())) or 0
        recent = [
            FailedSignIn(e.at, e.actor, e.action)
            for e in session.scalars(failed.order_by(AuditEvent.at.desc()).limit(SHOWN))
        ]
    return AdminStart(
        database=_database_name(url),
        backend=url.get_backend_name(),
        revision=current_revision(),
        counts=counts,
        purge=purge_closed_rounds(actor, today or date.today(), dry_run=True),
        failures=failures,
        recent_failures=recent,
        mail_ready=is_configured(),
    )
