"""The demo network: real bodies of the three counties with plausible, varied, seeded answers."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from ioa_assess.bootstrap import get_meta, init_database, set_meta
from ioa_assess.questionnaire import DEFAULT_VERSION, Questionnaire, load_questionnaire, newest_version
from ioa_assess.reference import COUNTIES
from ioa_assess.scoring import DONT_KNOW, NOT_RELEVANT
from ioa_assess.seed_colleagues import colleagues
from ioa_assess.services.accounts import hash_password
from ioa_assess.services.actor import InvalidInput
from ioa_assess.services.published import publish
from ioa_assess.services.stored_scores import store_missing_scores
from ioa_assess.storage.bulk import bulk_insert
from ioa_assess.storage.engine import session_scope
from ioa_assess.storage.models import (
    Action,
    ActionNote,
    AnswerSet,
    Assessment,
    Body,
    Network,
    NetworkMember,
    PersonalAnswer,
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
    # The baseline was measured with the first version, later rounds with the newest: so the demo
    # shows how comparisons across versions are marked.
    questionnaire = load_questionnaire(DEFAULT_VERSION)
    later = load_questionnaire(newest_version())
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
                questionnaire_version=(questionnaire if not round_rows else later).id,
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
            {q.id: q for q in (questionnaire, later)},
            members,
            round_rows,
            demo_body.id,
            leader_body.id,
            users["participant"],
        )
        colleagues(session, rng, demo_body.id, round_rows[-1].id)
        for body in (demo_body, leader_body):
            _targets(session, body.id, later)
        _plans(session, rng, questionnaire, members, round_rows, (demo_body.id, leader_body.id), users)
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
    questionnaires: dict[str, Questionnaire],
    members: list[Body],
    rounds: list[Round],
    demo_body_id: int,
    leader_body_id: int,
    demo_user_id: int,
) -> None:
    # Cohort-wide strengths and weaknesses, so the dashboard has a story to tell.
    questionnaire = next(iter(questionnaires.values()))
    dimension_effect = {d.id: rng.gauss(0, 0.35) for d in questionnaire.dimensions}
    question_effect = {q.id: rng.gauss(0, 0.3) for q in questionnaire.questions}
    for other in list(questionnaires.values())[1:]:
        dimension_effect |= {
            d.id: rng.gauss(0, 0.35) for d in other.dimensions if d.id not in dimension_effect
        }
        question_effect |= {q.id: rng.gauss(0, 0.3) for q in other.questions if q.id not in question_effect}
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
            asked = questionnaires[rnd.questionnaire_version]
            responses = []
            for question in asked.questions:
                if rng.random() > share:
                    continue
                if rng.random() < 0.04:
                    level = NOT_RELEVANT if question.not_relevant else DONT_KNOW
                else:
                    mean = mean_now + dimension_effect[question.dimension]
                    level = _level(
                        rng, mean + body_dimension[question.dimension] + question_effect[question.id]
                    )
                comment = rng.choice(COMMENTS[level]) if level > 0 and rng.random() < 0.12 else ""
                responses.append(
                    {
                        "question_id": question.id,
                        "level": level,
                        "comment": comment,
                        "respondent_id": respondent_id,
                        "updated_at": updated_at,
                        "agreement": "single",  # one person answered for the body
                        "reason": "",
                        "evidence": "self",
                        "evidence_ref": "",
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
    # A draft can still change, so its answers are also its one person's own set (see
    # services/assessments.py); a submitted one is read-only and keeps only the body's answers.
    drafts = [
        (i, a, r) for i, a, r in zip(ids, assessments, answers, strict=True) if a["status"] == "draft" and r
    ]
    set_ids = _insert_returning_ids(
        session,
        AnswerSet,
        [
            {"assessment_id": i, "respondent_id": r[0]["respondent_id"], "created_at": a["started_at"]}
            for i, a, r in drafts
        ],
    )
    personal = [
        {
            "answer_set_id": set_id,
            "question_id": r["question_id"],
            "level": r["level"],
            "comment": r["comment"],
            "evidence": "self",
            "evidence_ref": "",
            "updated_at": r["updated_at"],
        }
        for set_id, (_, _, responses) in zip(set_ids, drafts, strict=True)
        for r in responses
    ]
    bulk_insert(session.connection(), PersonalAnswer.__table__, personal)


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


PLAN_FOCUS = "mar"  # the dimension many demo bodies plan actions on (the facilitator's agenda entry)
PLAN_BODIES = 16  # demo bodies with a plan besides Gjesdal and Sandnes
OWNERS = ("Innkjøpssjef", "Kommunalsjef helse og omsorg", "Rådgiver anskaffelser", "Kommunedirektørens stab")
NOTES = (
    "Drøftet i ledermøtet; vi starter med én pilot.",
    "Første markedsdialog gjennomført med fire leverandører.",
    "Malen er oppdatert og lagt ut på intranettet.",
    "Utsatt til etter budsjettbehandlingen.",
)


def _plans(
    session: Session,
    rng: random.Random,
    questionnaire,  # type: ignore[no-untyped-def]
    members: list[Body],
    rounds: list[Round],
    demo_ids: tuple[int, int],
    users: dict[str, int],
) -> None:
    """Improvement plans: actions made after the previous round, some done, and, where the body's
    level then rose in the open round, the loop closed. Due dates follow today, so that every view
    has something due soon and overdue."""
    from ioa_assess.services.scores import round_levels

    today = date.today()
    start = rounds[-2] if len(rounds) > 1 else rounds[-1]
    later = rounds[-1] if len(rounds) > 1 else None
    before = round_levels(session, start.id, submitted_only=False)
    after = round_levels(session, later.id) if later else {}
    others = [b.id for b in members if b.id in before and b.id not in demo_ids]
    chosen = [*demo_ids, *rng.sample(others, min(PLAN_BODIES, len(others)))]
    # The questions of the round the plans start from (with five rounds that is already the newest).
    questionnaire = load_questionnaire(start.questionnaire_version)
    dimension_of = questionnaire.dimension_of()
    names = {b.id: b.name for b in members}
    made = datetime.combine(start.closes_on, datetime.min.time(), UTC) + timedelta(days=20)
    for body_id in chosen:
        levels = {q: lv for q, lv in before[body_id].items() if 0 < lv < 5}
        if not levels:
            continue
        rose = [q for q, lv in levels.items() if after.get(body_id, {}).get(q, 0) > lv]
        picks: list[tuple[str, str, date | None, date | None]] = []  # question, status, due, done
        if rose:
            question = rng.choice(sorted(rose))
            picks.append(
                (
                    question,
                    "done",
                    date(start.closes_on.year + 1, 5, 31),
                    date(start.closes_on.year + 1, 5, 20),
                )
            )
        # Every planning body works on the focus dimension, on a question not picked above.
        picked = {p[0] for p in picks}
        focus = [(lv, q) for q, lv in levels.items() if dimension_of[q] == PLAN_FOCUS and q not in picked]
        if focus:
            picks.append((min(focus)[1], "in_progress", today - timedelta(days=14), None))
        weakest = sorted((lv, q) for q, lv in levels.items() if q not in {p[0] for p in picks})
        if weakest:
            picks.append((weakest[0][1], "planned", today + timedelta(days=20), None))
        if body_id in demo_ids and len(weakest) > 3:
            picks.append((weakest[1][1], "planned", today + timedelta(days=120), None))
            picks.append((weakest[-1][1], "dropped", None, None))
            if later is not None:
                picks.append(
                    (
                        weakest[2][1],
                        "done",
                        today + timedelta(days=60),
                        max(later.opens_on, today - timedelta(days=10)),
                    )
                )
        for question_id, status, due, done in picks:
            question = questionnaire.question(question_id)
            level = levels[question_id]
            owner_user = users["participant"] if body_id == demo_ids[0] and status == "in_progress" else None
            writer = (
                ("participant@demo.ioa.no", users["participant"])
                if body_id == demo_ids[0]
                else (
                    f"Innkjøper, {names[body_id]}",
                    None,
                )
            )
            action = Action(
                body_id=body_id,
                round_id=start.id,
                title=f"Løfte «{question.title.get('nb')}» til nivå {level + 1}",
                description=question.levels[level + 1].get("nb"),
                question_ids=question_id,
                dimension_id=question.dimension,
                target_level=level + 1,
                owner="Demo participant" if owner_user else rng.choice(OWNERS),
                owner_user_id=owner_user,
                due_on=due,
                status=status,
                done_on=done,
                created_at=made,
                created_by=writer[0],
                created_by_user_id=writer[1],
                updated_at=made,
                updated_by=writer[0],
                updated_by_user_id=writer[1],
            )
            if body_id == demo_ids[1] and status != "planned":
                action.approved_at = made + timedelta(days=7)
                action.approved_by, action.approved_by_user_id = "leader@demo.ioa.no", users["leader"]
            session.add(action)
            session.flush()
            if status in ("in_progress", "done"):
                session.add(
                    ActionNote(
                        action_id=action.id,
                        written_at=made + timedelta(days=rng.randint(30, 120)),
                        text=rng.choice(NOTES),
                        author=action.created_by,
                        author_user_id=action.created_by_user_id,
                    )
                )


def demo_seed(session: Session) -> int | None:
    value = get_meta(session, "demo_seed")
    return int(value) if value and value.isdigit() else None
