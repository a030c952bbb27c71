"""Small hand-made cohorts for service tests, built through the models directly."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import select

from ioa_assess.questionnaire import load_questionnaire
from ioa_assess.services.accounts import actor_for_user, create_user
from ioa_assess.services.actor import SYSTEM, Actor
from ioa_assess.storage.engine import session_scope
from ioa_assess.storage.models import Assessment, Body, Network, NetworkMember, Response, Round, User

T0 = datetime(2026, 1, 1, tzinfo=UTC)
QUESTIONS = [q.id for q in load_questionnaire().questions]


@dataclass
class Cohort:
    network_id: int
    round_id: int
    body_ids: list[int]


def body_ids_by_name(*names: str) -> list[int]:
    with session_scope() as session:
        found = {b.name: b.id for b in session.scalars(select(Body).where(Body.name.in_(names)))}
    return [found[n] for n in names]


def make_cohort(
    body_names: list[str], name: str = "Testnettverk", rounds: int = 1, closed: bool = False
) -> Cohort:
    """A network with the named (reference) bodies as members and `rounds` rounds; the last is open."""
    body_ids = body_ids_by_name(*body_names)
    with session_scope(write=True) as session:
        network = Network(name=name, description="", created_at=T0)
        session.add(network)
        session.flush()
        for body_id in body_ids:
            session.add(NetworkMember(network_id=network.id, body_id=body_id, joined_at=T0))
        round_id = 0
        for index in range(rounds):
            rnd = Round(
                network_id=network.id,
                name=f"Runde {index + 1}",
                opens_on=date(2024 + index, 9, 1),
                closes_on=date(2024 + index, 12, 1),
                questionnaire_version="ioa-v1",
                closed_at=T0 if (closed or index < rounds - 1) else None,
            )
            session.add(rnd)
            session.flush()
            round_id = rnd.id
        return Cohort(network.id, round_id, body_ids)


def answer_all(body_id: int, round_id: int, level: int, status: str = "submitted") -> int:
    """Give every question the same level; returns the assessment id."""
    with session_scope(write=True) as session:
        assessment = Assessment(
            body_id=body_id,
            round_id=round_id,
            status=status,
            started_at=T0,
            updated_at=T0,
            submitted_at=T0 if status == "submitted" else None,
        )
        session.add(assessment)
        session.flush()
        for question_id in QUESTIONS:
            session.add(
                Response(
                    assessment_id=assessment.id,
                    question_id=question_id,
                    level=level,
                    comment="",
                    updated_at=T0,
                )
            )
        return assessment.id


def put_in_state(body_id: int, round_id: int, state: str) -> None:
    """Make a body's assessment in a round "not_started", "in_progress" or "submitted"."""
    with session_scope(write=True) as session:
        for assessment in session.scalars(
            select(Assessment).where(Assessment.body_id == body_id, Assessment.round_id == round_id)
        ):
            session.delete(assessment)
    if state != "not_started":
        answer_all(body_id, round_id, 3, status="submitted" if state == "submitted" else "draft")


def make_user(email: str, role: str, body_id: int | None = None, network_id: int | None = None) -> Actor:
    with session_scope(write=True) as session:
        user = create_user(session, SYSTEM, email, role, "correct horse battery", body_id, network_id)
        return actor_for_user(user)


def body_person(body_id: int, name: str, role: str = "participant") -> Actor:
    """A person answering for the body with an account of their own (made directly: hashing a
    password adds nothing here). `name` keeps the accounts of one body apart."""
    with session_scope(write=True) as session:
        user = User(email=f"{name}-{body_id}@test.no", name=name, role=role, body_id=body_id, created_at=T0)
        session.add(user)
        session.flush()
        return Actor(role=role, label=user.email, user_id=user.id, body_id=body_id)


Given = int | tuple[int, str, str]  # a level, or (level, evidence, reference)


def several_answer(people: dict[Actor, dict[str, Given]]) -> int:
    """Each person answers their body's open assessment through the services, in turn, with their own
    levels (and evidence where given); returns the assessment id."""
    from ioa_assess.services.assessments import open_assessment, save_answer

    assessment_id = 0
    for actor, answers in people.items():
        assessment_id = open_assessment(actor).id
        for question_id, given in answers.items():
            level, evidence, reference = given if isinstance(given, tuple) else (given, "self", "")
            save_answer(
                actor, assessment_id, question_id, level=level, evidence=evidence, evidence_ref=reference
            )
    return assessment_id


MUNICIPALITIES_ROGALAND = [
    "Gjesdal",
    "Sandnes",
    "Stavanger",
    "Sola",
    "Klepp",
    "Time",
    "Hå",
    "Randaberg",
    "Strand",
    "Eigersund",
    "Sokndal",
    "Lund",
    "Bjerkreim",
    "Hjelmeland",
    "Suldal",
    "Sauda",
    "Kvitsøy",
    "Bokn",
    "Tysvær",
    "Karmøy",
    "Haugesund",
    "Utsira",
    "Vindafjord",
]


def agree_and_submit(lead: Actor, assessment_id: int, reason: str = "Samlet vurdering i ledermøtet") -> None:
    """The agency lead agrees the people's provisional answer to every open question, then submits."""
    from ioa_assess.services.agreement import agree, compare
    from ioa_assess.services.assessments import submit_assessment

    for question_id in compare(lead).open_questions:
        level = compare(lead).questions[question_id].seen.provisional()
        assert level is not None
        agree(lead, assessment_id, question_id, level, reason)
    submit_assessment(lead, assessment_id)
