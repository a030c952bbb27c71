"""Compare and agree: the agency lead sees how the body's people answered each question, and
records the answer the body stands behind (responses, agreement "agreed").

Nobody sees colleagues' answers while answering; only the lead compares them, and sees a person's
name only where that person agreed to it (otherwise "Respondent A, B, C" in the order they began).
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ioa_assess.disagreement import Views, views
from ioa_assess.questionnaire import Questionnaire, load_questionnaire
from ioa_assess.scoring import DONT_KNOW, NOT_RELEVANT, is_level
from ioa_assess.services import audit
from ioa_assess.services.accounts import respondent_for
from ioa_assess.services.actor import Actor, InvalidInput, NotFound, PermissionDenied, is_id, now
from ioa_assess.services.assessments import (
    MAX_REASON_LENGTH,
    check_answer_fits,
    check_storable,
    check_writable,
    open_assessment,
    own_respondent_id,
)
from ioa_assess.storage.engine import session_scope
from ioa_assess.storage.models import AnswerSet, Assessment, PersonalAnswer, Respondent, Response, Round

EVIDENCE_STRENGTH = {"self": 0, "documented": 1, "verified": 2}
MAX_AGREED_REF_LENGTH = 300


@dataclass(frozen=True)
class Person:
    letter: str  # "A", "B", ... in the order they began answering
    label: str | None  # their name, only where they agreed to be named to colleagues
    answered: int
    done_at: datetime | None
    is_me: bool


@dataclass(frozen=True)
class Voice:
    letter: str
    level: int | None
    comment: str
    evidence: str
    evidence_ref: str


@dataclass(frozen=True)
class Agreed:
    level: int | None
    agreement: str  # "single" (the only voice) or "agreed"
    reason: str
    evidence: str
    evidence_ref: str


@dataclass(frozen=True)
class QuestionViews:
    question_id: str
    voices: list[Voice]
    seen: Views
    agreed: Agreed | None

    @property
    def open(self) -> bool:
        """Someone answered with a level and the body has not agreed an answer yet."""
        return bool(self.seen.levels or self.seen.others) and (
            self.agreed is None or self.agreed.level is None
        )


@dataclass(frozen=True)
class Comparison:
    assessment_id: int
    body_name: str
    round_name: str
    questionnaire_version: str
    body_kind: str
    status: str
    people: list[Person]
    questions: dict[str, QuestionViews]  # in the questionnaire's order

    @property
    def editable(self) -> bool:
        return self.status == "draft"

    @property
    def open_questions(self) -> list[str]:
        return [q for q, v in self.questions.items() if v.open]

    @property
    def apart_questions(self) -> list[str]:
        return [q for q, v in self.questions.items() if v.seen.apart]

    @property
    def settled_open(self) -> list[str]:
        """Open questions whose median can be accepted at once."""
        return [q for q, v in self.questions.items() if v.open and v.seen.settled]


def _check_lead(actor: Actor, body_id: int) -> None:
    if not (actor.role == "agency_lead" and actor.belongs_to_body(body_id)):
        raise PermissionDenied("Only your organisation's agency lead compares and agrees the answers.")


def letter(index: int) -> str:
    letters = string.ascii_uppercase
    return letters[index] if index < len(letters) else f"{letters[index // 26 - 1]}{letters[index % 26]}"


def _people(session: Session, actor: Actor, assessment_id: int) -> list[tuple[int, Person]]:
    query = (
        select(AnswerSet, Respondent)
        .join(Respondent, Respondent.id == AnswerSet.respondent_id)
        .where(AnswerSet.assessment_id == assessment_id)
        .order_by(AnswerSet.created_at, AnswerSet.id)
    )
    me = own_respondent_id(session, actor, actor.body_id) if actor.body_id is not None else None
    answered: dict[int, int] = {}
    for set_id in session.scalars(
        select(PersonalAnswer.answer_set_id)
        .join(AnswerSet, AnswerSet.id == PersonalAnswer.answer_set_id)
        .where(AnswerSet.assessment_id == assessment_id, PersonalAnswer.level.is_not(None))
    ):
        answered[set_id] = answered.get(set_id, 0) + 1
    people = []
    for index, (answer_set, respondent) in enumerate(session.execute(query)):
        is_me = respondent.id == me
        people.append(
            (
                answer_set.id,
                Person(
                    letter=letter(index),
                    label=respondent.label if respondent.named_to_colleagues or is_me else None,
                    answered=answered.get(answer_set.id, 0),
                    done_at=answer_set.done_at,
                    is_me=is_me,
                ),
            )
        )
    return people


def question_views(
    session: Session, actor: Actor, assessment_id: int, questionnaire: Questionnaire
) -> tuple[list[Person], dict[str, QuestionViews]]:
    """The people of an assessment and, per question in the questionnaire's order, their views and
    the agreed answer. Reads only: the start page uses it too."""
    people = _people(session, actor, assessment_id)
    order = {set_id: index for index, (set_id, _) in enumerate(people)}
    voices: dict[str, list[Voice]] = {}
    answers = session.scalars(
        select(PersonalAnswer)
        .join(AnswerSet, AnswerSet.id == PersonalAnswer.answer_set_id)
        .where(AnswerSet.assessment_id == assessment_id)
    )
    for answer in sorted(answers, key=lambda a: order[a.answer_set_id]):
        voices.setdefault(answer.question_id, []).append(
            Voice(
                people[order[answer.answer_set_id]][1].letter,
                answer.level,
                answer.comment,
                answer.evidence,
                answer.evidence_ref,
            )
        )
    agreed = {
        r.question_id: Agreed(r.level, r.agreement, r.reason, r.evidence, r.evidence_ref)
        for r in session.scalars(select(Response).where(Response.assessment_id == assessment_id))
    }
    questions = {
        q.id: QuestionViews(
            q.id, voices.get(q.id, []), views(v.level for v in voices.get(q.id, [])), agreed.get(q.id)
        )
        for q in questionnaire.questions
    }
    return [person for _, person in people], questions


def compare(actor: Actor) -> Comparison:
    """The body's assessment in its open round (or the actor's code's round), question by question."""
    state = open_assessment(actor)
    _check_lead(actor, state.body_id)
    with session_scope() as session:
        people, questions = question_views(
            session, actor, state.id, load_questionnaire(state.questionnaire_version)
        )
    return Comparison(
        assessment_id=state.id,
        body_name=state.body_name,
        round_name=state.round_name,
        questionnaire_version=state.questionnaire_version,
        body_kind=state.body_kind,
        status=state.status,
        people=people,
        questions=questions,
    )


def _lead_writable(session: Session, actor: Actor, assessment_id: int) -> tuple[Assessment, Round]:
    if not is_id(assessment_id):
        raise NotFound("No such assessment.")
    assessment = session.scalar(select(Assessment).where(Assessment.id == assessment_id).with_for_update())
    if assessment is None:
        raise NotFound("No such assessment.")
    _check_lead(actor, assessment.body_id)
    rnd = session.get(Round, assessment.round_id)
    assert rnd is not None
    check_writable(actor, assessment.body_id, assessment.round_id, assessment.status, rnd.closed_at)
    return assessment, rnd


def _evidence_for(voices: list[Voice], level: int) -> tuple[str, str]:
    """The agreed answer rests on the strongest evidence of the people who gave that answer."""
    backing = [v for v in voices if v.level == level]
    if not backing:
        return "self", ""
    strongest = max(EVIDENCE_STRENGTH[v.evidence] for v in backing)
    kind = next(k for k, s in EVIDENCE_STRENGTH.items() if s == strongest)
    refs = list(dict.fromkeys(v.evidence_ref for v in backing if v.evidence == kind and v.evidence_ref))
    return kind, "; ".join(refs)[:MAX_AGREED_REF_LENGTH]


def _voices(session: Session, assessment_id: int, question_id: str) -> list[Voice]:
    query = (
        select(PersonalAnswer)
        .join(AnswerSet, AnswerSet.id == PersonalAnswer.answer_set_id)
        .where(AnswerSet.assessment_id == assessment_id, PersonalAnswer.question_id == question_id)
    )
    return [Voice("", a.level, a.comment, a.evidence, a.evidence_ref) for a in session.scalars(query)]


def _store_agreed(
    session: Session, assessment_id: int, question_id: str, level: int, reason: str, respondent_id: int
) -> None:
    evidence, evidence_ref = _evidence_for(_voices(session, assessment_id, question_id), level)
    row = session.scalar(
        select(Response).where(Response.assessment_id == assessment_id, Response.question_id == question_id)
    )
    if row is None:
        row = Response(assessment_id=assessment_id, question_id=question_id, comment="")
        session.add(row)
    row.level = level
    row.agreement = "agreed"
    row.reason = reason
    row.evidence = evidence
    row.evidence_ref = evidence_ref
    row.respondent_id = respondent_id
    row.updated_at = now()


def agree(actor: Actor, assessment_id: int, question_id: str, level: int, reason: str = "") -> None:
    """Record the body's agreed answer to one question, with a short reason (needed where its
    people are two or more levels apart)."""
    reason = reason.strip()
    if not (is_level(level) or level in (DONT_KNOW, NOT_RELEVANT)):
        raise InvalidInput("A level is 1 to 5, 'don't know' or 'not relevant'.")
    if len(reason) > MAX_REASON_LENGTH:
        raise InvalidInput("The reason can be at most {n} characters.", n=MAX_REASON_LENGTH)
    check_storable(reason)
    with session_scope(write=True) as session:
        assessment, rnd = _lead_writable(session, actor, assessment_id)
        questionnaire = load_questionnaire(rnd.questionnaire_version)
        check_answer_fits(questionnaire, question_id, level)
        if not reason and views(v.level for v in _voices(session, assessment.id, question_id)).apart:
            raise InvalidInput(
                "Your people are two or more levels apart here: say in a sentence why you agreed this level."
            )
        respondent = respondent_for(session, actor, assessment.body_id)
        _store_agreed(session, assessment.id, question_id, level, reason, respondent.id)
        audit.record(session, actor, "answer.agree", f"assessment:{assessment.id}", f"question={question_id}")


def accept_medians(actor: Actor, assessment_id: int) -> int:
    """Agree the median wherever everyone answered alike or within one level; returns how many."""
    with session_scope(write=True) as session:
        assessment, _ = _lead_writable(session, actor, assessment_id)
        respondent = respondent_for(session, actor, assessment.body_id)
        agreed = set(
            session.scalars(
                select(Response.question_id).where(
                    Response.assessment_id == assessment.id, Response.level.is_not(None)
                )
            )
        )
        given: dict[str, list[int | None]] = {}
        query = (
            select(PersonalAnswer.question_id, PersonalAnswer.level)
            .join(AnswerSet, AnswerSet.id == PersonalAnswer.answer_set_id)
            .where(AnswerSet.assessment_id == assessment.id, PersonalAnswer.level.is_not(None))
        )
        for question_id, level in session.execute(query):
            given.setdefault(question_id, []).append(level)
        accepted = 0
        for question_id, levels in sorted(given.items()):
            seen = views(levels)
            level = seen.provisional()
            if question_id in agreed or not seen.settled or level is None:
                continue
            _store_agreed(session, assessment.id, question_id, level, "", respondent.id)
            accepted += 1
        audit.record(
            session, actor, "answer.accept_medians", f"assessment:{assessment.id}", f"questions={accepted}"
        )
        return accepted


def set_named_to_colleagues(actor: Actor, named: bool) -> None:
    """Whether the agency lead sees the person's name beside their answers (otherwise a letter)."""
    if actor.body_id is None or not actor.answers_for_body:
        raise PermissionDenied("Your role can read the assessment but not change it.")
    with session_scope(write=True) as session:
        respondent = respondent_for(session, actor, actor.body_id)
        row = session.get(Respondent, respondent.id)
        assert row is not None
        row.named_to_colleagues = named


def named_to_colleagues(actor: Actor) -> bool:
    if actor.body_id is None:
        return False
    with session_scope() as session:
        respondent_id = own_respondent_id(session, actor, actor.body_id)
        respondent = session.get(Respondent, respondent_id) if respondent_id else None
        return respondent is not None and respondent.named_to_colleagues
