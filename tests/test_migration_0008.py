"""Migration 0008 (contacts, sent messages, mail texts) on a populated database, both backends."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from ioa_assess.storage.engine import engine_for, session_scope
from ioa_assess.storage.migrate import alembic_config, current_revision, head_revision
from ioa_assess.storage.models import Contact, MailText, SentMessage

REVISION = "0008"
T0 = datetime(2026, 9, 1, 8, 0, tzinfo=UTC)


def _populate(url: str) -> None:
    """A network with two bodies, a round, an assessment with answers, a code and an audit row."""
    rows = [
        "INSERT INTO counties (number, name) VALUES (46, 'Vestland')",
        "INSERT INTO bodies (id, name, kind, county_number, municipality_number, written_standard, "
        "named_in_network, synthetic) VALUES (1, 'Voss herad', 'municipality', 46, '4621', 'nynorsk', "
        "true, false), (2, 'Bergen', 'municipality', 46, '4601', 'bokmal', false, false)",
        "INSERT INTO networks (id, name, description, created_at) VALUES (1, 'Vest', '', :t)",
        "INSERT INTO network_members (network_id, body_id, joined_at) VALUES (1, 1, :t), (1, 2, :t)",
        "INSERT INTO rounds (id, network_id, name, opens_on, closes_on, questionnaire_version) "
        "VALUES (1, 1, 'Haust 2026', '2026-09-01', '2026-12-15', 'ioa-v1')",
        "INSERT INTO invitations (id, code_hash, hint, body_id, round_id, created_at, expires_at, "
        "used_count) VALUES (1, 'abc', 'WXYZ', 1, 1, :t, :t, 0)",
        "INSERT INTO assessments (id, body_id, round_id, status, started_at, updated_at) "
        "VALUES (1, 1, 1, 'draft', :t, :t)",
        "INSERT INTO responses (assessment_id, question_id, level, comment, updated_at) "
        "VALUES (1, 'str-01', 3, 'Vi har ein strategi', :t), (1, 'str-02', 2, '', :t)",
        "INSERT INTO audit_events (at, actor, action, target, detail) VALUES (:t, 'system', 'round.create', "
        "'round:1', '')",
    ]
    with engine_for(url).begin() as connection:
        for statement in rows:
            connection.execute(text(statement), {"t": T0})


def _counts(url: str) -> dict[str, int]:
    tables = (
        "bodies",
        "network_members",
        "rounds",
        "invitations",
        "assessments",
        "responses",
        "audit_events",
    )
    with engine_for(url).connect() as connection:
        return {t: connection.execute(text(f"SELECT count(*) FROM {t}")).scalar_one() for t in tables}  # noqa: S608


def test_0008_upgrades_a_populated_database_and_keeps_everything(empty_db: str) -> None:
    config = alembic_config(empty_db)
    before_revision = ScriptDirectory.from_config(config).get_revision(REVISION).down_revision
    assert isinstance(before_revision, str)
    command.upgrade(config, before_revision)
    _populate(empty_db)
    before = _counts(empty_db)
    command.upgrade(config, "head")
    assert current_revision(empty_db) == head_revision()
    assert _counts(empty_db) == before
    with engine_for(empty_db).connect() as connection:
        comment = connection.execute(
            text("SELECT comment FROM responses WHERE question_id = 'str-01'")
        ).scalar()
    assert comment == "Vi har ein strategi"
    with session_scope(write=True) as session:
        session.add(Contact(round_id=1, body_id=1, name="Siri", email="siri@voss.example", updated_at=T0))
        session.add(
            SentMessage(
                round_id=1,
                body_id=1,
                kind="invitation",
                email="siri@voss.example",
                language="nn",
                sent_at=T0,
                sent_by="system",
            )
        )
        session.add(
            MailText(network_id=1, kind="invitation", language="nn", subject="S", body="B", updated_at=T0)
        )
    with pytest.raises(IntegrityError), session_scope(write=True) as session:
        session.add(Contact(round_id=1, body_id=1, name="Other", email="o@voss.example", updated_at=T0))
    with pytest.raises(IntegrityError), session_scope(write=True) as session:
        session.add(
            SentMessage(
                round_id=1, body_id=1, kind="fax", email="x@y.example", language="nn", sent_at=T0, sent_by="s"
            )
        )
    command.downgrade(config, before_revision)  # and back down, leaving the old data in place
    assert _counts(empty_db) == before
