"""Personal data: what is stored about a person or a body (export), deleting a person, retention.

Administrators only; every change is recorded in the audit trail. Exports are recorded when they
leave the system (audit.record_export, called by the admin page's downloads and by the CLI).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pandas as pd
from sqlalchemy import delete, func, or_, select
from sqlalchemy.orm import Session

from ioa_assess.config import retention_days
from ioa_assess.reports.tables import to_json, to_xlsx
from ioa_assess.services import audit, throttle, web_sessions
from ioa_assess.services.accounts import normalise_email
from ioa_assess.services.actor import Actor, InvalidInput, NotFound, PermissionDenied, is_id, now
from ioa_assess.storage.engine import session_scope
from ioa_assess.storage.models import (
    Action,
    ActionNote,
    AnswerSet,
    Assessment,
    AssessmentScore,
    AuditEvent,
    Body,
    Invitation,
    Network,
    PersonalAnswer,
    PublishedSnapshot,
    Respondent,
    Response,
    Round,
    SnapshotScore,
    Target,
    User,
    WebSession,
)

REMOVED_LABEL = "removed user"
# A person's own answer set: what they answered themselves, before the body agreed its answers.
OWN_ANSWER_COLUMNS = [
    "round",
    "body",
    "question_id",
    "level",
    "comment",
    "evidence",
    "evidence_ref",
    "updated_at",
    "done_at",
]
EXPORT_FORMATS = ("json", "xlsx")


def _require_admin(actor: Actor) -> None:
    if not actor.is_admin:
        raise PermissionDenied("Only administrators can handle personal data.")


def _frame(rows: list[dict[str, object]], columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=columns)


def _user_by_email(session: Session, email: str) -> User:
    try:
        email = normalise_email(email)
    except InvalidInput:
        raise NotFound("No account with this e-mail.") from None
    user = session.scalar(select(User).where(User.email == email, User.deleted_at.is_(None)))
    if user is None:
        raise NotFound("No account with this e-mail.")
    return user


# --- choices for the admin page ------------------------------------------------------------


def accounts(actor: Actor) -> list[tuple[str, str]]:
    """(e-mail, role) of every account that is not deleted, by e-mail."""
    _require_admin(actor)
    with session_scope() as session:
        query = select(User.email, User.role).where(User.deleted_at.is_(None)).order_by(User.email)
        return [(email, role) for email, role in session.execute(query)]


def bodies(actor: Actor) -> list[tuple[int, str]]:
    """(id, name) of every body, by name."""
    _require_admin(actor)
    with session_scope() as session:
        return [(i, n) for i, n in session.execute(select(Body.id, Body.name).order_by(Body.name))]


# --- export --------------------------------------------------------------------------------


def person_data(actor: Actor, email: str) -> dict[str, pd.DataFrame]:
    """Everything stored about one account, one table per kind (no password hash, no tokens)."""
    _require_admin(actor)
    with session_scope() as session:
        user = _user_by_email(session, email)
        body = session.get(Body, user.body_id) if user.body_id else None
        network = session.get(Network, user.network_id) if user.network_id else None
        account = {
            "id": user.id,
            "email": user.email,
            "name": user.name,
            "role": user.role,
            "body": body.name if body else None,
            "network": network.name if network else None,
            "language": user.language,
            "password": "stored as an Argon2 hash (not exported)" if user.password_hash else "none",
            "failed_sign_ins": user.failed_logins,
            "locked_until": user.locked_until,
            "created_at": user.created_at,
        }
        respondents = session.execute(
            select(Respondent, Body.name)
            .join(Body, Body.id == Respondent.body_id)
            .where(Respondent.user_id == user.id)
            .order_by(Respondent.id)
        ).all()
        respondent_ids = [r.id for r, _ in respondents]
        answers = session.execute(
            select(Response, Body.name, Round.name)
            .join(Assessment, Assessment.id == Response.assessment_id)
            .join(Body, Body.id == Assessment.body_id)
            .join(Round, Round.id == Assessment.round_id)
            .where(Response.respondent_id.in_(respondent_ids))
            .order_by(Round.id, Response.question_id)
        ).all()
        own_answers = session.execute(
            select(PersonalAnswer, AnswerSet.done_at, Body.name, Round.name)
            .join(AnswerSet, AnswerSet.id == PersonalAnswer.answer_set_id)
            .join(Assessment, Assessment.id == AnswerSet.assessment_id)
            .join(Body, Body.id == Assessment.body_id)
            .join(Round, Round.id == Assessment.round_id)
            .where(AnswerSet.respondent_id.in_(respondent_ids))
            .order_by(Round.id, Body.name, PersonalAnswer.question_id)
        ).all()
        targets = session.execute(
            select(Target, Body.name)
            .join(Body, Body.id == Target.body_id)
            .where(Target.set_by.in_(respondent_ids))
            .order_by(Target.id)
        ).all()
        events = session.scalars(
            select(AuditEvent)
            .where(or_(AuditEvent.actor == user.email, AuditEvent.target == f"user:{user.id}"))
            .order_by(AuditEvent.id)
        ).all()
        sessions = session.scalars(
            select(WebSession).where(WebSession.user_id == user.id).order_by(WebSession.id)
        ).all()
        actions = session.execute(
            select(Action, Body.name)
            .join(Body, Body.id == Action.body_id)
            .where(or_(*_person_columns(Action, user.id)))
            .order_by(Action.id)
        ).all()
        notes = session.execute(
            select(ActionNote, Action.title)
            .join(Action, Action.id == ActionNote.action_id)
            .where(ActionNote.author_user_id == user.id)
            .order_by(ActionNote.id)
        ).all()
        issued = session.execute(
            select(Invitation, Body.name)
            .join(Body, Body.id == Invitation.body_id)
            .where(Invitation.created_by == user.id)
            .order_by(Invitation.id)
        ).all()
    return {
        "account": _frame([account], list(account)),
        "respondents": _frame(
            [{"id": r.id, "body": b, "label": r.label, "created_at": r.created_at} for r, b in respondents],
            ["id", "body", "label", "created_at"],
        ),
        "answers_last_changed": _frame(
            [
                {
                    "body": b,
                    "round": rn,
                    "question_id": r.question_id,
                    "level": r.level,
                    "comment": r.comment,
                    "updated_at": r.updated_at,
                }
                for r, b, rn in answers
            ],
            ["body", "round", "question_id", "level", "comment", "updated_at"],
        ),
        "own_answers": _frame(
            [
                {
                    "round": rn,
                    "body": b,
                    "question_id": a.question_id,
                    "level": a.level,
                    "comment": a.comment,
                    "evidence": a.evidence,
                    "evidence_ref": a.evidence_ref,
                    "updated_at": a.updated_at,
                    "done_at": done_at,
                }
                for a, done_at, b, rn in own_answers
            ],
            OWN_ANSWER_COLUMNS,
        ),
        "targets_set": _frame(
            [
                {"body": b, "dimension_id": t.dimension_id, "level": t.level, "updated_at": t.updated_at}
                for t, b in targets
            ],
            ["body", "dimension_id", "level", "updated_at"],
        ),
        "audit_events": _frame(
            [
                {"at": e.at, "actor": e.actor, "action": e.action, "target": e.target, "detail": e.detail}
                for e in events
            ],
            ["at", "actor", "action", "target", "detail"],
        ),
        "web_sessions": _frame(
            [
                {"created_at": w.created_at, "expires_at": w.expires_at, "revoked_at": w.revoked_at}
                for w in sessions
            ],
            ["created_at", "expires_at", "revoked_at"],
        ),
        "invitations_issued": _invitation_frame([(i, b) for i, b in issued]),
        "actions": _action_frame(actions, user.id),
        "action_notes": _frame(
            [{"action": title, "written_at": n.written_at, "text": n.text} for n, title in notes],
            ["action", "written_at", "text"],
        ),
    }


def _person_columns(model: type[Action], user_id: int) -> list[object]:
    return [
        model.owner_user_id == user_id,
        model.created_by_user_id == user_id,
        model.updated_by_user_id == user_id,
        model.approved_by_user_id == user_id,
    ]


def _action_frame(rows: list[tuple[Action, str]], user_id: int) -> pd.DataFrame:
    """The actions a person owns, made, last changed or approved, and which of these they are."""
    columns = ["body", "title", "description", "owner", "due_on", "status", "as", "created_at"]

    def roles(a: Action) -> str:
        parts = [
            ("owner", a.owner_user_id),
            ("created", a.created_by_user_id),
            ("last changed", a.updated_by_user_id),
            ("approved", a.approved_by_user_id),
        ]
        return ", ".join(name for name, who in parts if who == user_id)

    return _frame(
        [
            {
                "body": body,
                "title": a.title,
                "description": a.description,
                "owner": a.owner,
                "due_on": a.due_on,
                "status": a.status,
                "as": roles(a),
                "created_at": a.created_at,
            }
            for a, body in rows
        ],
        columns,
    )


def _invitation_frame(rows: list[tuple[Invitation, str]]) -> pd.DataFrame:
    """Invitation metadata: the code's last four characters, never its hash."""
    columns = ["body", "round_id", "hint", "created_at", "expires_at", "revoked_at", "used", "last_used_at"]
    return _frame(
        [
            {
                "body": body,
                "round_id": i.round_id,
                "hint": i.hint,
                "created_at": i.created_at,
                "expires_at": i.expires_at,
                "revoked_at": i.revoked_at,
                "used": i.used_count,
                "last_used_at": i.last_used_at,
            }
            for i, body in rows
        ],
        columns,
    )


def body_data(actor: Actor, body_id: int) -> dict[str, pd.DataFrame]:
    """Everything stored about one body: assessments, answers and comments, targets, respondents,
    invitation codes (metadata only)."""
    _require_admin(actor)
    with session_scope() as session:
        body = session.get(Body, body_id) if is_id(body_id) else None
        if body is None:
            raise NotFound("No such body.")
        labels = {
            r.id: r.label for r in session.scalars(select(Respondent).where(Respondent.body_id == body_id))
        }
        assessments = session.execute(
            select(Assessment, Round.name)
            .join(Round, Round.id == Assessment.round_id)
            .where(Assessment.body_id == body_id)
            .order_by(Round.opens_on)
        ).all()
        answers = session.execute(
            select(Response, Round.name)
            .join(Assessment, Assessment.id == Response.assessment_id)
            .join(Round, Round.id == Assessment.round_id)
            .where(Assessment.body_id == body_id)
            .order_by(Round.opens_on, Response.question_id)
        ).all()
        targets = session.scalars(select(Target).where(Target.body_id == body_id).order_by(Target.id)).all()
        respondents = session.scalars(
            select(Respondent).where(Respondent.body_id == body_id).order_by(Respondent.id)
        ).all()
        invitations = session.scalars(
            select(Invitation).where(Invitation.body_id == body_id).order_by(Invitation.id)
        ).all()
        plan = session.scalars(select(Action).where(Action.body_id == body_id).order_by(Action.id)).all()
        body_name = body.name
        info = {
            "id": body.id,
            "name": body.name,
            "kind": body.kind,
            "county_number": body.county_number,
            "municipality_number": body.municipality_number,
            "org_number": body.org_number,
            "population": body.population,
            "written_standard": body.written_standard,
            "named_in_network": body.named_in_network,
        }
    return {
        "body": _frame([info], list(info)),
        "assessments": _frame(
            [
                {
                    "id": a.id,
                    "round": rn,
                    "status": a.status,
                    "started_at": a.started_at,
                    "updated_at": a.updated_at,
                    "submitted_at": a.submitted_at,
                    "submitted_by": labels.get(a.submitted_by) if a.submitted_by else None,
                }
                for a, rn in assessments
            ],
            ["id", "round", "status", "started_at", "updated_at", "submitted_at", "submitted_by"],
        ),
        "answers": _frame(
            [
                {
                    "round": rn,
                    "question_id": r.question_id,
                    "level": r.level,
                    "comment": r.comment,
                    "last_changed_by": labels.get(r.respondent_id) if r.respondent_id else None,
                    "updated_at": r.updated_at,
                    "agreement": r.agreement,
                    "reason": r.reason,
                    "evidence": r.evidence,
                    "evidence_ref": r.evidence_ref,
                }
                for r, rn in answers
            ],
            [
                "round",
                "question_id",
                "level",
                "comment",
                "last_changed_by",
                "updated_at",
                "agreement",
                "reason",
                "evidence",
                "evidence_ref",
            ],
        ),
        "targets": _frame(
            [
                {
                    "dimension_id": t.dimension_id,
                    "level": t.level,
                    "due_on": t.due_on,
                    "updated_at": t.updated_at,
                }
                for t in targets
            ],
            ["dimension_id", "level", "due_on", "updated_at"],
        ),
        "respondents": _frame(
            [
                {
                    "label": r.label,
                    "kind": "account" if r.user_id else ("invitation code" if r.invitation_id else "removed"),
                    "created_at": r.created_at,
                }
                for r in respondents
            ],
            ["label", "kind", "created_at"],
        ),
        "invitations": _invitation_frame([(i, body_name) for i in invitations]),
        "actions": _frame(
            [
                {
                    "title": a.title,
                    "description": a.description,
                    "question_ids": a.question_ids,
                    "dimension_id": a.dimension_id,
                    "owner": a.owner,
                    "due_on": a.due_on,
                    "status": a.status,
                    "approved_by": a.approved_by,
                    "created_by": a.created_by,
                    "created_at": a.created_at,
                }
                for a in plan
            ],
            [
                "title",
                "description",
                "question_ids",
                "dimension_id",
                "owner",
                "due_on",
                "status",
                "approved_by",
                "created_by",
                "created_at",
            ],
        ),
    }


def person_export_name(sheets: dict[str, pd.DataFrame]) -> str:
    """What the audit trail calls a person export: the account id, not the e-mail."""
    return f"person user:{int(sheets['account']['id'].iloc[0])}"


def to_bytes(sheets: dict[str, pd.DataFrame], fmt: str) -> bytes:
    """One file: JSON ({"table": [rows]}) or Excel (one sheet per table)."""
    if fmt == "xlsx":
        return to_xlsx(sheets)
    if fmt != "json":
        raise InvalidInput("Unknown export format '{fmt}'.", fmt=fmt)
    document = {name: json.loads(to_json(frame)) for name, frame in sheets.items()}
    return json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")


# --- deleting a person -----------------------------------------------------------------------


@dataclass(frozen=True)
class Deletion:
    user_id: int
    respondents_relabelled: int
    sessions_revoked: int
    own_answers_deleted: int = 0  # the person's own answers (their answer sets)


def delete_person(actor: Actor, email: str) -> Deletion:
    """Erase a person: the account keeps no e-mail, name or password, its sessions end, and their
    own answer sets (what they answered themselves) are deleted. The body's answers stay with the
    body, attributed to "removed user": the ones the body agreed, and the ones that were the body's
    because the person was its only voice."""
    _require_admin(actor)
    with session_scope(write=True) as session:
        user = _user_by_email(session, email)
        if actor.user_id == user.id:
            raise PermissionDenied("You cannot delete your own account.")
        respondents = session.scalars(select(Respondent).where(Respondent.user_id == user.id)).all()
        own_answers = _delete_answer_sets(session, [r.id for r in respondents])
        for respondent in respondents:
            respondent.label = REMOVED_LABEL
            respondent.user_id = None
        revoked = web_sessions.revoke_all(session, user.id)
        throttle.clear(session, throttle.key("signin-account", user.email))
        actions = _remove_from_plans(session, user)
        user.email = f"removed-{user.id}@deleted.invalid"
        user.name = ""
        user.password_hash = None
        user.language = None
        user.body_id = None
        user.network_id = None
        user.failed_logins = 0
        user.locked_until = None
        user.deleted_at = now()
        audit.record(
            session,
            actor,
            "person.delete",
            f"user:{user.id}",
            f"respondents relabelled={len(respondents)} sessions revoked={revoked} actions={actions} "
            f"own answers deleted={own_answers}",
        )
        return Deletion(user.id, len(respondents), revoked, own_answers)


def _delete_answer_sets(session: Session, respondent_ids: list[int]) -> int:
    """Delete these respondents' answer sets and the answers in them; returns how many answers.
    The answers are deleted explicitly, not left to the foreign key's cascade."""
    sets = select(AnswerSet.id).where(AnswerSet.respondent_id.in_(respondent_ids))
    count = session.scalar(
        select(func.count()).select_from(PersonalAnswer).where(PersonalAnswer.answer_set_id.in_(sets))
    )
    session.execute(delete(PersonalAnswer).where(PersonalAnswer.answer_set_id.in_(sets)))
    session.execute(delete(AnswerSet).where(AnswerSet.respondent_id.in_(respondent_ids)))
    return int(count or 0)


def _remove_from_plans(session: Session, user: User) -> int:
    """The person leaves the plans; the actions and notes stay with the body. Returns the actions."""
    actions = session.scalars(select(Action).where(or_(*_person_columns(Action, user.id)))).all()
    names = {user.email, user.name} - {""}
    for action in actions:
        if action.owner_user_id == user.id or action.owner in names:
            action.owner, action.owner_user_id = REMOVED_LABEL, None
        if action.created_by_user_id == user.id:
            action.created_by, action.created_by_user_id = REMOVED_LABEL, None
        if action.updated_by_user_id == user.id:
            action.updated_by, action.updated_by_user_id = REMOVED_LABEL, None
        if action.approved_by_user_id == user.id:
            action.approved_by, action.approved_by_user_id = REMOVED_LABEL, None
    for note in session.scalars(select(ActionNote).where(ActionNote.author_user_id == user.id)):
        note.author, note.author_user_id = REMOVED_LABEL, None
    return len(actions)


# --- retention -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Purge:
    days: int  # the retention setting; 0 = keep everything
    cutoff: date | None  # rounds closed before this day are purged
    rounds: list[str]
    responses: int  # the bodies' answers
    dry_run: bool
    own_answers: int = 0  # the answers people gave in their own answer sets


# Per-question rows of stored and published scores: copies of answers (a level, or how far the
# body's people were apart), deleted with them. Dimension and overall scores stay, as aggregates.
PER_QUESTION_KINDS = ("question", "spread")


def purge_closed_rounds(actor: Actor, today: date, *, dry_run: bool = False) -> Purge:
    """Delete the answers (levels, comments, evidence) of rounds closed more than IOA_RETENTION_DAYS
    days before `today`: the bodies' answers and each person's own answer sets. That the body took
    part (the assessment's status and dates) is kept."""
    _require_admin(actor)
    days = retention_days()
    if days == 0:
        return Purge(0, None, [], 0, dry_run)
    cutoff = today - timedelta(days=days)
    closed_before = datetime.combine(cutoff, datetime.min.time(), UTC)
    with session_scope(write=not dry_run) as session:
        rounds = session.scalars(
            select(Round)
            .where(Round.closed_at.is_not(None), Round.closed_at < closed_before)
            .order_by(Round.id)
        ).all()
        assessment_ids = select(Assessment.id).where(Assessment.round_id.in_([r.id for r in rounds]))
        count = session.scalar(
            select(func.count()).select_from(Response).where(Response.assessment_id.in_(assessment_ids))
        )
        count = int(count or 0)
        sets = select(AnswerSet.id).where(AnswerSet.assessment_id.in_(assessment_ids))
        own = session.scalar(
            select(func.count()).select_from(PersonalAnswer).where(PersonalAnswer.answer_set_id.in_(sets))
        )
        own = int(own or 0)
        if not dry_run and (count or own):
            session.execute(delete(Response).where(Response.assessment_id.in_(assessment_ids)))
            session.execute(delete(PersonalAnswer).where(PersonalAnswer.answer_set_id.in_(sets)))
            session.execute(delete(AnswerSet).where(AnswerSet.assessment_id.in_(assessment_ids)))
            session.execute(
                delete(AssessmentScore).where(
                    AssessmentScore.assessment_id.in_(assessment_ids),
                    AssessmentScore.kind.in_(PER_QUESTION_KINDS),
                )
            )
            snapshots = select(PublishedSnapshot.id).where(
                PublishedSnapshot.round_id.in_([r.id for r in rounds])
            )
            session.execute(
                delete(SnapshotScore).where(
                    SnapshotScore.snapshot_id.in_(snapshots), SnapshotScore.kind.in_(PER_QUESTION_KINDS)
                )
            )
            audit.record(
                session,
                actor,
                "retention.purge",
                ",".join(f"round:{r.id}" for r in rounds),
                f"responses deleted={count} own answers deleted={own} retention days={days} "
                f"closed before={cutoff.isoformat()}",
            )
        return Purge(days, cutoff, [r.name for r in rounds], count, dry_run, own)
