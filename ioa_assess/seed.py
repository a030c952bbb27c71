"""The demo network: real bodies of the three counties with plausible, varied, seeded answers."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from ioa_assess.bootstrap import get_meta, init_database, set_meta
from ioa_assess.questionnaire import DEFAULT_VERSION, load_questionnaire
from ioa_assess.reference import COUNTIES
from ioa_assess.services.accounts import hash_password
from ioa_assess.services.actor import InvalidInput
from ioa_assess.services.published import publish
from ioa_assess.services.stored_scores import store_missing_scores
from ioa_assess.storage.bulk import bulk_insert
from ioa_assess.storage.engine import session_scope
from ioa_assess.storage.models import (
    Assessment,
    Body,
    Network,
    NetworkMember,
    Respondent,
    Response,
    Round,
    Target,
    User,
)

DEMO_NETWORK = "IOA-nettverk Sør-Vest"
DEMO_BODY = "Gjesdal"  # the participant's and agency lead's body: a draft in the open round
DEMO_LEADER_BODY = "Sandnes"  # the leader's body: has answered every round
DEMO_ROLES = ("participant", "agency_lead", "leader", "facilitator", "regional_leader", "admin")
DEFAULT_AGENCIES = 72
MAX_AGENCIES = 10_000
MAX_ROUNDS = 10

COMMENTS = {
    1: [
        "Vi har ikke startet med dette ennå.",
        "Ingen rutine for dette i dag.",
        "Har ikkje kapasitet til dette no.",
    ],
    2: [
        "Gjort i ett prosjekt (velferdsteknologi), men ikke som fast praksis.",
        "Avhenger av hvem som har saken.",
        "Prøvd ut i eitt prosjekt i 2024.",
    ],
    3: [
        "Beskrevet i anskaffelsesstrategien fra 2024.",
        "Vi bruker malen fra anskaffelser.no.",
        "Fast del av prosessen for anskaffingar over terskelverdi.",
    ],
    4: [
        "Følges opp i kvartalsrapporteringen til rådmannen.",
        "Evalueres etter hver større anskaffelse.",
    ],
    5: [
        "Måles og deles i nettverket; brukt som eksempel av LUP.",
        "Resultatene publiseres årlig.",
    ],
}


@dataclass(frozen=True)
class DemoSignIn:
    role: str
    email: str
    password: str

    def line(self) -> str:
        return f"{self.role} {self.email} {self.password}"


def demo_sign_ins(seed: int) -> list[DemoSignIn]:
    """The demo accounts; derived from the seed so the start page can show them again."""
    return [
        DemoSignIn(role, f"{role.replace('_', '-')}@demo.ioa.no", f"demo-{role}-{seed}")
        for role in DEMO_ROLES
    ]


def _round_plan(rounds: int) -> list[tuple[str, date, date, bool]]:
    """(name, opens, closes, closed) for each round; the last one is open."""
    last_year = 2026
    plan = []
    for index in range(rounds):
        year = last_year - (rounds - 1 - index)
        name = "Baseline" if index == 0 else ("Oppfølging" if index == 1 else f"Måling {index + 1}")
        plan.append((f"{name} {year}", date(year, 9, 1), date(year, 12, 15), index < rounds - 1))
    return plan


def _synthetic_bodies(count: int, rng: random.Random) -> list[Body]:
    counties = list(COUNTIES)
    return [
        Body(
            name=f"Syntetisk kommune {i:04d} (demo)",
            kind="municipality",
            county_number=rng.choice(counties),
            population=int(rng.lognormvariate(8.8, 1.1)),
            written_standard=rng.choice(["nynorsk", "bokmal", "neutral"]),
            named_in_network=False,
            synthetic=True,
        )
        for i in range(1, count + 1)
    ]


def _level(rng: random.Random, mean: float) -> int:
    return max(1, min(5, round(rng.gauss(mean, 0.6))))


def seed_demo(seed: int = 42, agencies: int = DEFAULT_AGENCIES, rounds: int = 2) -> list[DemoSignIn]:
    """Create the demo network in a database that does not have it yet; return the sign-ins."""
    if not 5 <= agencies <= MAX_AGENCIES:
        raise InvalidInput("--agencies must be between 5 and {n}.", n=MAX_AGENCIES)
    if not 1 <= rounds <= MAX_ROUNDS:
        raise InvalidInput("--rounds must be between 1 and {n}.", n=MAX_ROUNDS)
    init_database()
    rng = random.Random(seed)
    questionnaire = load_questionnaire(DEFAULT_VERSION)
    created = datetime(2025, 8, 15, 9, 0, tzinfo=UTC)
    with session_scope(write=True) as session:
        if session.scalar(select(Network.id).where(Network.name == DEMO_NETWORK)) is not None:
            raise InvalidInput("The database already holds the demo network; remove it to seed again.")
        members = _pick_members(session, rng, agencies)
        network = Network(
            name=DEMO_NETWORK, description="Læringsnettverk for innovative anskaffelser", created_at=created
        )
        session.add(network)
        session.flush()
        session.execute(
            insert(NetworkMember),
            [{"network_id": network.id, "body_id": b.id, "joined_at": created} for b in members],
        )
        demo_body = next(b for b in members if b.name == DEMO_BODY)
        leader_body = next(b for b in members if b.name == DEMO_LEADER_BODY)
        round_rows = []
        for name, opens, closes, closed in _round_plan(rounds):
            rnd = Round(
                network_id=network.id,
                name=name,
                opens_on=opens,
                closes_on=closes,
                questionnaire_version=questionnaire.id,
                closed_at=datetime.combine(closes, datetime.min.time(), UTC) if closed else None,
            )
            session.add(rnd)
            round_rows.append(rnd)
        session.flush()
        sign_ins = demo_sign_ins(seed)
        users = _demo_users(session, sign_ins, demo_body.id, leader_body.id, network.id, created)
        _answers(
            session,
            rng,
            questionnaire,
            members,
            round_rows,
            demo_body.id,
            leader_body.id,
            users["participant"],
        )
        for body in (demo_body, leader_body):
            _targets(session, body.id, questionnaire)
        store_missing_scores(session)
        set_meta(session, "demo_seed", str(seed))
        round_ids = [r.id for r in round_rows]
    for round_id in round_ids:  # the statistics as they stand, published once
        publish(round_id, closing=round_id != round_ids[-1])
    return sign_ins


def _pick_members(session: Session, rng: random.Random, agencies: int) -> list[Body]:
    real = list(session.scalars(select(Body).where(Body.synthetic.is_(False)).order_by(Body.name)))
    demo = [b for b in real if b.name in (DEMO_BODY, DEMO_LEADER_BODY)]
    others = [b for b in real if b not in demo]
    rng.shuffle(others)
    members = [*demo, *others[: max(0, agencies - len(demo))]]
    if agencies > len(real):
        synthetic = _synthetic_bodies(agencies - len(real), rng)
        session.add_all(synthetic)
        session.flush()
        members += synthetic
    for body in members:
        body.named_in_network = body in demo or rng.random() < 0.45
    return members


def _demo_users(
    session: Session,
    sign_ins: list[DemoSignIn],
    body_id: int,
    leader_body_id: int,
    network_id: int,
    created: datetime,
) -> dict[str, int]:
    ids: dict[str, int] = {}
    for sign_in in sign_ins:
        in_body = sign_in.role in ("participant", "agency_lead", "leader")
        in_network = sign_in.role in ("facilitator", "regional_leader")
        user = User(
            email=sign_in.email,
            name=f"Demo {sign_in.role.replace('_', ' ')}",
            role=sign_in.role,
            password_hash=hash_password(sign_in.password),
            body_id=(leader_body_id if sign_in.role == "leader" else body_id) if in_body else None,
            network_id=network_id if in_network else None,
            created_at=created,
            failed_logins=0,
        )
        session.add(user)
        session.flush()
        ids[sign_in.role] = user.id
    return ids


def _answers(
    session: Session,
    rng: random.Random,
    questionnaire,  # type: ignore[no-untyped-def]
    members: list[Body],
    rounds: list[Round],
    demo_body_id: int,
    leader_body_id: int,
    demo_user_id: int,
) -> None:
    # Cohort-wide strengths and weaknesses, so the dashboard has a story to tell.
    dimension_effect = {d.id: rng.gauss(0, 0.35) for d in questionnaire.dimensions}
    question_effect = {q.id: rng.gauss(0, 0.3) for q in questionnaire.questions}
    respondents = _insert_returning_ids(
        session,
        Respondent,
        [
            {
                "body_id": body.id,
                "user_id": demo_user_id if body.id == demo_body_id else None,
                "label": f"Innkjøper, {body.name}",
                "created_at": datetime(2025, 9, 2, tzinfo=UTC),
            }
            for body in members
        ],
    )
    assessments: list[dict[str, object]] = []
    answers: list[list[dict[str, object]]] = []  # each assessment's responses, in the same order
    for body, respondent_id in zip(members, respondents, strict=True):
        maturity = min(4.2, max(1.2, rng.gauss(2.3, 0.55)))
        growth = rng.gauss(0.25, 0.2)
        body_dimension = {d.id: rng.gauss(0, 0.4) for d in questionnaire.dimensions}
        for index, rnd in enumerate(rounds):
            is_last = index == len(rounds) - 1
            if body.id == demo_body_id:
                state, share = ("draft", 0.45) if is_last else ("submitted", 1.0)
            elif body.id == leader_body_id:
                state, share = "submitted", 1.0
            else:
                state, share = _participation(rng, is_last)
            if state is None:
                continue
            moment = datetime.combine(rnd.opens_on, datetime.min.time(), UTC) + timedelta(
                days=rng.randint(3, 60)
            )
            updated_at = moment + timedelta(hours=rng.randint(1, 200))
            assessments.append(
                {
                    "body_id": body.id,
                    "round_id": rnd.id,
                    "status": state,
                    "started_at": moment,
                    "updated_at": updated_at,
                    "submitted_at": moment + timedelta(days=rng.randint(1, 20))
                    if state == "submitted"
                    else None,
                    "submitted_by": respondent_id if state == "submitted" else None,
                }
            )
            mean_now = maturity + growth * index
            responses = []
            for question in questionnaire.questions:
                if rng.random() > share:
                    continue
                if rng.random() < 0.04:
                    level = 0
                else:
                    mean = mean_now + dimension_effect[question.dimension]
                    level = _level(
                        rng, mean + body_dimension[question.dimension] + question_effect[question.id]
                    )
                comment = rng.choice(COMMENTS[level]) if level and rng.random() < 0.12 else ""
                responses.append(
                    {
                        "question_id": question.id,
                        "level": level,
                        "comment": comment,
                        "respondent_id": respondent_id,
                        "updated_at": updated_at,
                    }
                )
            answers.append(responses)
        if len(assessments) >= 1000:
            _insert_assessments(session, assessments, answers)
            assessments, answers = [], []
    _insert_assessments(session, assessments, answers)


def _insert_returning_ids(session: Session, model: type, rows: list[dict[str, object]]) -> list[int]:
    """Insert many rows in one statement; their new ids, in the order of `rows`."""
    if not rows:
        return []
    table = model.__table__  # type: ignore[attr-defined]
    # Core statements: the ORM's bulk path costs more than the database's work here.
    statement = table.insert().returning(table.c.id, sort_by_parameter_order=True)
    return list(session.scalars(statement, rows))


def _insert_assessments(
    session: Session, assessments: list[dict[str, object]], answers: list[list[dict[str, object]]]
) -> None:
    ids = _insert_returning_ids(session, Assessment, assessments)
    rows = [
        response | {"assessment_id": assessment_id}
        for assessment_id, responses in zip(ids, answers, strict=True)
        for response in responses
    ]
    bulk_insert(session.connection(), Response.__table__, rows)


def _participation(rng: random.Random, is_last: bool) -> tuple[str | None, float]:
    """(status or None for not taking part, share of questions answered)."""
    roll = rng.random()
    if not is_last:
        return ("submitted", 1.0) if roll < 0.88 else (None, 0.0)
    if roll < 0.62:
        return "submitted", 1.0
    if roll < 0.85:
        return "draft", rng.uniform(0.2, 0.9)
    return None, 0.0


def _targets(session: Session, body_id: int, questionnaire) -> None:  # type: ignore[no-untyped-def]
    now = datetime(2025, 11, 1, tzinfo=UTC)
    for dimension, level in zip(
        [d.id for d in questionnaire.dimensions][:4], (3.5, 3.0, 3.0, 2.5), strict=False
    ):
        session.add(Target(body_id=body_id, dimension_id=dimension, level=level, updated_at=now))


def demo_seed(session: Session) -> int | None:
    value = get_meta(session, "demo_seed")
    return int(value) if value and value.isdigit() else None
