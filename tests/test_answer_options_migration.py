"""Migration 0004 ("not relevant" as its own stored answer) on a populated database, on SQLite and
PostgreSQL: every stored answer survives, and the new value is accepted only after it."""

from __future__ import annotations

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from ioa_assess.storage.engine import dispose_all, engine_for
from ioa_assess.storage.migrate import alembic_config, current_revision, head_revision

REVISION = "0004"
T0 = "2026-01-01 08:00:00+00:00"


def _populate(url: str) -> None:
    statements = [
        "INSERT INTO counties (number, name) VALUES (11, 'Rogaland')",
        "INSERT INTO bodies (id, name, kind, county_number, written_standard, named_in_network, synthetic) "
        "VALUES (1, 'Sandnes', 'municipality', 11, 'bokmal', false, false)",
        "INSERT INTO networks (id, name, description, created_at) VALUES (1, 'Nett', '', :t)",
        "INSERT INTO rounds (id, network_id, name, opens_on, closes_on, questionnaire_version) "
        "VALUES (1, 1, 'Runde 1', '2025-09-01', '2025-12-01', 'ioa-v1')",
        "INSERT INTO assessments (id, body_id, round_id, status, started_at, updated_at) "
        "VALUES (1, 1, 1, 'submitted', :t, :t)",
        "INSERT INTO responses (assessment_id, question_id, level, comment, updated_at) VALUES "
        "(1, 'str-01', 3, 'Vi har en plan', :t), (1, 'str-02', 0, '', :t), "
        "(1, 'str-03', NULL, 'Bare kommentar', :t)",
    ]
    with engine_for(url).begin() as conn:
        for statement in statements:
            conn.execute(text(statement), {"t": T0} if ":t" in statement else {})


def _responses(url: str) -> list[tuple]:
    with engine_for(url).connect() as conn:
        rows = conn.execute(text("SELECT question_id, level, comment FROM responses ORDER BY question_id"))
        return [tuple(row) for row in rows]


def _insert_level(url: str, level: int) -> None:
    with engine_for(url).begin() as conn:
        conn.execute(
            text(
                "INSERT INTO responses (assessment_id, question_id, level, comment, updated_at) "
                "VALUES (1, 'mar-01', :level, '', :t)"
            ),
            {"level": level, "t": T0},
        )


@pytest.mark.parametrize("db", ["sqlite", "postgres"])
def test_not_relevant_migration_keeps_every_answer(db: str, request: pytest.FixtureRequest, tmp_path) -> None:
    url = (
        f"sqlite:///{tmp_path / 'm.db'}"
        if db == "sqlite"
        else request.getfixturevalue("postgres").new_database()
    )
    config = alembic_config(url)
    before = ScriptDirectory.from_config(config).get_revision(REVISION).down_revision
    assert isinstance(before, str)
    command.upgrade(config, before)
    _populate(url)
    with pytest.raises(IntegrityError):
        _insert_level(url, -1)  # the old schema has no "not relevant" value
    dispose_all()
    command.upgrade(config, "head")
    assert current_revision(url) == head_revision()
    assert _responses(url) == [
        ("str-01", 3, "Vi har en plan"),
        ("str-02", 0, ""),
        ("str-03", None, "Bare kommentar"),
    ]
    _insert_level(url, -1)
    with pytest.raises(IntegrityError):
        _insert_level(url, -2)
    dispose_all()
