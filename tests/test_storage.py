"""The database layer on SQLite and PostgreSQL: migrations, settings, constraints, two writers."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import func, inspect, select
from sqlalchemy.exc import IntegrityError

from ioa_assess.bootstrap import init_database
from ioa_assess.questionnaire import load_questionnaire
from ioa_assess.services.accounts import actor_for_user, create_user
from ioa_assess.services.actor import SYSTEM, Actor, PermissionDenied
from ioa_assess.services.agreement import agree
from ioa_assess.services.assessments import save_answer, submit_assessment
from ioa_assess.storage.engine import SQLITE_BUSY_TIMEOUT_MS, engine_for, session_scope
from ioa_assess.storage.migrate import current_revision, head_revision
from ioa_assess.storage.models import (
    AnswerSet,
    Assessment,
    Base,
    Body,
    Network,
    NetworkMember,
    PersonalAnswer,
    Respondent,
    Response,
    Round,
)

T0 = datetime(2026, 9, 1, 8, 0, tzinfo=UTC)
QUESTIONS = [q.id for q in load_questionnaire().questions]
REFERENCE_BODIES = 108


def _make_draft(body_name: str = "Gjesdal") -> tuple[int, int]:
    """A network with one member body, an open round and a draft assessment: (body id, assessment id)."""
    with session_scope(write=True) as session:
        body = session.scalar(select(Body).where(Body.name == body_name))
        assert body is not None
        network = Network(name="Lagringsnettverk", description="", created_at=T0)
        session.add(network)
        session.flush()
        session.add(NetworkMember(network_id=network.id, body_id=body.id, joined_at=T0))
        rnd = Round(
            network_id=network.id,
            name="Runde 2026",
            opens_on=date(2026, 9, 1),
            closes_on=date(2026, 12, 15),
            questionnaire_version="ioa-v1",
            closed_at=None,
        )
        session.add(rnd)
        session.flush()
        assessment = Assessment(
            body_id=body.id, round_id=rnd.id, status="draft", started_at=T0, updated_at=T0
        )
        session.add(assessment)
        session.flush()
        return body.id, assessment.id


def _participant(email: str, body_id: int, role: str = "participant") -> Actor:
    with session_scope(write=True) as session:
        user = create_user(session, SYSTEM, email, role, "correct horse battery", body_id)
        return actor_for_user(user)


def _own(assessment_id: int, actor: Actor) -> dict[str, tuple[int | None, str]]:
    """The person's own answers (their answer set)."""
    with session_scope() as session:
        rows = session.scalars(
            select(PersonalAnswer)
            .join(AnswerSet, AnswerSet.id == PersonalAnswer.answer_set_id)
            .join(Respondent, Respondent.id == AnswerSet.respondent_id)
            .where(AnswerSet.assessment_id == assessment_id, Respondent.user_id == actor.user_id)
        )
        return {r.question_id: (r.level, r.comment) for r in rows}


def _agreed_rows(assessment_id: int) -> list[tuple[object, ...]]:
    with session_scope() as session:
        rows = session.scalars(select(Response).where(Response.assessment_id == assessment_id))
        return sorted(
            (r.question_id, r.level, r.agreement, r.reason, r.evidence, r.respondent_id, r.updated_at)
            for r in rows
        )


def _stored(assessment_id: int) -> dict[str, tuple[int | None, str]]:
    with session_scope() as session:
        rows = session.scalars(select(Response).where(Response.assessment_id == assessment_id))
        return {r.question_id: (r.level, r.comment) for r in rows}


# --- schema and migrations ----------------------------------------------------------------


def test_migrated_schema_has_every_model_table_and_column(any_db: str) -> None:
    inspector = inspect(engine_for(any_db))
    tables = set(inspector.get_table_names())
    missing = set(Base.metadata.tables) - tables
    assert not missing, f"tables missing after migration: {missing}"
    for name, table in Base.metadata.tables.items():
        columns = {c["name"] for c in inspector.get_columns(name)}
        assert columns == {c.name for c in table.columns}, name


def test_migrations_match_the_models(any_db: str) -> None:
    """Autogenerate finds nothing to do: the migrations build exactly what models.py declares."""
    with engine_for(any_db).connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(context, Base.metadata)
    assert diff == []


def test_database_is_at_the_head_revision(any_db: str) -> None:
    from alembic.script import ScriptDirectory

    from ioa_assess.storage.migrate import alembic_config

    assert ScriptDirectory.from_config(alembic_config(any_db)).get_heads() == [head_revision()]  # one line
    assert current_revision(any_db) == head_revision()


def test_init_database_twice_keeps_data(any_db: str) -> None:
    _, assessment_id = _make_draft()
    with session_scope(write=True) as session:
        session.add(
            Response(
                assessment_id=assessment_id, question_id=QUESTIONS[0], level=4, comment="Bra", updated_at=T0
            )
        )
    assert init_database() == REFERENCE_BODIES
    assert init_database() == REFERENCE_BODIES
    with session_scope() as session:
        assert session.scalar(select(func.count()).select_from(Body)) == REFERENCE_BODIES
        assert session.scalar(select(Network.name)) == "Lagringsnettverk"
    assert _stored(assessment_id) == {QUESTIONS[0]: (4, "Bra")}
    assert current_revision(any_db) == head_revision()


COPY_RESPONDENTS = """
from alembic import op

revision = "copy"
down_revision = "{head}"


def upgrade() -> None:
    with op.batch_alter_table("respondents") as batch_op:  # on SQLite, a copy of the table
        batch_op.create_check_constraint("label_given", "label <> ''")


def downgrade() -> None:
    pass
"""


def test_a_migration_that_copies_a_parent_table_keeps_every_reference_to_it(any_db: str, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """SQLite changes a table by copying it and dropping the old one: with foreign-key actions on,
    that drop would set every answer's and submit's person to NULL (and cascade to answer sets)."""
    import shutil

    from alembic import command

    from ioa_assess.storage.migrate import MIGRATIONS_DIR, alembic_config

    body_id, assessment_id = _make_draft()
    person = _participant("forste@gjesdal.kommune.no", body_id)
    colleague = _participant("andre@gjesdal.kommune.no", body_id)
    for actor in (person, colleague):
        save_answer(actor, assessment_id, QUESTIONS[0], level=3)
    with session_scope() as session:
        before = sorted(
            session.execute(select(AnswerSet.respondent_id, func.count()).group_by(AnswerSet.respondent_id))
        )
    scripts = tmp_path / "migrations"
    shutil.copytree(MIGRATIONS_DIR, scripts, ignore=shutil.ignore_patterns("__pycache__"))
    (scripts / "versions" / "copy_respondents.py").write_text(COPY_RESPONDENTS.format(head=head_revision()))
    config = alembic_config(any_db)
    config.set_main_option("script_location", str(scripts))

    command.upgrade(config, "head")

    with session_scope() as session:
        after = sorted(
            session.execute(select(AnswerSet.respondent_id, func.count()).group_by(AnswerSet.respondent_id))
        )
        answers = session.scalar(select(func.count()).select_from(PersonalAnswer))
    assert after == before and len(after) == 2 and answers == 2
    with engine_for(any_db).connect() as conn:  # and foreign keys are enforced again afterwards
        if conn.dialect.name == "sqlite":
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


# --- SQLite settings -----------------------------------------------------------------------


def test_sqlite_connections_use_wal_foreign_keys_and_a_busy_timeout(sqlite_url: str) -> None:
    init_database()
    engine = engine_for(sqlite_url)
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == SQLITE_BUSY_TIMEOUT_MS
    assert SQLITE_BUSY_TIMEOUT_MS >= 1000
    # Foreign keys are really enforced: a body in a county that does not exist is refused.
    with pytest.raises(IntegrityError), session_scope(write=True) as session:
        session.add(Body(name="Ingenstad", kind="state_agency", county_number=99, written_standard="neutral"))
        session.flush()


# --- constraints ---------------------------------------------------------------------------


def test_one_response_per_assessment_and_question(any_db: str) -> None:
    _, assessment_id = _make_draft()
    with session_scope(write=True) as session:
        session.add(
            Response(
                assessment_id=assessment_id, question_id=QUESTIONS[0], level=2, comment="", updated_at=T0
            )
        )
    with pytest.raises(IntegrityError), session_scope(write=True) as session:
        session.add(
            Response(
                assessment_id=assessment_id, question_id=QUESTIONS[0], level=5, comment="", updated_at=T0
            )
        )
        session.flush()
    assert _stored(assessment_id) == {QUESTIONS[0]: (2, "")}


def test_level_outside_the_scale_is_refused_by_the_database(any_db: str) -> None:
    _, assessment_id = _make_draft()
    with pytest.raises(IntegrityError), session_scope(write=True) as session:
        session.add(
            Response(
                assessment_id=assessment_id, question_id=QUESTIONS[0], level=6, comment="", updated_at=T0
            )
        )
        session.flush()
    assert _stored(assessment_id) == {}


# --- two writers ---------------------------------------------------------------------------


def test_two_people_writing_at_once_each_keep_all_their_answers_and_leave_the_agreed_ones(
    any_db: str,
) -> None:
    body_id, assessment_id = _make_draft()
    first = _participant("forste@gjesdal.kommune.no", body_id)
    second = _participant("andre@gjesdal.kommune.no", body_id)
    lead = _participant("leder@gjesdal.kommune.no", body_id, role="agency_lead")
    agreed_question = QUESTIONS[-2]
    save_answer(first, assessment_id, agreed_question, level=1)
    save_answer(second, assessment_id, agreed_question, level=4)
    agree(lead, assessment_id, agreed_question, 3, "Innkjøp er i gang, økonomi ser det fra utsiden.")
    agreed_before = _agreed_rows(assessment_id)
    shared = QUESTIONS[-1]
    plan = {
        first: [(q, {"level": 1 + i % 5}) for i, q in enumerate(QUESTIONS[:20])],
        second: [
            (q, {"level": 1 + (i + 2) % 5, "comment": f"Svar {q}"}) for i, q in enumerate(QUESTIONS[10:38])
        ],
    }
    # Both answer the same questions at once, the agreed one too: each keeps their own view.
    plan[first].insert(10, (shared, {"level": 4}))
    plan[second].insert(10, (shared, {"level": 2, "comment": "Vi har en strategi fra 2024."}))
    plan[first].append((agreed_question, {"level": 5}))
    plan[second].append((agreed_question, {"comment": "Endret syn etter møtet."}))
    start = threading.Barrier(2)

    def write(actor: Actor) -> int:
        start.wait(timeout=30)
        for question_id, values in plan[actor]:
            save_answer(actor, assessment_id, question_id, **values)
        return len(plan[actor])

    with ThreadPoolExecutor(max_workers=2) as pool:
        done = list(pool.map(write, [first, second]))
    assert done == [22, 30]

    assert _own(assessment_id, first) == {q: (v["level"], "") for q, v in plan[first]}
    expected = {q: (v["level"], v["comment"]) for q, v in plan[second] if q != agreed_question}
    assert _own(assessment_id, second) == expected | {agreed_question: (4, "Endret syn etter møtet.")}
    # The body's answers are the agreed ones only: the writers changed none of them.
    assert _agreed_rows(assessment_id) == agreed_before
    assert _stored(assessment_id) == {agreed_question: (3, "")}


def test_the_same_person_in_two_tabs_loses_nothing(any_db: str) -> None:
    """A level given in one tab and a comment in the other, at once, on the same questions."""
    body_id, assessment_id = _make_draft()
    person = _participant("forste@gjesdal.kommune.no", body_id)
    save_answer(person, assessment_id, QUESTIONS[0], level=1)  # the set exists before the tabs race
    questions = QUESTIONS[:25]
    start = threading.Barrier(2)

    def levels() -> None:
        start.wait(timeout=30)
        for i, q in enumerate(questions):
            save_answer(person, assessment_id, q, level=1 + i % 5)

    def comments() -> None:
        start.wait(timeout=30)
        for q in questions:
            save_answer(person, assessment_id, q, comment=f"Notat {q}")

    with ThreadPoolExecutor(max_workers=2) as pool:
        for future in [pool.submit(levels), pool.submit(comments)]:
            future.result(timeout=120)

    expected = {q: (1 + i % 5, f"Notat {q}") for i, q in enumerate(questions)}
    assert _own(assessment_id, person) == expected
    # The only person's answers are the body's answers, with both halves too.
    assert _stored(assessment_id) == expected


def test_an_answer_given_while_a_submit_is_under_way_is_refused(any_db: str) -> None:
    """The write waits for the submit's lock and then sees the submitted status: nothing slips in."""
    body_id, assessment_id = _make_draft()
    actor = _participant("forste@gjesdal.kommune.no", body_id)
    save_answer(actor, assessment_id, QUESTIONS[0], level=2)
    before = _stored(assessment_id)
    with ThreadPoolExecutor(max_workers=1) as pool:
        with session_scope(write=True) as session:  # a submit, holding its lock until the block ends
            query = select(Assessment).where(Assessment.id == assessment_id).with_for_update()
            session.scalar(query).status = "submitted"
            session.flush()
            late = pool.submit(save_answer, actor, assessment_id, QUESTIONS[1], level=5)
            time.sleep(0.5)
            assert not late.done()  # the answer waits for the submit
        with pytest.raises(PermissionDenied, match="submitted"):
            late.result(timeout=30)
    assert _stored(assessment_id) == before


def test_comment_write_does_not_wipe_a_level_and_vice_versa(any_db: str) -> None:
    body_id, assessment_id = _make_draft()
    person = _participant("forste@gjesdal.kommune.no", body_id)
    colleague = _participant("andre@gjesdal.kommune.no", body_id)
    question = QUESTIONS[0]
    save_answer(person, assessment_id, question, level=3)
    answer = save_answer(person, assessment_id, question, comment="Gjort i ett prosjekt.")
    assert (answer.level, answer.comment) == (3, "Gjort i ett prosjekt.")
    answer = save_answer(person, assessment_id, question, level=5)
    assert (answer.level, answer.comment) == (5, "Gjort i ett prosjekt.")
    # A colleague's comment on the same question is the colleague's own: it changes nothing of hers.
    answer = save_answer(colleague, assessment_id, question, comment="Usikker.")
    assert (answer.level, answer.comment) == (None, "Usikker.")
    assert _own(assessment_id, person) == {question: (5, "Gjort i ett prosjekt.")}
    assert _own(assessment_id, colleague) == {question: (None, "Usikker.")}


def test_submitted_assessment_refuses_answers_and_keeps_the_stored_ones(any_db: str) -> None:
    body_id, assessment_id = _make_draft()
    actor = _participant("forste@gjesdal.kommune.no", body_id)
    for index, question_id in enumerate(QUESTIONS):
        save_answer(actor, assessment_id, question_id, level=1 + index % 5)
    before = _stored(assessment_id)
    submit_assessment(actor, assessment_id)
    with pytest.raises(PermissionDenied, match="submitted"):
        save_answer(actor, assessment_id, QUESTIONS[0], level=5)
    with pytest.raises(PermissionDenied, match="submitted"):
        save_answer(actor, assessment_id, QUESTIONS[1], comment="Endret etterpå")
    assert _stored(assessment_id) == before
    with session_scope() as session:
        assert session.get(Assessment, assessment_id).status == "submitted"
