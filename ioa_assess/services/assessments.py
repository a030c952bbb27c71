"""Answering an assessment: open it, save each answer on its own, submit, reopen.

Each person answers in a set of their own (answer_sets, personal_answers). While one person answers
for a body, each of their answers is at once the body's answer (responses, agreement "single"), as
before. When a second person answers, those copies give way and the body's answers are the ones
the agency lead agrees (see services/agreement.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from typing import Final

from sqlalchemy import Connection, bindparam, delete, exists, func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.sql.dml import ReturningInsert

from ioa_assess.questionnaire import Questionnaire, load_questionnaire
from ioa_assess.scoring import DONT_KNOW, NOT_RELEVANT, is_level
from ioa_assess.services import audit
from ioa_assess.services.accounts import respondent_for
from ioa_assess.services.actor import Actor, InvalidInput, NotFound, PermissionDenied, is_id, now
from ioa_assess.services.published import publish
from ioa_assess.services.stored_scores import store_scores
from ioa_assess.storage.engine import session_scope
from ioa_assess.storage.models import (
    EVIDENCE_KINDS,
    AnswerSet,
    Assessment,
    Body,
    NetworkMember,
    PersonalAnswer,
    Respondent,
    Response,
    Round,
)

MAX_COMMENT_LENGTH = 2000
MAX_REASON_LENGTH = 500
MAX_EVIDENCE_REF_LENGTH = 300


class _Unset:
    pass


UNSET: Final = _Unset()


@dataclass(frozen=True)
class Answer:
    level: int | None  # 1-5, DONT_KNOW, NOT_RELEVANT, or None when only a comment is given
    comment: str
    updated_at: datetime
    updated_by: str
    evidence: str = "self"  # "self" (self-declared), "documented" or "verified"
    evidence_ref: str = ""  # the document or link, or who verified it


@dataclass(frozen=True)
class AssessmentState:
    id: int
    body_id: int
    body_name: str
    body_kind: str
    round_id: int
    round_name: str
    closes_on: date
    questionnaire_version: str
    status: str
    submitted_at: datetime | None
    answers: dict[str, Answer]  # the person's own answers (for a reader: the body's agreed answers)
    respondents: int = 1  # people who have given answers in this assessment
    done_at: datetime | None = None  # when the person said their part is done
    agreed: frozenset[str] = frozenset()  # questions with an answer the body agreed (or its only voice)
    answered: frozenset[str] = frozenset()  # questions someone in the body answered with a level

    @property
    def editable(self) -> bool:
        return self.status == "draft"

    @property
    def several(self) -> bool:
        """Several people answer: the body's answers are agreed after comparing them."""
        return self.respondents > 1

    def to_agree(self) -> list[str]:
        """Questions someone answered that the body has not agreed an answer to yet."""
        return sorted(self.answered - self.agreed)

    def levels(self) -> dict[str, int]:
        """question id -> level, DONT_KNOW or NOT_RELEVANT; comment-only rows are not answers."""
        return {q: a.level for q, a in self.answers.items() if a.level is not None}


def _open_round_for_body(session: Session, body_id: int) -> Round | None:
    query = (
        select(Round)
        .join(NetworkMember, NetworkMember.network_id == Round.network_id)
        .where(NetworkMember.body_id == body_id, Round.closed_at.is_(None))
        .order_by(Round.opens_on.desc())
    )
    return session.scalars(query).first()


def _check_body_access(actor: Actor, body_id: int, round_id: int) -> None:
    if not actor.belongs_to_body(body_id):
        raise PermissionDenied("You can only open your own organisation's assessment.")
    if actor.round_id is not None and actor.round_id != round_id:
        raise PermissionDenied("Your code is for another round.")


def _get_or_create(session: Session, body_id: int, round_id: int) -> Assessment:
    query = select(Assessment).where(Assessment.body_id == body_id, Assessment.round_id == round_id)
    assessment = session.scalar(query)
    if assessment is None:
        current = now()
        try:
            with session.begin_nested():
                assessment = Assessment(
                    body_id=body_id, round_id=round_id, status="draft", started_at=current, updated_at=current
                )
                session.add(assessment)
        except IntegrityError:  # a second tab created it at the same moment
            assessment = session.scalar(query)
    assert assessment is not None
    return assessment


def _agreed_answers(session: Session, assessment_id: int) -> dict[str, Answer]:
    query = (
        select(Response, Respondent.label)
        .outerjoin(Respondent, Respondent.id == Response.respondent_id)
        .where(Response.assessment_id == assessment_id)
    )
    return {
        r.question_id: Answer(
            r.level, r.comment, r.updated_at, label or "removed user", r.evidence, r.evidence_ref
        )
        for r, label in session.execute(query)
    }


def own_respondent_id(session: Session, actor: Actor, body_id: int) -> int | None:
    """The actor's respondent row for the body, if they have answered before (never created here)."""
    if actor.user_id is not None:
        where = Respondent.user_id == actor.user_id
    elif actor.invitation_id is not None:
        where = Respondent.invitation_id == actor.invitation_id
    else:
        return None
    return session.scalar(select(Respondent.id).where(Respondent.body_id == body_id, where))


def still_answering(session: Session, actor: Actor, assessment: Assessment) -> bool:
    """A participant whose own part of a draft is not done yet: their colleagues' views stay out of
    their sight until then, so that nobody answers to match the others."""
    if actor.role != "participant" or assessment.status != "draft":
        return False
    respondent_id = own_respondent_id(session, actor, assessment.body_id)
    if respondent_id is None:
        return True
    done_at = session.scalar(
        select(AnswerSet.done_at).where(
            AnswerSet.assessment_id == assessment.id, AnswerSet.respondent_id == respondent_id
        )
    )
    return done_at is None


def _own_answers(
    session: Session, assessment_id: int, respondent_id: int
) -> tuple[dict[str, Answer], object]:
    query = (
        select(PersonalAnswer, Respondent.label, AnswerSet.done_at)
        .join(AnswerSet, AnswerSet.id == PersonalAnswer.answer_set_id)
        .join(Respondent, Respondent.id == AnswerSet.respondent_id)
        .where(AnswerSet.assessment_id == assessment_id, AnswerSet.respondent_id == respondent_id)
    )
    answers = {
        a.question_id: Answer(a.level, a.comment, a.updated_at, label, a.evidence, a.evidence_ref)
        for a, label, _ in session.execute(query)
    }
    done_at = session.scalar(
        select(AnswerSet.done_at).where(
            AnswerSet.assessment_id == assessment_id, AnswerSet.respondent_id == respondent_id
        )
    )
    return answers, done_at


def _answering_people(connection: Connection | Session, assessment_id: int) -> int:
    query = (
        select(func.count())
        .select_from(AnswerSet)
        .where(
            AnswerSet.assessment_id == assessment_id,
            exists().where(PersonalAnswer.answer_set_id == AnswerSet.id),
        )
    )
    return connection.execute(query).scalar_one()


def _state(session: Session, assessment: Assessment, actor: Actor | None = None) -> AssessmentState:
    body = session.get(Body, assessment.body_id)
    rnd = session.get(Round, assessment.round_id)
    assert body is not None and rnd is not None
    agreed = _agreed_answers(session, assessment.id)
    own_id = own_respondent_id(session, actor, body.id) if actor and actor.answers_for_body else None
    if actor is not None and actor.answers_for_body:
        answers, done_at = _own_answers(session, assessment.id, own_id) if own_id else ({}, None)
    else:
        answers, done_at = agreed, None
    answered_query = (
        select(PersonalAnswer.question_id)
        .join(AnswerSet, AnswerSet.id == PersonalAnswer.answer_set_id)
        .where(AnswerSet.assessment_id == assessment.id, PersonalAnswer.level.is_not(None))
        .distinct()
    )
    answered = frozenset(session.scalars(answered_query)) | {
        q for q, a in agreed.items() if a.level is not None
    }
    return AssessmentState(
        id=assessment.id,
        body_id=body.id,
        body_name=body.name,
        body_kind=body.kind,
        round_id=rnd.id,
        round_name=rnd.name,
        closes_on=rnd.closes_on,
        questionnaire_version=rnd.questionnaire_version,
        status=assessment.status,
        submitted_at=assessment.submitted_at,
        answers=answers,
        respondents=_answering_people(session, assessment.id),
        done_at=done_at,
        agreed=frozenset(q for q, a in agreed.items() if a.level is not None),
        answered=answered,
    )


def open_assessment(actor: Actor, round_id: int | None = None) -> AssessmentState:
    """The actor's body's assessment in its round (the open one unless named); created as a draft."""
    if actor.body_id is None:
        raise PermissionDenied("Your account does not belong to an organisation.")
    if round_id is not None and not is_id(round_id):
        raise NotFound("No such round.")
    with session_scope(write=True) as session:
        round_id = round_id or actor.round_id
        if round_id is None:
            rnd = _open_round_for_body(session, actor.body_id)
            if rnd is None:
                raise NotFound("There is no open round for your organisation.")
            round_id = rnd.id
        _check_body_access(actor, actor.body_id, round_id)
        rnd = session.get(Round, round_id)
        if rnd is None:
            raise NotFound("No such round.")
        if session.get(NetworkMember, (rnd.network_id, actor.body_id)) is None:
            # A body answers only in its own networks' rounds (its answers move their medians).
            raise PermissionDenied("Your organisation is not a member of the network that runs this round.")
        existing = session.scalar(
            select(Assessment).where(Assessment.body_id == actor.body_id, Assessment.round_id == round_id)
        )
        if existing is None:
            if actor.role == "leader":
                raise NotFound("Your organisation has not started this round.")
            existing = _get_or_create(session, actor.body_id, round_id)
        return _state(session, existing, actor)


def check_writable(
    actor: Actor, body_id: int, round_id: int, status: str, round_closed_at: datetime | None
) -> None:
    _check_body_access(actor, body_id, round_id)
    if not actor.answers_for_body:
        raise PermissionDenied("Your role can read the assessment but not change it.")
    if status != "draft":
        raise PermissionDenied("The assessment has been submitted and can no longer be changed.")
    if round_closed_at is not None:
        raise PermissionDenied("The round is closed.")


def _writable(session: Session, actor: Actor, assessment_id: int) -> Assessment:
    """The assessment, locked against a concurrent submit, if the actor may change it."""
    if not is_id(assessment_id):
        raise NotFound("No such assessment.")
    assessment = session.scalar(select(Assessment).where(Assessment.id == assessment_id).with_for_update())
    if assessment is None:
        raise NotFound("No such assessment.")
    rnd = session.get(Round, assessment.round_id)
    assert rnd is not None
    check_writable(actor, assessment.body_id, assessment.round_id, assessment.status, rnd.closed_at)
    return assessment


# One statement for what an answer's write must know and lock: the assessment and its round.
_ANSWER_TARGET = (
    select(
        Assessment.body_id,
        Assessment.round_id,
        Assessment.status,
        Round.closed_at,
        Round.questionnaire_version,
    )
    .join(Round, Round.id == Assessment.round_id)
    .where(Assessment.id == bindparam("assessment_id"))
    .with_for_update(of=Assessment)
)


_TOUCH_ASSESSMENT = (
    update(Assessment)
    .where(Assessment.id == bindparam("assessment_id"))
    .values(updated_at=bindparam("updated_at"))
)


_ANSWER_SET = select(AnswerSet.id).where(
    AnswerSet.assessment_id == bindparam("assessment_id"),
    AnswerSet.respondent_id == bindparam("respondent_id"),
)

_ANSWERING_PEOPLE = (
    select(func.count())
    .select_from(AnswerSet)
    .where(
        AnswerSet.assessment_id == bindparam("assessment_id"),
        exists().where(PersonalAnswer.answer_set_id == AnswerSet.id),
    )
)

# When a second person answers, the first one's answers stop being the body's by themselves.
_DROP_SINGLE_VOICE = delete(Response).where(
    Response.assessment_id == bindparam("assessment_id"), Response.agreement == "single"
)

PERSONAL_FIELDS = ("level", "comment", "evidence", "evidence_ref")


@cache
def _personal_upsert(
    dialect: str, changed: tuple[str, ...]
) -> ReturningInsert[tuple[int | None, str, str, str]]:
    """Insert the person's answer, or change only the `changed` fields of the stored one. Built once
    per dialect and set of fields, as building it costs more than running it. RETURNING gives back
    every field as stored, including one the same person set meanwhile in another tab."""
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    columns = {"answer_set_id", "question_id", "comment", "evidence", "evidence_ref", "updated_at", *changed}
    statement = insert(PersonalAnswer).values({name: bindparam(name) for name in columns})
    return statement.on_conflict_do_update(
        index_elements=["answer_set_id", "question_id"],
        set_={name: statement.excluded[name] for name in changed},
    ).returning(*(getattr(PersonalAnswer, name) for name in PERSONAL_FIELDS))


@cache
def _single_voice_upsert(dialect: str) -> object:
    """The only person's answer as the body's answer; an answer the lead agreed is left alone."""
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    columns = ("assessment_id", "question_id", "respondent_id", "updated_at", *PERSONAL_FIELDS)
    statement = insert(Response).values({name: bindparam(name) for name in columns} | {"agreement": "single"})
    return statement.on_conflict_do_update(
        index_elements=["assessment_id", "question_id"],
        set_={name: statement.excluded[name] for name in (*PERSONAL_FIELDS, "respondent_id", "updated_at")},
        where=Response.agreement == "single",
    )


def check_answer_fits(questionnaire: Questionnaire, question_id: str, level: object) -> None:
    """The question exists in the round's questionnaire, and "not relevant" is chosen only where the
    question allows it (v2 on; a v1 round has one combined answer, stored as DONT_KNOW)."""
    if question_id not in questionnaire.dimension_of():
        raise InvalidInput("Unknown question '{q}'.", q=question_id)
    if level == NOT_RELEVANT and not questionnaire.question(question_id).not_relevant:
        raise InvalidInput(
            "'Not relevant' cannot be chosen for this question: a practice your organisation does not "
            "have yet is level 1, and 'don't know' is for what you need to find out."
        )


def check_storable(text: str) -> None:
    if "\x00" in text:
        raise InvalidInput("The text contains a character that cannot be stored.")


def _changed_values(
    level: int | _Unset | None, comment: str | _Unset, evidence: str | _Unset, evidence_ref: str | _Unset
) -> dict[str, object]:
    values: dict[str, object] = {}
    if not isinstance(level, _Unset):
        if level is not None and not (is_level(level) or level in (DONT_KNOW, NOT_RELEVANT)):
            raise InvalidInput("A level is 1 to 5, 'don't know' or 'not relevant'.")
        values["level"] = level
    if not isinstance(comment, _Unset):
        if len(comment) > MAX_COMMENT_LENGTH:
            raise InvalidInput("A comment can be at most {n} characters.", n=MAX_COMMENT_LENGTH)
        check_storable(comment)
        values["comment"] = comment
    if not isinstance(evidence, _Unset):
        if evidence not in EVIDENCE_KINDS:
            raise InvalidInput("Evidence is self-declared, documented or verified.")
        values["evidence"] = evidence
    if not isinstance(evidence_ref, _Unset):
        if len(evidence_ref) > MAX_EVIDENCE_REF_LENGTH:
            raise InvalidInput("A reference can be at most {n} characters.", n=MAX_EVIDENCE_REF_LENGTH)
        check_storable(evidence_ref)
        values["evidence_ref"] = evidence_ref.strip()
    if not values:
        raise InvalidInput("Nothing to save.")
    return values


def save_answer(
    actor: Actor,
    assessment_id: int,
    question_id: str,
    *,
    level: int | _Unset | None = UNSET,
    comment: str | _Unset = UNSET,
    evidence: str | _Unset = UNSET,
    evidence_ref: str | _Unset = UNSET,
) -> Answer:
    """Store one change to the person's own answer at once. Only the given fields change, so two
    tabs never undo each other; while the person is the body's only voice, it is the body's answer."""
    values = _changed_values(level, comment, evidence, evidence_ref)
    if not is_id(assessment_id):
        raise NotFound("No such assessment.")
    with session_scope(write=True) as session:
        # Core statements on the session's connection: one click runs a few, and the ORM adds nothing here.
        connection = session.connection()
        target = connection.execute(_ANSWER_TARGET, {"assessment_id": assessment_id}).one_or_none()
        if target is None:
            raise NotFound("No such assessment.")
        check_writable(actor, target.body_id, target.round_id, target.status, target.closed_at)
        check_answer_fits(load_questionnaire(target.questionnaire_version), question_id, values.get("level"))
        respondent = respondent_for(session, actor, target.body_id)
        current = now()
        keys = {"assessment_id": assessment_id, "respondent_id": respondent.id}
        set_id = connection.execute(_ANSWER_SET, keys).scalar()
        if set_id is None:  # the assessment row is locked: nobody else makes this set meanwhile
            set_id = connection.execute(
                AnswerSet.__table__.insert().returning(AnswerSet.id), keys | {"created_at": current}
            ).scalar_one()
        dialect = connection.dialect.name
        row = {"answer_set_id": set_id, "question_id": question_id, "comment": "", "evidence": "self"}
        row |= {"evidence_ref": "", "updated_at": current} | values
        stored = connection.execute(_personal_upsert(dialect, tuple(sorted(values))), row).one()
        if connection.execute(_ANSWERING_PEOPLE, {"assessment_id": assessment_id}).scalar_one() == 1:
            body_answer = dict(zip(PERSONAL_FIELDS, stored, strict=True))
            connection.execute(
                _single_voice_upsert(dialect),  # type: ignore[arg-type]
                keys | {"question_id": question_id, "updated_at": current} | body_answer,
            )
        else:
            connection.execute(_DROP_SINGLE_VOICE, {"assessment_id": assessment_id})
        connection.execute(_TOUCH_ASSESSMENT, {"assessment_id": assessment_id, "updated_at": current})
        return Answer(
            stored.level, stored.comment, current, respondent.label, stored.evidence, stored.evidence_ref
        )


def mark_done(actor: Actor, assessment_id: int, done: bool = True) -> None:
    """The person says their own part is done (or takes that back): the agency lead sees it."""
    with session_scope(write=True) as session:
        assessment = _writable(session, actor, assessment_id)
        respondent = respondent_for(session, actor, assessment.body_id)
        answer_set = session.scalar(
            select(AnswerSet).where(
                AnswerSet.assessment_id == assessment.id, AnswerSet.respondent_id == respondent.id
            )
        )
        if answer_set is None:
            raise InvalidInput("Answer at least one question before you say you are done.")
        answer_set.done_at = now() if done else None


def unanswered_questions(questionnaire: Questionnaire, state: AssessmentState) -> list[str]:
    """Questions nobody in the body has answered (for one person: that they have not answered)."""
    answered = state.answered if state.several else set(state.levels()) | state.answered
    return [q.id for q in questionnaire.questions if q.id not in answered]


def _unagreed(session: Session, assessment_id: int) -> int:
    """Questions someone answered with no agreed answer: submit waits for these."""
    agreed = select(Response.question_id).where(
        Response.assessment_id == assessment_id, Response.level.is_not(None)
    )
    query = (
        select(func.count(func.distinct(PersonalAnswer.question_id)))
        .join(AnswerSet, AnswerSet.id == PersonalAnswer.answer_set_id)
        .where(
            AnswerSet.assessment_id == assessment_id,
            PersonalAnswer.level.is_not(None),
            PersonalAnswer.question_id.not_in(agreed),
        )
    )
    return session.scalar(query) or 0


def submit_assessment(actor: Actor, assessment_id: int) -> None:
    """Submit, store the scores once, and publish the round's statistics if k bodies are new."""
    with session_scope(write=True) as session:
        assessment = _writable(session, actor, assessment_id)
        respondent = respondent_for(session, actor, assessment.body_id)
        if missing := _unagreed(session, assessment.id):
            raise InvalidInput(
                "{n} answered questions have no agreed answer yet. The agency lead agrees them under "
                "'Compare and agree'.",
                n=missing,
            )
        current = now()
        assessment.status = "submitted"
        assessment.submitted_at = current
        assessment.updated_at = current
        assessment.submitted_by = respondent.id
        rnd = session.get(Round, assessment.round_id)
        assert rnd is not None
        session.flush()
        store_scores(session, [(assessment.id, rnd.questionnaire_version)])
        audit.record(session, actor, "assessment.submit", f"assessment:{assessment.id}")
        round_id = assessment.round_id
    publish(round_id)


def reopen_assessment(actor: Actor, assessment_id: int, reason: str) -> None:
    """Only a facilitator of the round's network may reopen, and must say why."""
    reason = reason.strip()
    if not reason:
        raise InvalidInput("Give a reason for reopening.")
    if len(reason) > MAX_REASON_LENGTH:
        raise InvalidInput("The reason can be at most {n} characters.", n=MAX_REASON_LENGTH)
    with session_scope(write=True) as session:
        assessment = session.get(Assessment, assessment_id) if is_id(assessment_id) else None
        if assessment is None:
            raise NotFound("No such assessment.")
        rnd = session.get(Round, assessment.round_id)
        assert rnd is not None
        if not actor.runs_network(rnd.network_id):
            raise PermissionDenied("Only a facilitator of the network can reopen an assessment.")
        if assessment.status != "submitted":
            raise InvalidInput("The assessment is not submitted.")
        assessment.status = "draft"
        assessment.submitted_at = None
        assessment.updated_at = now()
        session.flush()
        # What others see stays as published; the stored scores follow the answers again.
        store_scores(session, [(assessment.id, rnd.questionnaire_version)])
        audit.record(session, actor, "assessment.reopen", f"assessment:{assessment.id}", reason)
