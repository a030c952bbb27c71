"""Migration 0009 (several respondents per body) on a populated database, SQLite and PostgreSQL:
every answer stays the body's answer, each traceable person gets a set with a copy of them, scores
and results are unchanged, and the way back keeps the answers."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import insert, inspect, select, text

from ioa_assess.questionnaire import load_questionnaire
from ioa_assess.scoring import DONT_KNOW, NOT_RELEVANT, score_assessment
from ioa_assess.services.actor import SYSTEM, Actor
from ioa_assess.services.assessments import open_assessment
from ioa_assess.services.results import standing
from ioa_assess.services.stored_scores import score_rows
from ioa_assess.storage.engine import engine_for, session_scope
from ioa_assess.storage.migrate import alembic_config, current_revision, head_revision
from ioa_assess.storage.models import (
    AnswerSet,
    Assessment,
    AssessmentScore,
    Body,
    County,
    Invitation,
    Network,
    NetworkMember,
    PersonalAnswer,
    Response,
    Round,
    User,
)

REVISION = "0009"
T0 = datetime(2026, 9, 1, 8, 0, tzinfo=UTC)
SUBMITTED = datetime(2026, 10, 20, 14, 30, tzinfo=UTC)
QUESTIONS = [q.id for q in load_questionnaire("ioa-v1").questions]

# Respondents: (id, body, user, invitation, label)
RESPONDENTS = [
    (1, 1, 1, None, "Innkjøper, Voss"),
    (2, 1, 2, None, "Rådmann, Voss"),
    (3, 2, None, 1, "Kode …WXYZ"),
    (4, 2, 3, None, "Økonomisjef, Bergen"),
    (5, 4, 4, None, "Innkjøpssjef, Stord"),
]


def _answers() -> dict[int, list[tuple[str, int | None, str, int | None]]]:
    """assessment id -> (question, level, comment, respondent) as people gave them."""
    voss = [(q, 1 + n % 5, "", 1) for n, q in enumerate(QUESTIONS[:18])]  # most by the adviser
    voss += [(q, 4, "Vedteke i kommunestyret", 2) for q in QUESTIONS[18:22]]  # some by the submitter
    voss += [
        (QUESTIONS[22], DONT_KNOW, "Må sjekke med økonomi", 2),
        (QUESTIONS[23], None, "Kun kommentar", 1),
    ]
    bergen = [(q, 2, "", 4) for q in QUESTIONS[:9]] + [(q, 3, "", 3) for q in QUESTIONS[9:12]]
    bergen += [(QUESTIONS[12], DONT_KNOW, "", 4)]
    odda = [(q, 3, "Skrive av ein som har slutta", None) for q in QUESTIONS[:10]]
    stord = [(q, 1 + n % 4, "", 5) for n, q in enumerate(QUESTIONS)]
    stord[3] = (QUESTIONS[3], DONT_KNOW, "Veit ikkje", 5)
    return {1: voss, 2: bergen, 3: odda, 4: stord, 5: _spring_draft()}


V2 = load_questionnaire("ioa-v2")
NOT_RELEVANT_ALLOWED = next(q.id for q in V2.questions if q.not_relevant)
V2_OTHERS = [q.id for q in V2.questions if q.id != NOT_RELEVANT_ALLOWED]


def _spring_draft() -> list[tuple[str, int | None, str, int | None]]:
    """Voss's draft in the v2 round: two people wrote as many answers each (a tie)."""
    return [
        (NOT_RELEVANT_ALLOWED, NOT_RELEVANT, "Vi kjøper ikkje inn dette", 2),
        (V2_OTHERS[0], DONT_KNOW, "", 2),
        (V2_OTHERS[1], 4, "", 1),
        (V2_OTHERS[2], 2, "Usikker", 1),
    ]


def _levels(answers: list[tuple[str, int | None, str, int | None]]) -> dict[str, int]:
    return {q: level for q, level, _, _ in answers if level is not None}


def _updated(index: int) -> datetime:
    return T0 + timedelta(hours=index)


def _populate(url: str) -> None:
    """Four bodies in one round: Voss submitted (two people wrote, the one who wrote less submitted),
    Bergen a draft by two people (a code holder and an account), Odda submitted by a person since
    removed (no respondent, no submitter), Stord submitted by one person; scores stored. In the v2
    spring round, a Voss draft with "not relevant" and "don't know", two people writing as much."""
    engine = engine_for(url)
    with engine.begin() as conn:
        conn.execute(insert(County), [{"number": 46, "name": "Vestland"}])
        names = {1: "Voss herad", 2: "Bergen kommune", 3: "Odda kommune", 4: "Stord kommune"}
        conn.execute(
            insert(Body),
            [
                {"id": i, "name": n, "kind": "municipality", "county_number": 46,
                 "written_standard": "nynorsk", "named_in_network": False, "synthetic": False}
                for i, n in names.items()
            ],
        )  # fmt: skip
        conn.execute(insert(Network), [{"id": 1, "name": "Vest", "description": "", "created_at": T0}])
        conn.execute(insert(NetworkMember), [{"network_id": 1, "body_id": i, "joined_at": T0} for i in names])
        conn.execute(
            insert(Round),
            [{"id": 1, "network_id": 1, "name": "Haust 2026", "opens_on": date(2026, 9, 1),
              "closes_on": date(2026, 12, 15), "questionnaire_version": "ioa-v1"},
             {"id": 2, "network_id": 1, "name": "Vår 2027", "opens_on": date(2027, 3, 1),
              "closes_on": date(2027, 5, 15), "questionnaire_version": "ioa-v2"}],
        )  # fmt: skip
        conn.execute(
            insert(User),
            [
                {"id": i, "email": f"person{i}@vest.example", "name": f"Person {i}", "role": "participant",
                 "body_id": body, "failed_logins": 0, "created_at": T0}
                for i, body in [(1, 1), (2, 1), (3, 2), (4, 4)]
            ],
        )  # fmt: skip
        conn.execute(
            insert(Invitation),
            [{"id": 1, "code_hash": "hash", "hint": "WXYZ", "body_id": 2, "round_id": 1, "created_at": T0,
              "expires_at": T0 + timedelta(days=365), "used_count": 1}],
        )  # fmt: skip
        conn.execute(
            text(
                "INSERT INTO respondents (id, body_id, user_id, invitation_id, label, created_at) "
                "VALUES (:id, :body, :user, :invitation, :label, :t)"
            ),
            [
                {"id": i, "body": b, "user": u, "invitation": inv, "label": label, "t": T0}
                for i, b, u, inv, label in RESPONDENTS
            ],
        )
        conn.execute(
            insert(Assessment),
            [
                {"id": 1, "body_id": 1, "round_id": 1, "status": "submitted", "started_at": T0,
                 "updated_at": SUBMITTED, "submitted_at": SUBMITTED, "submitted_by": 2},
                {"id": 2, "body_id": 2, "round_id": 1, "status": "draft", "started_at": T0, "updated_at": T0,
                 "submitted_at": None, "submitted_by": None},
                {"id": 3, "body_id": 3, "round_id": 1, "status": "submitted", "started_at": T0,
                 "updated_at": SUBMITTED, "submitted_at": SUBMITTED, "submitted_by": None},
                {"id": 4, "body_id": 4, "round_id": 1, "status": "submitted", "started_at": T0,
                 "updated_at": SUBMITTED, "submitted_at": SUBMITTED, "submitted_by": 5},
                {"id": 5, "body_id": 1, "round_id": 2, "status": "draft", "started_at": T0, "updated_at": T0,
                 "submitted_at": None, "submitted_by": None},
            ],
        )  # fmt: skip
        conn.execute(
            text(
                "INSERT INTO responses (assessment_id, question_id, level, comment, respondent_id, "
                "updated_at) VALUES (:a, :q, :level, :comment, :respondent, :t)"
            ),
            [
                {"a": a, "q": q, "level": level, "comment": comment, "respondent": r, "t": _updated(n)}
                for a, answers in _answers().items()
                for n, (q, level, comment, r) in enumerate(answers)
            ],
        )
        questionnaire = load_questionnaire("ioa-v1")
        for assessment_id in (1, 3, 4):  # the submitted ones
            levels = _levels(_answers()[assessment_id])
            rows = score_rows(assessment_id, score_assessment(questionnaire, levels), levels)
            conn.execute(insert(AssessmentScore), rows)


def _raw(url: str, table: str, order: str) -> list[tuple[object, ...]]:
    with engine_for(url).connect() as conn:
        return [tuple(r) for r in conn.execute(text(f"SELECT * FROM {table} ORDER BY {order}"))]  # noqa: S608


def _response_columns(url: str) -> list[tuple[object, ...]]:
    query = (
        "SELECT assessment_id, question_id, level, comment, respondent_id, updated_at FROM responses "
        "ORDER BY assessment_id, question_id"
    )
    with engine_for(url).connect() as conn:
        return [tuple(r) for r in conn.execute(text(query))]


def _parent(url: str) -> str:
    parent = ScriptDirectory.from_config(alembic_config(url)).get_revision(REVISION).down_revision
    assert isinstance(parent, str)
    return parent


def test_0009_keeps_every_answer_as_the_body_answer_and_copies_it_into_one_persons_set(
    empty_db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("IOA_K_ANONYMITY", "3")
    config = alembic_config(empty_db)
    command.upgrade(config, _parent(empty_db))
    _populate(empty_db)
    responses_before = _response_columns(empty_db)
    scores_before = _raw(empty_db, "assessment_scores", "assessment_id, kind, item_id")
    assert len(responses_before) == sum(len(a) for a in _answers().values())

    command.upgrade(config, "head")

    assert current_revision(empty_db) == head_revision()
    assert _response_columns(empty_db) == responses_before
    assert _raw(empty_db, "assessment_scores", "assessment_id, kind, item_id") == scores_before
    with session_scope() as session:
        body_answers = session.scalars(select(Response)).all()
        assert {(r.agreement, r.evidence, r.evidence_ref, r.reason) for r in body_answers} == {
            ("single", "self", "", "")
        }
        sets = {s.assessment_id: s for s in session.scalars(select(AnswerSet))}
        assert len(session.scalars(select(AnswerSet)).all()) == len(sets)  # one set per assessment
        # Voss: the submitter's, though the other person wrote most; done when it was submitted.
        # Bergen: the one who wrote most. Odda: nobody to trace, so no set. Stord: its only person.
        # Voss in spring: two people wrote as much each, so the first of them (lowest id).
        assert {a: s.respondent_id for a, s in sets.items()} == {1: 2, 2: 4, 4: 5, 5: 1}
        assert sets[1].done_at == SUBMITTED and sets[4].done_at == SUBMITTED
        assert sets[2].done_at is None and sets[5].done_at is None
        for assessment_id, answer_set in sets.items():
            copies = session.scalars(
                select(PersonalAnswer).where(PersonalAnswer.answer_set_id == answer_set.id)
            ).all()
            expected = {(q, level, comment) for q, level, comment, _ in _answers()[assessment_id]}
            assert {(c.question_id, c.level, c.comment) for c in copies} == expected
            assert {(c.evidence, c.evidence_ref) for c in copies} == {("self", "")}
            updated = {q: _updated(n) for n, (q, *_) in enumerate(_answers()[assessment_id])}
            assert {c.question_id: c.updated_at for c in copies} == updated

    # What the body's results show is what it showed before: its levels, comments and scores.
    for body_id, round_id, assessment_id in ((1, 1, 1), (2, 1, 2), (3, 1, 3), (4, 1, 4), (1, 2, 5)):
        answers = _answers()[assessment_id]
        questionnaire = load_questionnaire("ioa-v1" if round_id == 1 else "ioa-v2")
        shown = standing(SYSTEM, body_id=body_id, round_id=round_id)
        assert shown.levels == _levels(answers)
        assert shown.comments == {q: c for q, _, c, _ in answers if c}
        expected = score_assessment(questionnaire, _levels(answers))
        assert shown.result.overall.value == pytest.approx(expected.overall.value)
        for dimension_id, score in expected.dimensions.items():
            assert shown.result.dimensions[dimension_id].value == pytest.approx(score.value)
    # Bergen's draft goes on as before: the person with the set sees their answers as their own, and
    # the body has one voice, so each of them is already the agreed answer.
    person = Actor(role="participant", label="Økonomisjef, Bergen", user_id=3, body_id=2)
    state = open_assessment(person, round_id=1)
    assert state.levels() == _levels(_answers()[2])
    assert not state.several and state.to_agree() == []


def test_0009_downgrade_keeps_the_answers_and_upgrades_again(empty_db: str) -> None:
    config = alembic_config(empty_db)
    parent = _parent(empty_db)
    command.upgrade(config, parent)
    _populate(empty_db)
    responses_before = _response_columns(empty_db)
    scores_before = _raw(empty_db, "assessment_scores", "assessment_id, kind, item_id")
    command.upgrade(config, "head")

    command.downgrade(config, parent)

    assert current_revision(empty_db) == parent
    assert _response_columns(empty_db) == responses_before
    assert _raw(empty_db, "assessment_scores", "assessment_id, kind, item_id") == scores_before
    tables = set(inspect(engine_for(empty_db)).get_table_names())
    assert "responses" in tables and not tables & {"answer_sets", "personal_answers"}
    command.upgrade(config, "head")
    assert _response_columns(empty_db) == responses_before
    with session_scope() as session:
        assert sorted(s.respondent_id for s in session.scalars(select(AnswerSet))) == [1, 2, 4, 5]
