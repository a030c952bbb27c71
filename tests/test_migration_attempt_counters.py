"""Migration 0003 (attempt counters) on a populated database, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import text

from ioa_assess.services import throttle
from ioa_assess.storage.engine import engine_for, session_scope
from ioa_assess.storage.migrate import alembic_config

T0 = datetime(2026, 3, 1, tzinfo=UTC)


def test_upgrading_a_populated_database_keeps_its_accounts_and_adds_the_counters(empty_db: str) -> None:
    config = alembic_config(empty_db)
    before = ScriptDirectory.from_config(config).get_revision("0003").down_revision
    command.upgrade(config, str(before))
    rows = [
        (1, "lead@gjesdal.kommune.no", "agency_lead", 3, T0 + timedelta(minutes=4)),
        (2, "admin@ks.no", "admin", 0, None),
    ]
    with engine_for(empty_db).begin() as conn:
        conn.execute(text("INSERT INTO counties (number, name) VALUES (11, 'Rogaland')"))
        conn.execute(
            text(
                "INSERT INTO bodies (id, name, kind, county_number, municipality_number, population, "
                "written_standard, named_in_network, synthetic) "
                "VALUES (1, 'Gjesdal', 'municipality', 11, '1122', 12000, 'bokmal', false, false)"
            )
        )
        for user_id, email, role, failed, locked in rows:
            conn.execute(
                text(
                    "INSERT INTO users (id, email, name, password_hash, role, body_id, failed_logins, "
                    "locked_until, created_at) VALUES (:id, :email, '', 'x', :role, :body, :failed, "
                    ":locked, :created)"
                ),
                {
                    "id": user_id,
                    "email": email,
                    "role": role,
                    "body": 1 if role == "agency_lead" else None,
                    "failed": failed,
                    "locked": locked,
                    "created": T0,
                },
            )
    command.upgrade(config, "head")
    with engine_for(empty_db).connect() as conn:
        kept = conn.execute(text("SELECT id, email, role, failed_logins FROM users ORDER BY id")).all()
        assert [tuple(r) for r in kept] == [(u, e, r, f) for u, e, r, f, _ in rows]
        assert conn.execute(text("SELECT name, population FROM bodies")).one() == ("Gjesdal", 12000)
    with session_scope(write=True) as session:
        counts = [
            throttle.count_attempt(session, "signin-address:x", timedelta(minutes=15), T0) for _ in range(3)
        ]
    assert counts == [1, 2, 3]
