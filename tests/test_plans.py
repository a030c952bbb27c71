"""The improvement plan: writing, reading and approving by role, length limits, the audit trail,
each action's change at the next round, and the facilitator's counts under the k rule."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy import func, select, update

from ioa_assess.services.actor import InvalidInput, NotFound, PermissionDenied
from ioa_assess.services.agenda import plan_entries
from ioa_assess.services.plans import (
    MAX_TEXT,
    MAX_TITLE,
    NOT_COMPARABLE,
    NOT_YET,
    ROSE,
    SAME,
    ActionDraft,
    add_action,
    approve_action,
    body_plan,
    change_action,
    network_plans,
    plan_overview,
)
from ioa_assess.storage.engine import session_scope
from ioa_assess.storage.models import Action, ActionNote, Assessment, AuditEvent, Body, Response, Round
from tests.factories import MUNICIPALITIES_ROGALAND, answer_all, make_cohort, make_user

DRAFT = ActionDraft(
    "Markedsdialog før hver større anskaffelse",
    description="Fast mal og kalender for dialogmøter",
    question_ids=("mar-01",),
    target_level=3,
    owner="Innkjøpssjef",
    due_on=date(2027, 3, 1),
)


def _count(model: type) -> int:
    with session_scope() as session:
        return session.scalar(select(func.count()).select_from(model))


def _events(action: str) -> list[tuple[str, str, str]]:
    with session_scope() as session:
        query = select(AuditEvent.actor, AuditEvent.target, AuditEvent.detail).where(
            AuditEvent.action == action
        )
        return [tuple(row) for row in session.execute(query)]


def _set_level(body_id: int, round_id: int, question_id: str, level: int) -> None:
    with session_scope(write=True) as session:
        assessment_id = session.scalar(
            select(Assessment.id).where(Assessment.body_id == body_id, Assessment.round_id == round_id)
        )
        session.execute(
            update(Response)
            .where(Response.assessment_id == assessment_id, Response.question_id == question_id)
            .values(level=level)
        )


def test_a_plan_is_written_by_the_body_read_and_approved_by_its_leader(any_db: str) -> None:
    cohort = make_cohort(["Gjesdal", "Sandnes"])
    gjesdal, sandnes = cohort.body_ids
    answer_all(gjesdal, cohort.round_id, 2, status="draft")
    participant = make_user("deltaker@gjesdal.no", "participant", body_id=gjesdal)
    leader = make_user("leder@gjesdal.no", "leader", body_id=gjesdal)
    stranger = make_user("deltaker@sandnes.no", "participant", body_id=sandnes)

    action_id = add_action(participant, DRAFT)
    change_action(
        participant, action_id, replace(DRAFT, status="in_progress"), note="Første dialogmøte holdt"
    )
    [action] = body_plan(leader)
    assert (action.title, action.status, action.owner, action.target_level) == (
        DRAFT.title,
        "in_progress",
        "Innkjøpssjef",
        3,
    )
    assert action.dimension_id == "mar" and action.question_ids == ("mar-01",)
    assert [n.text for n in action.notes] == ["Første dialogmøte holdt"]
    assert action.created_by == "deltaker@gjesdal.no" and action.approved_on is None

    with pytest.raises(PermissionDenied):
        add_action(leader, DRAFT)
    with pytest.raises(PermissionDenied):
        change_action(leader, action_id, replace(DRAFT, status="done"))
    with pytest.raises(PermissionDenied):
        approve_action(participant, action_id)
    with pytest.raises(PermissionDenied):
        body_plan(stranger, gjesdal)
    with pytest.raises(PermissionDenied):
        change_action(stranger, action_id, replace(DRAFT, status="dropped"))
    with pytest.raises(NotFound):
        change_action(participant, 10**6, DRAFT)

    approve_action(leader, action_id)
    [action] = body_plan(participant)
    assert action.approved_by == "leder@gjesdal.no" and action.approved_on is not None
    assert action.status == "in_progress"  # the refused changes left it as it was

    target = f"action:{action_id}"
    assert _events("action.create") == [("deltaker@gjesdal.no", target, f"body:{gjesdal}")]
    assert _events("action.change") == [("deltaker@gjesdal.no", target, "status note status=in_progress")]
    assert _events("action.approve") == [("leder@gjesdal.no", target, f"body:{gjesdal}")]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"title": "x" * (MAX_TITLE + 1)}, "The title is too long"),
        ({"description": "x" * (MAX_TEXT + 1)}, "What will be done is too long"),
        ({"owner": "x" * 201}, "The owner is too long"),
        ({"title": "   "}, "An action needs a title."),
        ({"question_ids": ("xyz-99",)}, "Unknown question."),
        ({"target_level": 7}, "The level aimed for is a level from 1 to 5."),
    ],
)
def test_bad_input_gets_one_message_and_saves_nothing(any_db: str, change: dict, message: str) -> None:
    cohort = make_cohort(["Gjesdal"])
    participant = make_user("deltaker@gjesdal.no", "participant", body_id=cohort.body_ids[0])
    action_id = add_action(participant, DRAFT)
    before = (_count(Action), _count(ActionNote), _count(AuditEvent))
    with pytest.raises(InvalidInput) as refused:
        add_action(participant, replace(DRAFT, **change))
    assert str(refused.value).startswith(message)
    with pytest.raises(InvalidInput):
        change_action(participant, action_id, replace(DRAFT, status="done", **change), note="Ferdig")
    assert (_count(Action), _count(ActionNote), _count(AuditEvent)) == before
    assert [a.status for a in body_plan(participant)] == ["planned"]


def test_a_too_long_note_saves_neither_the_note_nor_the_change(any_db: str) -> None:
    cohort = make_cohort(["Gjesdal"])
    participant = make_user("deltaker@gjesdal.no", "participant", body_id=cohort.body_ids[0])
    action_id = add_action(participant, DRAFT)
    with pytest.raises(InvalidInput, match="The note is too long"):
        change_action(participant, action_id, replace(DRAFT, status="done"), note="x" * (MAX_TEXT + 1))
    [action] = body_plan(participant)
    assert action.status == "planned" and action.notes == []


def test_each_action_shows_the_change_of_its_questions_at_the_next_round(any_db: str) -> None:
    cohort = make_cohort(["Gjesdal", "Sandnes"], rounds=2)
    gjesdal = cohort.body_ids[0]
    first, second = cohort.round_id - 1, cohort.round_id
    answer_all(gjesdal, first, 2)  # the actions are made from the first round, the newest answered
    participant = make_user("deltaker@gjesdal.no", "participant", body_id=gjesdal)
    rose = add_action(participant, DRAFT)
    same = add_action(participant, replace(DRAFT, title="Kriterier", question_ids=("kon-02",)))
    dimension = add_action(
        participant, replace(DRAFT, title="Hele markedsdialogen", question_ids=(), dimension_id="mar")
    )
    outcomes = {a.id: a.outcomes for a in body_plan(participant)}
    assert [o.verdict for o in outcomes[rose]] == [NOT_YET]

    answer_all(gjesdal, second, 2, status="draft")
    assert [o.verdict for o in body_plan(participant)[0].outcomes] == [
        NOT_YET
    ]  # a draft is not a round answered

    with session_scope(write=True) as session:
        session.execute(update(Assessment).where(Assessment.round_id == second).values(status="submitted"))
    _set_level(gjesdal, second, "mar-01", 3)
    _set_level(gjesdal, second, "mar-02", 4)
    outcomes = {a.id: a.outcomes for a in body_plan(participant)}
    [o] = outcomes[rose]
    assert (o.subject, o.before, o.after, o.verdict, o.later_round) == ("mar-01", 2, 3, ROSE, "Runde 2")
    assert [(o.before, o.after, o.verdict) for o in outcomes[same]] == [(2, 2, SAME)]
    [d] = outcomes[dimension]
    assert d.is_dimension and d.before == 2 and d.after > 2 and d.verdict == ROSE

    with session_scope(write=True) as session:  # the next round measured with questionnaire v2
        session.execute(update(Round).where(Round.id == second).values(questionnaire_version="ioa-v2"))
    outcomes = {a.id: a.outcomes for a in body_plan(participant)}
    # mar-01 was only reworded in v2: still compared; kon-02 was replaced by other questions and the
    # market dialogue dimension gained a question in v2: neither is compared.
    assert [o.verdict for o in outcomes[rose]] == [ROSE]
    assert [o.verdict for o in outcomes[same]] == [NOT_COMPARABLE]
    assert [o.verdict for o in outcomes[dimension]] == [NOT_COMPARABLE]


def test_the_leader_sees_overdue_due_soon_and_done_since_the_last_round(any_db: str) -> None:
    cohort = make_cohort(["Gjesdal"])
    gjesdal = cohort.body_ids[0]
    answer_all(gjesdal, cohort.round_id, 2)
    participant = make_user("deltaker@gjesdal.no", "participant", body_id=gjesdal)
    leader = make_user("leder@gjesdal.no", "leader", body_id=gjesdal)
    today = date.today()
    late = add_action(participant, replace(DRAFT, title="Sent", due_on=date(today.year - 1, 1, 1)))
    soon = add_action(participant, replace(DRAFT, title="Snart", due_on=today))
    add_action(participant, replace(DRAFT, title="Ferdig", status="done"))
    add_action(
        participant, replace(DRAFT, title="Droppet", status="dropped", due_on=date(today.year - 1, 1, 1))
    )
    overview = plan_overview(leader)
    assert [a.id for a in overview.overdue] == [late]
    assert [a.id for a in overview.due_soon] == [soon]
    assert [a.title for a in overview.done_since_last_round] == ["Ferdig"]
    assert [a.title for a in overview.top] == ["Sent", "Snart", "Ferdig"]  # dropped ones are left out


def test_facilitators_see_counts_over_at_least_k_bodies_and_named_bodies_only(
    any_db: str, monkeypatch
) -> None:
    monkeypatch.setenv("IOA_K_ANONYMITY", "3")
    names = MUNICIPALITIES_ROGALAND[:6]
    cohort = make_cohort(names)
    for body_id in cohort.body_ids:
        answer_all(body_id, cohort.round_id, 2)
    leading, hidden = cohort.body_ids[4], cohort.body_ids[5]
    _set_level(leading, cohort.round_id, "mar-01", 5)
    _set_level(hidden, cohort.round_id, "mar-01", 4)
    with session_scope(write=True) as session:
        session.execute(update(Body).where(Body.id == leading).values(named_in_network=True))
        session.execute(update(Body).where(Body.id == hidden).values(named_in_network=False))
    for index, body_id in enumerate(cohort.body_ids[:4]):
        writer = make_user(f"deltaker{index}@test.no", "participant", body_id=body_id)
        add_action(writer, replace(DRAFT, status="done" if index == 0 else "planned"))
        if index < 2:  # two bodies: fewer than k on this question
            add_action(writer, replace(DRAFT, title="Strategi", question_ids=("str-01",)))
    facilitator = make_user("fasilitator@test.no", "facilitator", network_id=cohort.network_id)

    counts = {(c.subject, c.is_dimension): c for c in network_plans(facilitator, cohort.network_id)}
    assert set(counts) == {("mar", True), ("mar-01", False)}
    mar = counts[("mar-01", False)]
    assert (mar.bodies, mar.open_actions, mar.done_actions) == (4, 3, 1)

    [entry] = [e for e in plan_entries(facilitator, cohort.round_id) if e.subject == "mar-01"]
    assert entry.bodies == 4
    assert [n.body for n in entry.leaders] == [names[4]]  # the unnamed body at level 4 is never listed

    other = make_cohort(["Bergen"], name="Et annet nettverk")
    stranger = make_user("fasilitator@annet.no", "facilitator", network_id=other.network_id)
    regional = make_user("region@test.no", "regional_leader", network_id=cohort.network_id)
    for actor in (stranger, regional):
        with pytest.raises(PermissionDenied):
            network_plans(actor, cohort.network_id)


def test_the_top_actions_fit_page_two_of_the_pdf_however_long_their_texts(sqlite_url: str) -> None:
    import io

    from pypdf import PdfReader

    from ioa_assess.bootstrap import init_database
    from ioa_assess.reports.leadership_pdf import leadership_pdf
    from ioa_assess.reports.plan_report import TOP_ACTIONS
    from ioa_assess.services.leadership import leadership_summary

    init_database()
    cohort = make_cohort(["Gjesdal", "Sandnes"])
    answer_all(cohort.body_ids[0], cohort.round_id, 2)
    participant = make_user("deltaker@gjesdal.no", "participant", body_id=cohort.body_ids[0])
    leader = make_user("leder@gjesdal.no", "leader", body_id=cohort.body_ids[0])
    for number in range(14):
        title = f"Tiltak {number:02d} " + "med en svært lang beskrivelse av hva som skal gjøres " * 4
        add_action(participant, replace(DRAFT, title=title[:MAX_TITLE], owner="Kommunedirektørens stab " * 8))
    reader = PdfReader(io.BytesIO(leadership_pdf(leadership_summary(leader), "nb")))
    assert len(reader.pages) == 3  # the plan stays on page two; page three is the evidence
    two = " ".join(reader.pages[1].extract_text().split())
    assert all(f"Tiltak {n:02d}" in two for n in range(TOP_ACTIONS)) and f"Tiltak {TOP_ACTIONS}" not in two
    hidden = f"{14 - TOP_ACTIONS} tiltak til står i Excel-filen."
    assert hidden in two  # the footnote, at the foot of the same page
    heights: dict[str, float] = {}
    last = f"Tiltak {TOP_ACTIONS - 1:02d}"

    def where(text: str, cm: list[float], tm: list[float], _font: object, _size: object) -> None:
        for marker in (last, hidden):
            if text.startswith(marker):
                heights[marker] = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]

    reader.pages[1].extract_text(visitor_text=where)
    # The last row ends above the footnote, which is on the page (PDF heights count from the foot).
    assert heights[last] > heights[hidden] > 0
