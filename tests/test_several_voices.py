"""Several people answer for one body: each in a set of their own, the agency lead agrees the
body's answers, and the one-person flow stays as it was (SQLite and PostgreSQL)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from ioa_assess.questionnaire import load_questionnaire
from ioa_assess.scoring import DONT_KNOW, NOT_RELEVANT, score_assessment
from ioa_assess.services.accounts import issue_invitation, redeem_invitation
from ioa_assess.services.actor import SYSTEM, Actor, InvalidInput, NotFound, PermissionDenied
from ioa_assess.services.agreement import (
    accept_medians,
    agree,
    compare,
    named_to_colleagues,
    set_named_to_colleagues,
)
from ioa_assess.services.assessments import (
    MAX_REASON_LENGTH,
    mark_done,
    open_assessment,
    save_answer,
    submit_assessment,
)
from ioa_assess.services.network_admin import close_round
from ioa_assess.services.published import round_snapshot
from ioa_assess.storage.engine import session_scope
from ioa_assess.storage.models import Assessment, AssessmentScore, NetworkMember, Response, User
from tests.factories import QUESTIONS, make_cohort

T0 = datetime(2026, 9, 1, tzinfo=UTC)
Q1, Q2, Q3, Q4, Q5, Q6, Q7, Q8 = QUESTIONS[:8]
REASON = "Vi landet på nivå 3 etter møtet med økonomi."


@dataclass
class Body:
    network_id: int
    round_id: int
    body_id: int
    other_body_id: int
    assessment_id: int
    first: Actor
    second: Actor
    lead: Actor


def person(body_id: int | None, role: str, name: str, network_id: int | None = None) -> Actor:
    """An account (made directly: hashing a password adds nothing here)."""
    with session_scope(write=True) as session:
        user = User(
            email=f"{name}@test.no",
            name=name,
            role=role,
            body_id=body_id,
            network_id=network_id,
            created_at=T0,
        )
        session.add(user)
        session.flush()
        return Actor(role=role, label=name, user_id=user.id, body_id=body_id, network_id=network_id)


def code_holder(body_id: int, round_id: int) -> Actor:
    with session_scope(write=True) as session:
        _, code = issue_invitation(session, SYSTEM, body_id, round_id)
    return redeem_invitation(code)


@pytest.fixture
def gjesdal(any_db: str, monkeypatch: pytest.MonkeyPatch) -> Body:
    monkeypatch.setenv("IOA_K_ANONYMITY", "3")
    cohort = make_cohort(["Gjesdal", "Sandnes", "Bergen", "Sola"])
    body_id, other = cohort.body_ids[:2]
    first = person(body_id, "participant", "innkjoper")
    second = person(body_id, "participant", "okonomi")
    lead = person(body_id, "agency_lead", "kommunalsjef")
    assessment_id = open_assessment(first).id
    return Body(cohort.network_id, cohort.round_id, body_id, other, assessment_id, first, second, lead)


def body_answers(assessment_id: int) -> dict[str, tuple[int | None, str, str, str, str]]:
    """The body's answers: question -> (level, agreement, reason, evidence, reference)."""
    with session_scope() as session:
        rows = session.scalars(select(Response).where(Response.assessment_id == assessment_id))
        return {r.question_id: (r.level, r.agreement, r.reason, r.evidence, r.evidence_ref) for r in rows}


def _status(assessment_id: int) -> str:
    with session_scope() as session:
        found = session.get(Assessment, assessment_id)
        assert found is not None
        return found.status


# --- one respondent: today's flow -----------------------------------------------------------------


def test_one_respondent_answers_are_the_body_answers_and_submit_works_as_before(gjesdal: Body) -> None:
    for index, question_id in enumerate(QUESTIONS):
        save_answer(gjesdal.first, gjesdal.assessment_id, question_id, level=1 + index % 5)
    save_answer(gjesdal.first, gjesdal.assessment_id, Q1, comment="Vedtatt i 2025")
    state = open_assessment(gjesdal.first)
    assert not state.several and state.to_agree() == []
    expected = {q: (1 + i % 5, "single", "", "self", "") for i, q in enumerate(QUESTIONS)}
    assert body_answers(gjesdal.assessment_id) == expected
    submit_assessment(gjesdal.first, gjesdal.assessment_id)
    assert _status(gjesdal.assessment_id) == "submitted"
    with session_scope() as session:
        overall = session.scalar(
            select(AssessmentScore.value).where(
                AssessmentScore.assessment_id == gjesdal.assessment_id, AssessmentScore.kind == "overall"
            )
        )
    levels = {q: 1 + i % 5 for i, q in enumerate(QUESTIONS)}
    assert overall == pytest.approx(score_assessment(load_questionnaire(), levels).overall.value)


# --- a second person ---------------------------------------------------------------------------


def test_a_second_person_makes_the_automatic_answers_give_way_and_submit_waits(gjesdal: Body) -> None:
    for question_id in (Q1, Q2, Q3):
        save_answer(gjesdal.first, gjesdal.assessment_id, question_id, level=3)
    assert set(body_answers(gjesdal.assessment_id)) == {Q1, Q2, Q3}
    save_answer(gjesdal.second, gjesdal.assessment_id, Q4, level=2)

    assert body_answers(gjesdal.assessment_id) == {}  # nobody's answer is the body's by itself now
    state = open_assessment(gjesdal.first)
    assert state.several and state.to_agree() == sorted([Q1, Q2, Q3, Q4])
    # Until the lead agrees, each answered question stands at its people's median, provisionally.
    comparison = compare(gjesdal.lead)
    assert comparison.open_questions == [Q1, Q2, Q3, Q4]
    assert {q: comparison.questions[q].seen.provisional() for q in (Q1, Q4)} == {Q1: 3, Q4: 2}
    with pytest.raises(InvalidInput, match="4 answered questions have no agreed answer yet"):
        submit_assessment(gjesdal.first, gjesdal.assessment_id)
    assert _status(gjesdal.assessment_id) == "draft"

    assert accept_medians(gjesdal.lead, gjesdal.assessment_id) == 4
    submit_assessment(gjesdal.first, gjesdal.assessment_id)
    assert _status(gjesdal.assessment_id) == "submitted"


def test_a_person_never_sees_a_colleagues_answers_while_answering(gjesdal: Body) -> None:
    save_answer(gjesdal.first, gjesdal.assessment_id, Q1, level=2, comment="Bare i innkjøp")
    assert open_assessment(gjesdal.second).answers == {}
    save_answer(gjesdal.second, gjesdal.assessment_id, Q2, level=4, comment="Økonomi ser det annerledes")
    mine = open_assessment(gjesdal.first).answers
    theirs = open_assessment(gjesdal.second).answers
    assert {q: (a.level, a.comment) for q, a in mine.items()} == {Q1: (2, "Bare i innkjøp")}
    assert {q: (a.level, a.comment) for q, a in theirs.items()} == {Q2: (4, "Økonomi ser det annerledes")}
    # The lead, answering too, sees only their own answers in the form (colleagues' only when comparing).
    save_answer(gjesdal.lead, gjesdal.assessment_id, Q3, level=1)
    assert set(open_assessment(gjesdal.lead).answers) == {Q3}
    # A reader (the body's leader) sees the agreed answers only: none yet, and no one's own.
    leader = person(gjesdal.body_id, "leader", "radmann")
    assert open_assessment(leader).answers == {}


def test_mark_done_and_take_it_back(gjesdal: Body) -> None:
    with pytest.raises(InvalidInput, match="Answer at least one question"):
        mark_done(gjesdal.first, gjesdal.assessment_id)
    save_answer(gjesdal.first, gjesdal.assessment_id, Q1, level=3)
    save_answer(gjesdal.second, gjesdal.assessment_id, Q1, level=4)
    mark_done(gjesdal.first, gjesdal.assessment_id)
    assert open_assessment(gjesdal.first).done_at is not None
    assert open_assessment(gjesdal.second).done_at is None
    assert [p.done_at is not None for p in compare(gjesdal.lead).people] == [True, False]
    mark_done(gjesdal.first, gjesdal.assessment_id, done=False)
    assert open_assessment(gjesdal.first).done_at is None
    assert [p.done_at for p in compare(gjesdal.lead).people] == [None, None]


# --- agreeing ------------------------------------------------------------------------------------


def test_accept_medians_agrees_only_settled_questions(gjesdal: Body) -> None:
    third = code_holder(gjesdal.body_id, gjesdal.round_id)
    views = {
        Q1: (3, 3, None),  # alike
        Q2: (2, 3, None),  # within one level: the lower middle stands
        Q3: (1, 3, None),  # two apart: a conversation first
        Q4: (3, DONT_KNOW, None),  # "don't know" beside a level
        Q5: (DONT_KNOW, DONT_KNOW, None),  # everyone does not know
        Q6: (4, None, None),  # one voice
        Q7: (2, 3, 4),  # three people, two apart
        Q8: (4, 4, None),  # already agreed by the lead, at another level
    }
    for question_id, levels in views.items():
        for who, level in zip((gjesdal.first, gjesdal.second, third), levels, strict=True):
            if level is not None:
                save_answer(who, gjesdal.assessment_id, question_id, level=level)
    agree(gjesdal.lead, gjesdal.assessment_id, Q8, 5, "Revisjonen fant mer enn vi trodde.")

    assert accept_medians(gjesdal.lead, gjesdal.assessment_id) == 4

    agreed = {
        q: (level, agreement) for q, (level, agreement, *_) in body_answers(gjesdal.assessment_id).items()
    }
    assert agreed == {
        Q1: (3, "agreed"),
        Q2: (2, "agreed"),
        Q5: (DONT_KNOW, "agreed"),
        Q6: (4, "agreed"),
        Q8: (5, "agreed"),
    }
    assert compare(gjesdal.lead).open_questions == [Q3, Q4, Q7]
    assert accept_medians(gjesdal.lead, gjesdal.assessment_id) == 0  # nothing settled is left


def test_agree_refuses_bad_input_and_changes_nothing(gjesdal: Body) -> None:
    save_answer(gjesdal.first, gjesdal.assessment_id, Q1, level=1)
    save_answer(gjesdal.second, gjesdal.assessment_id, Q1, level=4)
    save_answer(gjesdal.first, gjesdal.assessment_id, Q2, level=2)
    agree(gjesdal.lead, gjesdal.assessment_id, Q2, 2)  # within one level: no reason needed
    before = body_answers(gjesdal.assessment_id)
    lead, assessment = gjesdal.lead, gjesdal.assessment_id
    with pytest.raises(InvalidInput, match="two or more levels apart"):
        agree(lead, assessment, Q1, 3)
    with pytest.raises(InvalidInput, match="two or more levels apart"):
        agree(lead, assessment, Q1, 3, "   ")
    with pytest.raises(InvalidInput, match="Unknown question"):
        agree(lead, assessment, "zzz-99", 3, REASON)
    for level in (6, -2, 99):
        with pytest.raises(InvalidInput, match="A level is 1 to 5"):
            agree(lead, assessment, Q1, level, REASON)
    with pytest.raises(InvalidInput, match="'Not relevant' cannot be chosen"):
        agree(lead, assessment, Q1, NOT_RELEVANT, REASON)  # a v1 question has no "not relevant"
    with pytest.raises(InvalidInput, match="at most"):
        agree(lead, assessment, Q1, 3, "x" * (MAX_REASON_LENGTH + 1))
    with pytest.raises(InvalidInput, match="cannot be stored"):
        agree(lead, assessment, Q1, 3, "Vi ble\x00 enige")
    with pytest.raises(NotFound):
        agree(lead, 10**9, Q1, 3, REASON)
    assert body_answers(gjesdal.assessment_id) == before

    agree(lead, assessment, Q1, 3, f"  {REASON}  ")
    assert body_answers(gjesdal.assessment_id)[Q1][:3] == (3, "agreed", REASON)


def test_only_the_bodys_agency_lead_compares_and_agrees(gjesdal: Body) -> None:
    save_answer(gjesdal.first, gjesdal.assessment_id, Q1, level=2)
    save_answer(gjesdal.second, gjesdal.assessment_id, Q1, level=2)
    refused = [
        gjesdal.first,  # a participant of the body
        person(gjesdal.body_id, "leader", "radmann"),
        person(gjesdal.other_body_id, "agency_lead", "sandnes-lead"),
        person(None, "facilitator", "fasilitator", network_id=gjesdal.network_id),
        person(None, "admin", "admin"),
        code_holder(gjesdal.body_id, gjesdal.round_id),
    ]
    for actor in refused:
        if actor.body_id != gjesdal.other_body_id:  # another body's lead compares their own body
            with pytest.raises(PermissionDenied):
                compare(actor)
        with pytest.raises(PermissionDenied):
            agree(actor, gjesdal.assessment_id, Q1, 2)
        with pytest.raises(PermissionDenied):
            accept_medians(actor, gjesdal.assessment_id)
    assert body_answers(gjesdal.assessment_id) == {}
    assert compare(gjesdal.lead).open_questions == [Q1]
    assert accept_medians(gjesdal.lead, gjesdal.assessment_id) == 1


def test_the_agreed_answer_rests_on_the_strongest_evidence_of_those_who_gave_it(gjesdal: Body) -> None:
    third = code_holder(gjesdal.body_id, gjesdal.round_id)
    assessment = gjesdal.assessment_id
    save_answer(gjesdal.first, assessment, Q1, level=3, evidence="documented", evidence_ref="Strategi 2025")
    save_answer(gjesdal.second, assessment, Q1, level=3, evidence="self")
    save_answer(third, assessment, Q1, level=1, evidence="verified", evidence_ref="Revisjonen 2026")
    save_answer(gjesdal.first, assessment, Q2, level=4, evidence="documented", evidence_ref="Plan A")
    save_answer(gjesdal.second, assessment, Q2, level=4, evidence="documented", evidence_ref="Plan B")
    save_answer(third, assessment, Q3, level=2, evidence="verified", evidence_ref="Kontrollutvalget")
    save_answer(gjesdal.first, assessment, Q3, level=4, evidence="documented", evidence_ref="Notat")

    agree(gjesdal.lead, assessment, Q1, 3, REASON)  # the verified view was level 1: not this one
    agree(gjesdal.lead, assessment, Q2, 4)
    agree(gjesdal.lead, assessment, Q3, 3, REASON)  # nobody gave level 3: it rests on no evidence
    answers = body_answers(assessment)
    assert answers[Q1][3:] == ("documented", "Strategi 2025")
    assert answers[Q2][3:] == ("documented", "Plan A; Plan B")
    assert answers[Q3][3:] == ("self", "")
    agree(gjesdal.lead, assessment, Q1, 1, REASON)
    assert body_answers(assessment)[Q1][3:] == ("verified", "Revisjonen 2026")


# --- read-only once submitted or closed ----------------------------------------------------------


def _every_change_is_refused(body: Body, question_id: str) -> None:
    before = body_answers(body.assessment_id)
    mine = open_assessment(body.first, body.round_id).answers
    for change in (
        lambda: save_answer(body.first, body.assessment_id, question_id, level=5),
        lambda: save_answer(body.first, body.assessment_id, question_id, comment="Etterpå"),
        lambda: save_answer(body.first, body.assessment_id, question_id, evidence="verified"),
        lambda: mark_done(body.first, body.assessment_id),
        lambda: agree(body.lead, body.assessment_id, question_id, 5, REASON),
        lambda: accept_medians(body.lead, body.assessment_id),
        lambda: submit_assessment(body.first, body.assessment_id),
    ):
        with pytest.raises(PermissionDenied):
            change()
    assert body_answers(body.assessment_id) == before
    assert open_assessment(body.first, body.round_id).answers == mine


def test_everything_is_read_only_after_submit(gjesdal: Body) -> None:
    save_answer(gjesdal.first, gjesdal.assessment_id, Q1, level=2)
    save_answer(gjesdal.second, gjesdal.assessment_id, Q1, level=3)
    accept_medians(gjesdal.lead, gjesdal.assessment_id)
    submit_assessment(gjesdal.lead, gjesdal.assessment_id)
    _every_change_is_refused(gjesdal, Q1)
    assert compare(gjesdal.lead).editable is False


def test_everything_is_read_only_when_the_round_is_closed(gjesdal: Body) -> None:
    save_answer(gjesdal.first, gjesdal.assessment_id, Q1, level=2)
    save_answer(gjesdal.second, gjesdal.assessment_id, Q1, level=4)
    close_round(SYSTEM, gjesdal.round_id)
    _every_change_is_refused(gjesdal, Q1)
    assert _status(gjesdal.assessment_id) == "draft"


# --- how far apart, kept with the scores and published -------------------------------------------


def test_spreads_are_stored_at_submit_and_copied_into_the_published_snapshot(gjesdal: Body) -> None:
    assessment = gjesdal.assessment_id
    for who, levels in ((gjesdal.first, (1, 2, 3, DONT_KNOW)), (gjesdal.second, (4, 3, None, 3))):
        for question_id, level in zip((Q1, Q2, Q3, Q4), levels, strict=True):
            if level is not None:
                save_answer(who, assessment, question_id, level=level)
    for question_id in (Q1, Q2, Q3, Q4):
        agree(gjesdal.lead, assessment, question_id, 3, REASON)
    submit_assessment(gjesdal.lead, assessment)
    with session_scope() as session:
        spreads = {
            s.item_id: (s.value, s.scored)
            for s in session.scalars(
                select(AssessmentScore).where(
                    AssessmentScore.assessment_id == assessment, AssessmentScore.kind == "spread"
                )
            )
        }
    # Only where two or more people gave a level: Q3 had one voice, Q4 one level beside "don't know".
    assert spreads == {Q1: (3.0, 2), Q2: (1.0, 2)}
    assert round_snapshot(gjesdal.round_id) is None  # fewer than k bodies so far
    others = [b for b in _member_bodies(gjesdal) if b != gjesdal.body_id]
    for index, body_id in enumerate(others[:2]):
        somebody = person(body_id, "participant", f"person-{index}")
        state = open_assessment(somebody)
        save_answer(somebody, state.id, Q1, level=2)
        submit_assessment(somebody, state.id)
    snapshot = round_snapshot(gjesdal.round_id)
    assert snapshot is not None and gjesdal.body_id in snapshot.overall
    assert snapshot.spreads[gjesdal.body_id] == {Q1: 3, Q2: 1}
    assert all(not snapshot.spreads.get(b) for b in others[:2])  # one voice each: no spread


def _member_bodies(body: Body) -> list[int]:
    with session_scope() as session:
        return list(
            session.scalars(
                select(NetworkMember.body_id)
                .where(NetworkMember.network_id == body.network_id)
                .order_by(NetworkMember.body_id)
            )
        )


def test_the_lead_sees_a_name_only_where_the_person_consented(gjesdal: Body) -> None:
    save_answer(gjesdal.first, gjesdal.assessment_id, Q1, level=2)
    save_answer(gjesdal.second, gjesdal.assessment_id, Q1, level=4)
    people = compare(gjesdal.lead).people
    assert [(p.letter, p.label, p.answered) for p in people] == [("A", None, 1), ("B", None, 1)]
    set_named_to_colleagues(gjesdal.second, True)
    assert named_to_colleagues(gjesdal.second) and not named_to_colleagues(gjesdal.first)
    people = compare(gjesdal.lead).people
    assert [(p.letter, p.label) for p in people] == [("A", None), ("B", "okonomi")]
    set_named_to_colleagues(gjesdal.second, False)
    assert [p.label for p in compare(gjesdal.lead).people] == [None, None]
