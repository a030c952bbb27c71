"""The body's improvement plan (handlingsplan): actions, progress notes, approval, and whether they
worked, measured at the body's next submitted round.

Who: the people answering for the body write it; its leader reads it and approves actions; an
administrator reads any body's plan; nobody else sees a body's plan. Facilitators see the network's
plans only as counts over at least k bodies (network_plans).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from ioa_assess.comparability import comparable_questions, dimension_comparability
from ioa_assess.i18n import N_
from ioa_assess.peers import allowed
from ioa_assess.questionnaire import DEFAULT_VERSION, Questionnaire, load_questionnaire
from ioa_assess.scoring import MAX_LEVEL, is_level, score_assessment
from ioa_assess.services import audit
from ioa_assess.services.actor import Actor, InvalidInput, NotFound, PermissionDenied, is_id, now
from ioa_assess.services.body_answers import round_body_levels
from ioa_assess.services.scores import body_info, round_levels
from ioa_assess.storage.engine import session_scope
from ioa_assess.storage.models import (
    ACTION_STATUSES,
    Action,
    ActionNote,
    Assessment,
    Body,
    NetworkMember,
    Round,
    User,
)

MAX_TITLE = 200
MAX_OWNER = 200
MAX_TEXT = 2000
MAX_QUESTIONS = 10
DUE_SOON_DAYS = 30
OPEN_STATUSES = ("planned", "in_progress")
STATUS_NAMES = {
    "planned": N_("Planned"),
    "in_progress": N_("In progress"),
    "done": N_("Done"),
    "dropped": N_("Dropped"),
}
LEARNING_LEVELS = (4, 5)

# What became of an action's questions at the next round (Outcome.verdict).
ROSE, SAME, FELL = "rose", "same", "fell"
NOT_YET = "not_yet"  # no later round submitted yet
NOT_COMPARABLE = "not_comparable"  # measured with a changed question or dimension in a later version
NOT_ANSWERED = "not_answered"  # no level (or "don't know") in one of the two rounds


@dataclass(frozen=True)
class ActionDraft:
    """What a person types for an action (new or changed)."""

    title: str
    description: str = ""
    question_ids: tuple[str, ...] = ()
    dimension_id: str | None = None
    target_level: int | None = None
    owner: str = ""
    due_on: date | None = None
    status: str = "planned"


@dataclass(frozen=True)
class Note:
    written_at: datetime
    author: str
    text: str


@dataclass(frozen=True)
class Outcome:
    """The change of one addressed question (or, for a dimension, its score) between the action's
    round and the body's next submitted round."""

    subject: str  # a question id, or a dimension id when the action addresses a whole dimension
    is_dimension: bool
    before: float | None
    after: float | None
    verdict: str
    later_round: str | None


@dataclass(frozen=True)
class ActionView:
    id: int
    body_id: int
    round_name: str | None
    title: str
    description: str
    question_ids: tuple[str, ...]
    dimension_id: str | None
    target_level: int | None
    owner: str
    due_on: date | None
    status: str
    done_on: date | None
    approved_on: date | None
    approved_by: str | None
    created_by: str
    created_on: date
    updated_by: str
    notes: list[Note] = field(default_factory=list)
    outcomes: list[Outcome] = field(default_factory=list)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def rose(self) -> bool:
        return any(o.verdict == ROSE for o in self.outcomes)

    def overdue(self, today: date) -> bool:
        return self.is_open and self.due_on is not None and self.due_on < today

    def due_soon(self, today: date) -> bool:
        return (
            self.is_open
            and self.due_on is not None
            and today <= self.due_on <= today + timedelta(days=DUE_SOON_DAYS)
        )


# --- rules --------------------------------------------------------------------------------------


def _check_reader(actor: Actor, body_id: int) -> None:
    if not (actor.belongs_to_body(body_id) or actor.is_admin):
        raise PermissionDenied("You can only see your own organisation's plan.")


def _check_writer(actor: Actor, body_id: int) -> None:
    if not (actor.answers_for_body and actor.body_id == body_id):
        raise PermissionDenied("Only the people answering for the organisation can write its plan.")


def _body_of(actor: Actor, body_id: int | None) -> int:
    body_id = body_id if body_id is not None else actor.body_id
    if body_id is None or not is_id(body_id):
        raise PermissionDenied("Your account does not belong to an organisation.")
    return body_id


def _clean(draft: ActionDraft, questionnaire: Questionnaire) -> ActionDraft:
    """The draft with its text trimmed, or InvalidInput (one message, nothing saved)."""
    title, description, owner = draft.title.strip(), draft.description.strip(), draft.owner.strip()
    if not title:
        raise InvalidInput("An action needs a title.")
    if len(title) > MAX_TITLE:
        raise InvalidInput("The title is too long: at most {n} characters. Nothing was saved.", n=MAX_TITLE)
    if len(description) > MAX_TEXT:
        raise InvalidInput(
            "What will be done is too long: at most {n} characters. Nothing was saved.", n=MAX_TEXT
        )
    if len(owner) > MAX_OWNER:
        raise InvalidInput("The owner is too long: at most {n} characters. Nothing was saved.", n=MAX_OWNER)
    if draft.status not in ACTION_STATUSES:
        raise InvalidInput("Unknown status.")
    if draft.target_level is not None and not 1 <= draft.target_level <= MAX_LEVEL:
        raise InvalidInput("The level aimed for is a level from 1 to 5.")
    if draft.due_on is not None and not 2000 <= draft.due_on.year <= 2100:
        raise InvalidInput("The due date must be a date between the years 2000 and 2100.")
    questions = tuple(dict.fromkeys(draft.question_ids))
    known = questionnaire.dimension_of()
    if len(questions) > MAX_QUESTIONS or any(q not in known for q in questions):
        raise InvalidInput("Unknown question.")
    dimension = draft.dimension_id or None
    if dimension is not None and dimension not in {d.id for d in questionnaire.dimensions}:
        raise InvalidInput("Unknown dimension.")
    if dimension is None and len({known[q] for q in questions}) == 1:
        dimension = known[questions[0]]
    return replace(
        draft,
        title=title,
        description=description,
        owner=owner,
        question_ids=questions,
        dimension_id=dimension,
    )


# --- reading ------------------------------------------------------------------------------------


def _latest_round(session: Session, body_id: int) -> Round | None:
    """The round of the body's newest assessment (draft or submitted): what an action starts from."""
    return session.scalars(
        select(Round)
        .join(Assessment, Assessment.round_id == Round.id)
        .where(Assessment.body_id == body_id)
        .order_by(Round.opens_on.desc())
    ).first()


def _questionnaire_for(session: Session, round_id: int | None) -> Questionnaire:
    rnd = session.get(Round, round_id) if round_id is not None else None
    return load_questionnaire(rnd.questionnaire_version if rnd else DEFAULT_VERSION)


def _next_submitted_round(session: Session, body_id: int, rnd: Round) -> Round | None:
    return session.scalars(
        select(Round)
        .join(Assessment, Assessment.round_id == Round.id)
        .where(
            Assessment.body_id == body_id,
            Assessment.status == "submitted",
            Round.network_id == rnd.network_id,
            Round.opens_on > rnd.opens_on,
        )
        .order_by(Round.opens_on)
    ).first()


def _outcomes(session: Session, action: Action, cache: dict[object, object]) -> list[Outcome]:
    """Each addressed question's level (or the dimension's score) before and at the next round.

    Across questionnaire versions a question is compared only where it was kept as same or
    reworded, and a dimension only where it has exactly the same comparable questions in both.
    """
    questions = tuple(action.question_ids.split())
    if action.round_id is None or not (questions or action.dimension_id):
        return []
    key = ("rounds", action.body_id, action.round_id)
    if key not in cache:
        before_round = session.get(Round, action.round_id)
        later = _next_submitted_round(session, action.body_id, before_round) if before_round else None
        cache[key] = (before_round, later)
    before_round, later = cache[key]  # type: ignore[misc]
    subjects = [(q, False) for q in questions] or [(action.dimension_id, True)]
    if later is None:
        return [Outcome(s, d, None, None, NOT_YET, None) for s, d in subjects]
    versions = (before_round.questionnaire_version, later.questionnaire_version)
    comparable = comparable_questions(*versions)

    def levels(round_id: int, submitted_only: bool) -> dict[str, int]:
        level_key = ("levels", round_id, submitted_only)
        if level_key not in cache:
            cache[level_key] = round_levels(session, round_id, submitted_only=submitted_only)
        return cache[level_key].get(action.body_id, {})  # type: ignore[attr-defined]

    old, new = levels(before_round.id, False), levels(later.id, True)
    outcomes = []
    for subject, is_dimension in subjects:
        if is_dimension and not dimension_comparability(*versions, subject).fully:
            outcomes.append(Outcome(subject, is_dimension, None, None, NOT_COMPARABLE, later.name))
            continue
        if not is_dimension and subject not in comparable:
            outcomes.append(Outcome(subject, is_dimension, None, None, NOT_COMPARABLE, later.name))
            continue
        if is_dimension:
            a = score_assessment(load_questionnaire(versions[0]), old).dimensions[subject].value
            b = score_assessment(load_questionnaire(versions[1]), new).dimensions[subject].value
        else:
            a = old[subject] if is_level(old.get(subject)) else None
            b = new[subject] if is_level(new.get(subject)) else None
        verdict = _verdict(a, b)
        outcomes.append(Outcome(subject, is_dimension, a, b, verdict, later.name))
    return outcomes


def _verdict(before: float | None, after: float | None) -> str:
    if before is None or after is None:
        return NOT_ANSWERED
    return ROSE if after > before else FELL if after < before else SAME


def _views(session: Session, actions: list[Action], with_notes: bool = True) -> list[ActionView]:
    notes: dict[int, list[Note]] = defaultdict(list)
    if with_notes and actions:
        query = (
            select(ActionNote)
            .where(ActionNote.action_id.in_([a.id for a in actions]))
            .order_by(ActionNote.written_at, ActionNote.id)
        )
        for note in session.scalars(query):
            notes[note.action_id].append(Note(note.written_at, note.author, note.text))
    rounds = {r.id: r.name for r in session.scalars(select(Round))}
    cache: dict[object, object] = {}
    return [
        ActionView(
            id=a.id,
            body_id=a.body_id,
            round_name=rounds.get(a.round_id) if a.round_id else None,
            title=a.title,
            description=a.description,
            question_ids=tuple(a.question_ids.split()),
            dimension_id=a.dimension_id,
            target_level=a.target_level,
            owner=a.owner,
            due_on=a.due_on,
            status=a.status,
            done_on=a.done_on,
            approved_on=a.approved_at.date() if a.approved_at else None,
            approved_by=a.approved_by,
            created_by=a.created_by,
            created_on=a.created_at.date(),
            updated_by=a.updated_by,
            notes=notes.get(a.id, []),
            outcomes=_outcomes(session, a, cache),
        )
        for a in actions
    ]


def _sort_key(view: ActionView) -> tuple[int, date, int]:
    rank = {"in_progress": 0, "planned": 1, "done": 2, "dropped": 3}[view.status]
    return rank, view.due_on or date.max, view.id


def body_plan(actor: Actor, body_id: int | None = None) -> list[ActionView]:
    """The body's actions: open ones first (by due date), then done, then dropped."""
    body_id = _body_of(actor, body_id)
    _check_reader(actor, body_id)
    with session_scope() as session:
        actions = list(session.scalars(select(Action).where(Action.body_id == body_id)))
        return sorted(_views(session, actions), key=_sort_key)


@dataclass(frozen=True)
class PlanOverview:
    """The plan as a leader reads it."""

    body_name: str
    questionnaire_version: str  # of the body's newest round: the questions an action can address
    actions: list[ActionView]
    today: date
    last_round_name: str | None
    last_round_opened: date | None

    @property
    def overdue(self) -> list[ActionView]:
        return [a for a in self.actions if a.overdue(self.today)]

    @property
    def due_soon(self) -> list[ActionView]:
        return [a for a in self.actions if a.due_soon(self.today)]

    @property
    def done_since_last_round(self) -> list[ActionView]:
        since = self.last_round_opened or date.min
        return [a for a in self.actions if a.status == "done" and a.done_on and a.done_on >= since]

    @property
    def top(self) -> list[ActionView]:
        """The actions to put before a council: overdue first, then open by due date, then done."""
        shown = [a for a in self.actions if a.status != "dropped"]
        return sorted(shown, key=lambda a: (not a.overdue(self.today), *_sort_key(a)))


def plan_overview(actor: Actor, today: date | None = None, body_id: int | None = None) -> PlanOverview:
    body_id = _body_of(actor, body_id)
    _check_reader(actor, body_id)
    actions = body_plan(actor, body_id)
    with session_scope() as session:
        last = session.scalars(
            select(Round)
            .join(Assessment, Assessment.round_id == Round.id)
            .where(Assessment.body_id == body_id, Assessment.status == "submitted")
            .order_by(Round.opens_on.desc())
        ).first()
        newest = _latest_round(session, body_id)
        body = session.get(Body, body_id)
        if body is None:
            raise NotFound("No such body.")
        return PlanOverview(
            body_name=body.name,
            questionnaire_version=newest.questionnaire_version if newest else DEFAULT_VERSION,
            actions=actions,
            today=today or date.today(),
            last_round_name=last.name if last else None,
            last_round_opened=last.opens_on if last else None,
        )


# --- writing ------------------------------------------------------------------------------------


def _owner_account(session: Session, body_id: int, owner: str) -> int | None:
    """The account an owner names, when the text is the e-mail or the name of one in the body."""
    if not owner:
        return None
    query = select(User.id).where(
        User.body_id == body_id,
        User.deleted_at.is_(None),
        (User.email == owner.lower()) | (User.name == owner),
    )
    found = session.scalars(query).all()
    return found[0] if len(found) == 1 else None


def add_action(actor: Actor, draft: ActionDraft) -> int:
    """Add an action to the actor's body's plan; it starts from the body's newest round."""
    body_id = _body_of(actor, None)
    _check_writer(actor, body_id)
    with session_scope(write=True) as session:
        rnd = _latest_round(session, body_id)
        draft = _clean(draft, _questionnaire_for(session, rnd.id if rnd else None))
        moment = now()
        action = Action(
            body_id=body_id,
            round_id=rnd.id if rnd else None,
            title=draft.title,
            description=draft.description,
            question_ids=" ".join(draft.question_ids),
            dimension_id=draft.dimension_id,
            target_level=draft.target_level,
            owner=draft.owner,
            owner_user_id=_owner_account(session, body_id, draft.owner),
            due_on=draft.due_on,
            status=draft.status,
            done_on=moment.date() if draft.status == "done" else None,
            created_at=moment,
            created_by=actor.label,
            created_by_user_id=actor.user_id,
            updated_at=moment,
            updated_by=actor.label,
            updated_by_user_id=actor.user_id,
        )
        session.add(action)
        session.flush()
        audit.record(session, actor, "action.create", f"action:{action.id}", f"body:{body_id}")
        return action.id


def _action_for_update(session: Session, action_id: int) -> Action:
    action = session.get(Action, action_id, with_for_update=True) if is_id(action_id) else None
    if action is None:
        raise NotFound("No such action.")
    return action


def change_action(actor: Actor, action_id: int, draft: ActionDraft, note: str = "") -> None:
    """Change an action of the actor's body and, with `note`, add a dated progress note: both or
    neither. The audit trail names the fields that changed."""
    note = _clean_note(note)
    with session_scope(write=True) as session:
        action = _action_for_update(session, action_id)
        _check_writer(actor, action.body_id)
        draft = _clean(draft, _questionnaire_for(session, action.round_id))
        values = {
            "title": draft.title,
            "description": draft.description,
            "question_ids": " ".join(draft.question_ids),
            "dimension_id": draft.dimension_id,
            "target_level": draft.target_level,
            "owner": draft.owner,
            "due_on": draft.due_on,
            "status": draft.status,
        }
        changed = [name for name, value in values.items() if getattr(action, name) != value]
        if note:
            session.add(
                ActionNote(
                    action_id=action.id,
                    written_at=now(),
                    text=note,
                    author=actor.label,
                    author_user_id=actor.user_id,
                )
            )
            changed.append("note")
        if not changed:
            return
        if "status" in changed:
            action.done_on = now().date() if draft.status == "done" else None
        if "owner" in changed:
            action.owner_user_id = _owner_account(session, action.body_id, draft.owner)
        for name, value in values.items():
            setattr(action, name, value)
        action.updated_at, action.updated_by, action.updated_by_user_id = now(), actor.label, actor.user_id
        detail = " ".join(changed) + (f" status={draft.status}" if "status" in changed else "")
        audit.record(session, actor, "action.change", f"action:{action.id}", detail)


def _clean_note(text: str) -> str:
    text = text.strip()
    if len(text) > MAX_TEXT:
        raise InvalidInput("The note is too long: at most {n} characters. Nothing was saved.", n=MAX_TEXT)
    return text


def draft_of(action: ActionView) -> ActionDraft:
    """An action as it stands, to change some of its fields with dataclasses.replace."""
    return ActionDraft(
        title=action.title,
        description=action.description,
        question_ids=action.question_ids,
        dimension_id=action.dimension_id,
        target_level=action.target_level,
        owner=action.owner,
        due_on=action.due_on,
        status=action.status,
    )


def approve_action(actor: Actor, action_id: int) -> None:
    """The body's leader approves an action (again approving changes nothing)."""
    with session_scope(write=True) as session:
        action = _action_for_update(session, action_id)
        if not (actor.role == "leader" and actor.body_id == action.body_id):
            raise PermissionDenied("Only the organisation's leader can approve its actions.")
        if action.approved_at is not None:
            return
        action.approved_at, action.approved_by, action.approved_by_user_id = now(), actor.label, actor.user_id
        audit.record(session, actor, "action.approve", f"action:{action.id}", f"body:{action.body_id}")


# --- where to start ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Suggestion:
    """A weak question of the body with the level above it, and who in the network is there."""

    question_id: str
    dimension_id: str
    level: int
    next_level: int
    learn_from: list[str]  # bodies at level 4-5 on it that agreed to be named


def suggestions(actor: Actor, limit: int = 5) -> list[Suggestion]:
    """The body's weakest questions in its newest round that no open action addresses yet."""
    body_id = _body_of(actor, None)
    _check_reader(actor, body_id)
    with session_scope() as session:
        rnd = _latest_round(session, body_id)
        if rnd is None:
            return []
        questionnaire = load_questionnaire(rnd.questionnaire_version)
        own = round_body_levels(session, body_id, rnd.id)  # a draft's provisional medians too
        planned = {
            q
            for ids, status in session.execute(
                select(Action.question_ids, Action.status).where(Action.body_id == body_id)
            )
            if status in OPEN_STATUSES
            for q in ids.split()
        }
        order = {q.id: i for i, q in enumerate(questionnaire.questions)}
        weak = sorted(
            (level, order[q], q)
            for q, level in own.items()
            if q in order and 0 < level < MAX_LEVEL and q not in planned
        )[:limit]
        leaders = _named_leaders(session, rnd, body_id, [q for _, _, q in weak])
        return [
            Suggestion(q, questionnaire.dimension_of()[q], level, level + 1, leaders.get(q, []))
            for level, _, q in weak
        ]


def _named_leaders(session: Session, rnd: Round, body_id: int, questions: list[str]) -> dict[str, list[str]]:
    """question id -> names of other bodies at level 4-5 that agreed to be named, from the newest
    round of the network in which any body submitted (the open round may have few answers yet)."""
    rounds = session.scalars(
        select(Round)
        .where(Round.network_id == rnd.network_id, Round.opens_on <= rnd.opens_on)
        .order_by(Round.opens_on.desc())
    )
    for candidate in rounds:
        levels = {b: lv for b, lv in round_levels(session, candidate.id).items() if b != body_id}
        if not levels:
            continue
        infos = body_info(session, list(levels))
        named = {b: lv for b, lv in levels.items() if infos[b].named_in_network}
        return {
            q: sorted(infos[b].name for b, lv in named.items() if lv.get(q) in LEARNING_LEVELS)
            for q in questions
        }
    return {}


def latest_level(actor: Actor, question_id: str) -> int | None:
    """The body's level (1-5) on a question in its newest round, None when not given."""
    body_id = _body_of(actor, None)
    _check_reader(actor, body_id)
    with session_scope() as session:
        rnd = _latest_round(session, body_id)
        if rnd is None:
            return None
        return round_body_levels(session, body_id, rnd.id).get(question_id) or None


def learn_from(actor: Actor, question_id: str) -> list[str]:
    """Bodies in the network at level 4-5 on one question that agreed to be named."""
    body_id = _body_of(actor, None)
    _check_reader(actor, body_id)
    with session_scope() as session:
        rnd = _latest_round(session, body_id)
        if rnd is None:
            return []
        return _named_leaders(session, rnd, body_id, [question_id]).get(question_id, [])


# --- the network, in counts ----------------------------------------------------------------------


@dataclass(frozen=True)
class PlanCount:
    """What the member bodies plan on one dimension or question; only made for at least k bodies."""

    subject: str  # a dimension id or a question id
    is_dimension: bool
    bodies: int
    open_actions: int
    done_actions: int
    followed_by_rise: int


def network_plans(actor: Actor, network_id: int) -> list[PlanCount]:
    """Per dimension and per question: the member bodies with actions on it, open and done actions,
    and the actions followed by a rise at the next round. Fewer than k bodies: no row. Names never."""
    if not is_id(network_id) or not actor.runs_network(network_id):
        raise PermissionDenied("Only the network's facilitators can see what its members plan.")
    with session_scope() as session:
        members = select(NetworkMember.body_id).where(NetworkMember.network_id == network_id)
        actions = list(
            session.scalars(select(Action).where(Action.body_id.in_(members), Action.status != "dropped"))
        )
        views = _views(session, actions, with_notes=False)
    dimension_of = load_questionnaire(DEFAULT_VERSION).dimension_of()
    bodies: dict[tuple[str, bool], set[int]] = defaultdict(set)
    tallies: dict[tuple[str, bool], list[int]] = defaultdict(lambda: [0, 0, 0])
    for view in views:
        subjects = {(q, False) for q in view.question_ids}
        subjects |= {(dimension_of.get(q, ""), True) for q in view.question_ids}
        if view.dimension_id:
            subjects.add((view.dimension_id, True))
        for subject in subjects - {("", True)}:
            bodies[subject].add(view.body_id)
            tally = tallies[subject]
            tally[0 if view.is_open else 1] += 1
            tally[2] += view.rose
    rows = [
        PlanCount(subject, is_dimension, len(ids), *tallies[(subject, is_dimension)])
        for (subject, is_dimension), ids in bodies.items()
        if allowed(len(ids))
    ]
    return sorted(rows, key=lambda r: (not r.is_dimension, -r.bodies, r.subject))
