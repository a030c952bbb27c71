"""A body's own answers as its own pages show them: the agreed answers, and while the assessment
is a draft, the median of its people's answers where nothing is agreed yet ("provisional")."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from ioa_assess.disagreement import views
from ioa_assess.evidence import Evidence
from ioa_assess.services.stored_scores import personal_levels
from ioa_assess.storage.models import Assessment, Response


@dataclass(frozen=True)
class BodyAnswers:
    levels: dict[str, int]  # question id -> level, DONT_KNOW or NOT_RELEVANT
    comments: dict[str, str]  # the agreed answer's comment, else the reason it was agreed
    provisional: frozenset[str]  # questions whose level is the people's median, not agreed
    evidence: dict[str, Evidence]  # of the agreed answers with a level
    given: dict[str, list[int]]  # question id -> the levels the body's people gave, one per person


def body_answers(session: Session, assessment_id: int, draft: bool) -> BodyAnswers:
    """Read one assessment's answers: two queries, by the assessment's own rows."""
    query = select(
        Response.question_id,
        Response.level,
        Response.comment,
        Response.reason,
        Response.evidence,
        Response.evidence_ref,
    ).where(Response.assessment_id == assessment_id)
    levels: dict[str, int] = {}
    comments: dict[str, str] = {}
    evidence: dict[str, Evidence] = {}
    for question_id, level, comment, reason, kind, reference in session.execute(query):
        if level is not None:
            levels[question_id] = level
            evidence[question_id] = Evidence(kind or "self", reference or "")
        if text := (comment or reason or "").strip():
            comments[question_id] = text
    given = personal_levels(session, [assessment_id]).get(assessment_id, {})
    provisional: set[str] = set()
    if draft:  # a submitted assessment stands on its agreed answers alone
        for question_id, people in given.items():
            if question_id in levels:
                continue
            level = views(people).provisional()
            if level is not None:
                levels[question_id] = level
                provisional.add(question_id)
    return BodyAnswers(levels, comments, frozenset(provisional), evidence, given)


def round_body_levels(session: Session, body_id: int, round_id: int) -> dict[str, int]:
    """The body's levels in one round as its own pages show them (provisional ones included)."""
    found = session.execute(
        select(Assessment.id, Assessment.status).where(
            Assessment.body_id == body_id, Assessment.round_id == round_id
        )
    ).first()
    if found is None:
        return {}
    return body_answers(session, found.id, draft=found.status == "draft").levels
