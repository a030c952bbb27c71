"""Scores stored with a submitted assessment: computed once at submit (and at reopening), read by
the body's own pages and copied into the published snapshots."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import Connection, delete, exists, select
from sqlalchemy.orm import Session

from ioa_assess.disagreement import views
from ioa_assess.questionnaire import Questionnaire, load_questionnaire
from ioa_assess.scoring import Result, Score, is_level, score_assessment
from ioa_assess.storage.bulk import bulk_insert
from ioa_assess.storage.models import (
    AnswerSet,
    Assessment,
    AssessmentScore,
    PersonalAnswer,
    Response,
    Round,
)

OVERALL_ITEM = ""
_SCORES = AssessmentScore.__table__  # Core inserts: many rows at once, without the ORM's bulk path


def score_rows(assessment_id: int, result: Result, levels: dict[str, int]) -> list[dict[str, object]]:
    """The rows of assessment_scores for one assessment: its questions, dimensions and overall."""
    rows: list[dict[str, object]] = [
        {
            "assessment_id": assessment_id,
            "kind": "question",
            "item_id": question_id,
            "value": float(level) if is_level(level) else None,
            "scored": 1 if is_level(level) else 0,
            "not_relevant": 0 if is_level(level) else 1,  # "don't know" or "not relevant"
            "total": 1,
        }
        for question_id, level in levels.items()
    ]
    for kind, item_id, score in [
        *(("dimension", d, s) for d, s in result.dimensions.items()),
        ("overall", OVERALL_ITEM, result.overall),
    ]:
        rows.append(
            {
                "assessment_id": assessment_id,
                "kind": kind,
                "item_id": item_id,
                "value": score.value,
                "scored": score.scored,
                "not_relevant": score.not_relevant,
                "total": score.total,
            }
        )
    return rows


def assessment_levels(
    connection: Connection | Session, assessment_ids: list[int]
) -> dict[int, dict[str, int]]:
    """assessment id -> {question id -> level}, read by assessment (never the whole round)."""
    levels: dict[int, dict[str, int]] = defaultdict(dict)
    if not assessment_ids:
        return {}
    query = select(Response.assessment_id, Response.question_id, Response.level).where(
        Response.assessment_id.in_(assessment_ids), Response.level.is_not(None)
    )
    for assessment_id, question_id, level in connection.execute(query):
        levels[assessment_id][question_id] = level
    return dict(levels)


def personal_levels(
    connection: Connection | Session, assessment_ids: list[int]
) -> dict[int, dict[str, list[int]]]:
    """assessment id -> {question id -> the levels its people gave, one per person}."""
    found: dict[int, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    if not assessment_ids:
        return {}
    query = (
        select(AnswerSet.assessment_id, PersonalAnswer.question_id, PersonalAnswer.level)
        .join(AnswerSet, AnswerSet.id == PersonalAnswer.answer_set_id)
        .where(AnswerSet.assessment_id.in_(assessment_ids), PersonalAnswer.level.is_not(None))
    )
    for assessment_id, question_id, level in connection.execute(query):
        found[assessment_id][question_id].append(level)
    return {a: dict(q) for a, q in found.items()}


def spread_rows(assessment_id: int, given: dict[str, list[int]]) -> list[dict[str, object]]:
    """One row per question where at least two people gave a level: how far apart they were."""
    rows = []
    for question_id, levels in given.items():
        seen = views(levels)
        if seen.spread is not None:
            rows.append(
                {
                    "assessment_id": assessment_id,
                    "kind": "spread",
                    "item_id": question_id,
                    "value": float(seen.spread),
                    "scored": len(seen.levels),
                    "not_relevant": len(seen.others),
                    "total": len(levels),
                }
            )
    return rows


def store_scores(
    connection: Connection | Session, assessments: list[tuple[int, str]], *, spreads: bool = True
) -> None:
    """Compute and store the scores of (assessment id, questionnaire version) pairs, replacing any;
    `spreads=False` for a schema from before people's own answers (migration 0005)."""
    ids = [a for a, _ in assessments]
    if not ids:
        return
    levels = assessment_levels(connection, ids)
    people = personal_levels(connection, ids) if spreads else {}
    connection.execute(delete(AssessmentScore).where(AssessmentScore.assessment_id.in_(ids)))
    rows: list[dict[str, object]] = []
    for assessment_id, version in assessments:
        own = levels.get(assessment_id, {})
        rows += score_rows(assessment_id, score_assessment(load_questionnaire(version), own), own)
        rows += spread_rows(assessment_id, people.get(assessment_id, {}))
        if len(rows) > 20_000:
            _insert(connection, rows)
            rows = []
    if rows:
        _insert(connection, rows)


def _insert(connection: Connection | Session, rows: list[dict[str, object]]) -> None:
    bulk_insert(connection.connection() if isinstance(connection, Session) else connection, _SCORES, rows)


def store_missing_scores(
    connection: Connection | Session, round_id: int | None = None, *, spreads: bool = True
) -> int:
    """Store the scores of submitted assessments that have none (made before scores were stored,
    or written by a bulk load); returns how many."""
    query = (
        select(Assessment.id, Round.questionnaire_version)
        .join(Round, Round.id == Assessment.round_id)
        .where(
            Assessment.status == "submitted",
            ~exists().where(AssessmentScore.assessment_id == Assessment.id),
        )
    )
    if round_id is not None:
        query = query.where(Assessment.round_id == round_id)
    missing = [(a, v) for a, v in connection.execute(query)]
    for start in range(0, len(missing), 2000):
        store_scores(connection, missing[start : start + 2000], spreads=spreads)
    return len(missing)


def stored_result(session: Session, assessment_id: int, questionnaire: Questionnaire) -> Result | None:
    """The stored scores of one assessment as a Result, or None when none are stored."""
    query = select(
        AssessmentScore.kind,
        AssessmentScore.item_id,
        AssessmentScore.value,
        AssessmentScore.scored,
        AssessmentScore.not_relevant,
        AssessmentScore.total,
    ).where(
        AssessmentScore.assessment_id == assessment_id, AssessmentScore.kind.in_(("dimension", "overall"))
    )
    dimensions: dict[str, Score] = {}
    overall: Score | None = None
    for kind, item_id, value, scored, not_relevant, total in session.execute(query):
        score = Score(value=value, scored=scored, not_relevant=not_relevant, total=total)
        if kind == "overall":
            overall = score
        else:
            dimensions[item_id] = score
    if overall is None or set(dimensions) != {d.id for d in questionnaire.dimensions}:
        return None
    dimensions = {d.id: dimensions[d.id] for d in questionnaire.dimensions}
    answered = sum(s.answered for s in dimensions.values())
    total = sum(s.total for s in dimensions.values())
    return Result(dimensions=dimensions, overall=overall, answered=answered, total=total)
