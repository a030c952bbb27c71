"""The improvement plan's migration on a populated database, on SQLite and PostgreSQL: nothing is
lost, the new tables take actions and notes, and going back down keeps the data too."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.script import ScriptDirectory

from ioa_assess.storage.engine import dispose_all
from ioa_assess.storage.migrate import alembic_config, current_revision

REVISION = "0007"
T0 = datetime(2025, 9, 1, 8, 0, tzinfo=UTC)


def _populate(connection: sa.Connection) -> None:
    """A body with an account, a round, a submitted assessment with answers and a target."""
    run = connection.execute
    run(sa.text("INSERT INTO counties (number, name) VALUES (11, 'Rogaland')"))
    run(
        sa.text(
            "INSERT INTO bodies (id, name, kind, county_number, written_standard, named_in_network, "
            "synthetic) VALUES (1, 'Gjesdal', 'municipality', 11, 'bokmal', true, false)"
        )
    )
    run(
        sa.text("INSERT INTO networks (id, name, description, created_at) VALUES (1, 'Nettverk', '', :t)"),
        {"t": T0},
    )
    run(
        sa.text(
            "INSERT INTO rounds (id, network_id, name, opens_on, closes_on, questionnaire_version) "
            "VALUES (1, 1, 'Baseline 2025', :o, :c, 'ioa-v1')"
        ),
        {"o": date(2025, 9, 1), "c": date(2025, 12, 15)},
    )
    run(
        sa.text(
            "INSERT INTO users (id, email, name, role, body_id, failed_logins, created_at) "
            "VALUES (1, 'deltaker@gjesdal.no', 'Kari', 'participant', 1, 0, :t)"
        ),
        {"t": T0},
    )
    run(
        sa.text(
            "INSERT INTO assessments (id, body_id, round_id, status, started_at, updated_at) "
            "VALUES (1, 1, 1, 'submitted', :t, :t)"
        ),
        {"t": T0},
    )
    for number, level in enumerate((2, 3, 1), start=1):
        run(
            sa.text(
                "INSERT INTO responses (assessment_id, question_id, level, comment, updated_at) "
                "VALUES (1, :q, :level, 'Vi har startet', :t)"
            ),
            {"q": f"mar-0{number}", "level": level, "t": T0},
        )
    run(
        sa.text("INSERT INTO targets (body_id, dimension_id, level, updated_at) VALUES (1, 'mar', 3.5, :t)"),
        {"t": T0},
    )


def _counts(connection: sa.Connection) -> dict[str, int]:
    tables = ("bodies", "users", "rounds", "assessments", "responses", "targets")
    metadata = sa.MetaData()
    metadata.reflect(connection, only=tables)
    return {
        name: connection.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()
        for name, table in metadata.tables.items()
    }


def test_the_plan_migration_keeps_the_data_and_takes_actions(empty_db: str) -> None:
    config = alembic_config(empty_db)
    before = ScriptDirectory.from_config(config).get_revision(REVISION).down_revision
    command.upgrade(config, before)
    engine = sa.create_engine(empty_db)
    with engine.begin() as connection:
        _populate(connection)
        counts = _counts(connection)
    command.upgrade(config, REVISION)
    assert current_revision(empty_db) == REVISION
    with engine.begin() as connection:
        assert _counts(connection) == counts
        connection.execute(
            sa.text(
                "INSERT INTO actions (id, body_id, round_id, title, description, question_ids, dimension_id, "
                "target_level, owner, owner_user_id, due_on, status, created_at, created_by, "
                "created_by_user_id, updated_at, updated_by) VALUES (1, 1, 1, 'Markedsdialog', 'Fast mal', "
                "'mar-03', 'mar', 2, 'Kari', 1, :due, 'in_progress', :t, 'deltaker@gjesdal.no', 1, :t, "
                "'deltaker@gjesdal.no')"
            ),
            {"due": date(2026, 3, 1), "t": T0},
        )
        connection.execute(
            sa.text(
                "INSERT INTO action_notes (action_id, written_at, text, author) "
                "VALUES (1, :t, 'Første møte holdt', 'deltaker@gjesdal.no')"
            ),
            {"t": T0},
        )
        with pytest.raises(sa.exc.IntegrityError), connection.begin_nested():
            connection.execute(sa.text("UPDATE actions SET status = 'forgotten' WHERE id = 1"))
        row = connection.execute(sa.text("SELECT title, status, due_on FROM actions")).one()
        assert (row.title, row.status, str(row.due_on)) == ("Markedsdialog", "in_progress", "2026-03-01")
    command.downgrade(config, before)
    with engine.begin() as connection:
        assert _counts(connection) == counts
        assert "actions" not in sa.inspect(connection).get_table_names()
    engine.dispose()
    dispose_all()
