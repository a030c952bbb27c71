"""Migration 0005 on a populated database: nothing is lost, and the assessments submitted before
it get their stored scores (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import column, func, insert, select, table

from ioa_assess.questionnaire import load_questionnaire
from ioa_assess.scoring import score_assessment
from ioa_assess.services.actor import SYSTEM
from ioa_assess.services.cohort import cohort_table
from ioa_assess.storage.engine import engine_for
from ioa_assess.storage.migrate import alembic_config, current_revision, upgrade_to_head
from ioa_assess.storage.models import (
    Assessment,
    AssessmentScore,
    Body,
    County,
    Network,
    NetworkMember,
    Response,
    Round,
    UTCDateTime,
)

T0 = datetime(2025, 10, 1, tzinfo=UTC)
QUESTIONS = [q.id for q in load_questionnaire().questions]


def _levels(index: int) -> dict[str, int]:
    """Varied answers: some "not relevant" (0), some questions left out."""
    return {q: (index + n) % 6 for n, q in enumerate(QUESTIONS) if (index + n) % 7 != 0}


# The answers' table as it stood before 0009 added agreement and evidence (the model has them now).
RESPONSES_BEFORE_0009 = table(
    "responses",
    column("assessment_id"),
    column("question_id"),
    column("level"),
    column("comment"),
    column("updated_at", UTCDateTime()),
)


def test_0005_keeps_the_data_and_stores_the_scores_of_submitted_assessments(
    empty_db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("IOA_K_ANONYMITY", "3")
    config = alembic_config(empty_db)
    before = ScriptDirectory.from_config(config).get_revision("0005").down_revision
    command.upgrade(config, str(before))
    engine = engine_for(empty_db)
    with engine.begin() as conn:
        conn.execute(insert(County), [{"number": 11, "name": "Rogaland"}])
        conn.execute(
            insert(Body),
            [
                {"id": i, "name": f"Kommune {i}", "kind": "municipality", "county_number": 11,
                 "written_standard": "neutral", "named_in_network": False, "synthetic": False}
                for i in range(1, 6)
            ],
        )  # fmt: skip
        conn.execute(insert(Network), [{"id": 1, "name": "Nettverk", "description": "", "created_at": T0}])
        conn.execute(
            insert(NetworkMember), [{"network_id": 1, "body_id": i, "joined_at": T0} for i in range(1, 6)]
        )
        conn.execute(
            insert(Round),
            [{"id": 1, "network_id": 1, "name": "Runde", "opens_on": date(2025, 9, 1),
              "closes_on": date(2025, 12, 1), "questionnaire_version": "ioa-v1"}],
        )  # fmt: skip
        conn.execute(
            insert(Assessment),
            [
                {"id": i, "body_id": i, "round_id": 1, "status": "submitted" if i < 5 else "draft",
                 "started_at": T0, "updated_at": T0, "submitted_at": T0 if i < 5 else None}
                for i in range(1, 6)
            ],
        )  # fmt: skip
        conn.execute(
            insert(RESPONSES_BEFORE_0009),
            [
                {"assessment_id": i, "question_id": q, "level": level, "comment": "", "updated_at": T0}
                for i in range(1, 6)
                for q, level in _levels(i).items()
            ],
        )
        responses = conn.scalar(select(func.count()).select_from(Response))

    upgrade_to_head(empty_db)

    assert current_revision(empty_db) == ScriptDirectory.from_config(config).get_current_head()
    with engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(Response)) == responses
        stored = conn.execute(select(AssessmentScore)).all()
    questionnaire = load_questionnaire()
    by_assessment: dict[int, dict[tuple[str, str], float | None]] = {}
    for row in stored:
        by_assessment.setdefault(row.assessment_id, {})[(row.kind, row.item_id)] = row.value
    assert sorted(by_assessment) == [1, 2, 3, 4]  # the draft has none
    for assessment_id, scores in by_assessment.items():
        expected = score_assessment(questionnaire, _levels(assessment_id))
        assert scores[("overall", "")] == pytest.approx(expected.overall.value)
        for dimension_id, score in expected.dimensions.items():
            assert scores[("dimension", dimension_id)] == pytest.approx(score.value)
        assert len([k for k in scores if k[0] == "question"]) == len(_levels(assessment_id))
    # The published statistics are built from the stored scores.
    table = cohort_table(SYSTEM, 1)
    expected_overall = sorted(by_assessment[i][("overall", "")] for i in range(1, 5))  # type: ignore[type-var]
    assert sorted(r.overall for r in table.rows) == pytest.approx(expected_overall)  # type: ignore[type-var]
