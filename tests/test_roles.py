"""The README's roles table, row by row, against the services: allowed or refused exactly as it says.

The expectations are read from the table itself, so the README and the code cannot drift apart
silently. Each role is a demo account; "code" is the holder of an invitation code, which the README
says acts as a participant.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from ioa_assess.questionnaire import load_questionnaire
from ioa_assess.services.accounts import change_role, issue_invitation, redeem_invitation
from ioa_assess.services.actor import SYSTEM, Actor, NotFound, PermissionDenied
from ioa_assess.services.admin import audit_events, list_bodies
from ioa_assess.services.agreement import (
    accept_medians,
    agree,
    compare,
    named_to_colleagues,
    set_named_to_colleagues,
)
from ioa_assess.services.assessments import (
    mark_done,
    open_assessment,
    reopen_assessment,
    save_answer,
    submit_assessment,
)
from ioa_assess.services.cohort import cohort_table, completion
from ioa_assess.services.leadership import leadership_summary
from ioa_assess.services.network_admin import add_members, change_round, create_round, remove_member
from ioa_assess.services.plans import (
    ActionDraft,
    add_action,
    approve_action,
    body_plan,
    change_action,
    network_plans,
)
from ioa_assess.services.privacy import body_data, person_data
from ioa_assess.services.regional import regional_view
from ioa_assess.services.results import set_target, standing
from ioa_assess.storage.engine import session_scope
from ioa_assess.storage.models import Action, Assessment, Body, NetworkMember, Respondent, Round
from tests.agreeing import agree_every_answer
from tests.conftest import PROJECT
from tests.test_pages import demo_actor

COLUMNS = {
    "participant": "participant",
    "agency lead": "agency_lead",
    "leader": "leader",
    "facilitator": "facilitator",
    "regional leader": "regional_leader",
    "admin": "admin",
}
ACTORS = (*COLUMNS.values(), "code")
SYSTEM_TIME = datetime(2026, 9, 10, tzinfo=UTC)


def roles_table() -> dict[str, dict[str, bool]]:
    """row label -> role -> allowed, from the README's "Roles: who may do what" table."""
    text = (PROJECT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Roles: who may do what", 1)[1].split("\n## ", 1)[0]
    lines = [line for line in section.splitlines() if line.startswith("|")]
    header = [c.strip() for c in lines[0].strip("|").split("|")][1:]
    roles = [COLUMNS[h] for h in header]
    table = {}
    for line in lines[2:]:
        label, *cells = (c.strip() for c in line.strip("|").split("|"))
        table[label] = {role: cell != "–" for role, cell in zip(roles, cells, strict=True)}
    table = {row: {**allowed, "code": allowed["participant"]} for row, allowed in table.items()}
    return table


# --- the world each check runs in ----------------------------------------------------------------


def _open_round() -> int:
    with session_scope() as session:
        return session.scalar(select(Round.id).where(Round.closed_at.is_(None)))


def _body(name: str) -> int:
    with session_scope() as session:
        return session.scalar(select(Body.id).where(Body.name == name))


def _actor(role: str) -> Actor:
    if role == "code":
        with session_scope(write=True) as session:
            _, code = issue_invitation(session, SYSTEM, _body("Gjesdal"), _open_round())
        return redeem_invitation(code)
    return demo_actor(role)


def _own_body(actor: Actor) -> int:
    """The actor's body; Gjesdal (the demo body) for roles that have none."""
    return actor.body_id or _body("Gjesdal")


def _assessment(body_id: int, status: str) -> int:
    """The body's assessment in the open round, put into `status` (test setup, not a use case)."""
    with session_scope(write=True) as session:
        round_id = _open_round()
        assessment = session.scalar(
            select(Assessment).where(Assessment.body_id == body_id, Assessment.round_id == round_id)
        )
        if assessment is None:
            assessment = Assessment(body_id=body_id, round_id=round_id, started_at=SYSTEM_TIME)
            assessment.updated_at = SYSTEM_TIME
            session.add(assessment)
        assessment.status = status
        assessment.submitted_at = SYSTEM_TIME if status == "submitted" else None
        session.flush()
        return assessment.id


def _other_submitted() -> int:
    """A submitted assessment of a member body that none of the demo accounts belongs to."""
    with session_scope() as session:
        body_id = session.scalar(
            select(Assessment.body_id)
            .where(Assessment.round_id == _open_round(), Assessment.status == "submitted")
            .where(Assessment.body_id.not_in([_body("Gjesdal"), _body("Sandnes")]))
        )
    return _assessment(body_id, "submitted")


def _answer(actor: Actor) -> None:
    save_answer(actor, _assessment(_own_body(actor), "draft"), "str-01", level=3)


def _submit_and_target(actor: Actor) -> None:
    body = _own_body(actor)
    assessment_id = _assessment(body, "draft")
    agree_every_answer(demo_actor("agency_lead"))  # Gjesdal's people disagree: its lead agrees first
    submit_assessment(actor, assessment_id)
    set_target(actor, "str", 3.5)


def _second_question() -> str:
    with session_scope() as session:
        version = session.scalar(select(Round.questionnaire_version).where(Round.id == _open_round()))
    return load_questionnaire(version).questions[1].id


def _answer_own_set(actor: Actor) -> None:
    question = _second_question()
    save_answer(actor, _assessment(_own_body(actor), "draft"), question, level=2, comment="Mitt syn")
    mine = open_assessment(actor).answers[question]
    assert (mine.level, mine.comment) == (2, "Mitt syn")
    # Nobody else's answer changed: the colleagues keep theirs, and the lead sees them side by side.
    voices = compare(demo_actor("agency_lead")).questions[question].voices
    assert sorted(v.level for v in voices if v.comment == "Mitt syn") == [2]
    assert len(voices) >= 2


def _only_own_answers(actor: Actor) -> None:
    save_answer(actor, _assessment(_own_body(actor), "draft"), "str-01", level=1)
    state = open_assessment(actor)
    assert state.several and state.answers  # colleagues have answered too
    assert {a.updated_by for a in state.answers.values()} == {
        actor.label if actor.user_id is None else _label(actor)
    }


def _label(actor: Actor) -> str:
    with session_scope() as session:
        return session.scalar(select(Respondent.label).where(Respondent.user_id == actor.user_id))


def _mark_done(actor: Actor) -> None:
    assessment_id = _assessment(_own_body(actor), "draft")
    save_answer(actor, assessment_id, "str-01", level=3)
    mark_done(actor, assessment_id)
    assert open_assessment(actor).done_at is not None
    mark_done(actor, assessment_id, done=False)
    assert open_assessment(actor).done_at is None


def _named_by_consent(actor: Actor) -> None:
    set_named_to_colleagues(actor, True)
    assert named_to_colleagues(actor)
    set_named_to_colleagues(actor, False)
    assert not named_to_colleagues(actor)


def _compare_and_agree(actor: Actor) -> None:
    _assessment(_own_body(actor), "draft")
    comparison = compare(actor)
    question = comparison.open_questions[0]
    level = comparison.questions[question].seen.provisional()
    agree(actor, comparison.assessment_id, question, level, "Vi ble enige i møtet.")
    accept_medians(actor, comparison.assessment_id)
    assert question not in compare(actor).open_questions


def _provisional(actor: Actor) -> None:
    body = _own_body(actor)
    assessment_id = _assessment(body, "draft")
    question = _second_question()
    for level in (1, 4):  # two of the body's people, two levels apart, nothing agreed
        with session_scope(write=True) as session:
            _, code = issue_invitation(session, SYSTEM, body, _open_round())
        save_answer(redeem_invitation(code), assessment_id, question, level=level)
    result = standing(actor, body_id=body, round_id=_open_round())
    assert question in result.provisional and question in result.levels


def _read(actor: Actor) -> None:
    result = standing(actor, body_id=_own_body(actor))
    assert result.levels


def _progress_and_reopen(actor: Actor) -> None:
    assert completion(actor, _open_round())
    reopen_assessment(actor, _other_submitted(), "Feil i svarene")


def _run_network(actor: Actor) -> None:
    with session_scope() as session:
        network_id = session.scalar(select(Round.network_id).where(Round.id == _open_round()))
        members = select(NetworkMember.body_id).where(NetworkMember.network_id == network_id)
        outsider = session.scalar(select(Body.id).where(Body.id.not_in(members)).order_by(Body.id))
    round_id = create_round(actor, network_id, "Ekstra", date(2030, 1, 1), date(2030, 2, 1), "ioa-v1")
    change_round(actor, round_id, "Ekstra (forlenget)", date(2030, 1, 1), date(2030, 3, 1))
    add_members(actor, network_id, [outsider])
    remove_member(actor, network_id, outsider)


def _cohort(actor: Actor) -> None:
    cohort_table(actor, _open_round())


def _register_and_audit(actor: Actor) -> None:
    assert len(list_bodies(actor)) > 0
    audit_events(actor)


def _personal_data(actor: Actor) -> None:
    person_data(actor, "participant@demo.ioa.no")
    body_data(actor, _body("Gjesdal"))
    change_role(actor, "leader@demo.ioa.no", "agency_lead", body_id=_body("Sandnes"))


CHECKS: dict[str, Callable[[Actor], object]] = {
    "answer its own body's assessment (draft)": _answer,
    "submit it; set the body's targets": _submit_and_target,
    "read its own body's answers and results": _read,
    "answer in its own answer set (each colleague has theirs)": _answer_own_set,
    "see only its own answers while answering, never a colleague's": _only_own_answers,
    "mark its own part done (and take it back)": _mark_done,
    "be named to colleagues in the comparison, by its own consent": _named_by_consent,
    "compare and agree the body's answers": _compare_and_agree,
    "see its own body's provisional medians until answers are agreed": _provisional,
    "leadership page of its body": leadership_summary,
    "see each member body's progress; reopen a submitted assessment": _progress_and_reopen,
    "cohort statistics (k rule)": _cohort,
    "create and change rounds; add and remove members": _run_network,
    "regional aggregates (k rule)": regional_view,
    "bodies register, audit trail": _register_and_audit,
    "export or erase a person's data, export a body's data, change roles": _personal_data,
}


def _write_plan(actor: Actor) -> None:
    action_id = add_action(
        actor, ActionDraft("Markedsdialog før neste anskaffelse", question_ids=("mar-01",))
    )
    draft = ActionDraft("Markedsdialog før neste anskaffelse", question_ids=("mar-01",), status="in_progress")
    change_action(actor, action_id, draft, note="Første møte holdt")
    assert [a.status for a in body_plan(actor) if a.id == action_id] == ["in_progress"]


def _read_plan(actor: Actor) -> None:
    assert body_plan(actor, _own_body(actor))


def _approve(actor: Actor) -> None:
    with session_scope() as session:
        action_id = session.scalar(
            select(Action.id).where(Action.body_id == _own_body(actor), Action.approved_at.is_(None))
        )
    approve_action(actor, action_id)


def _network_plans(actor: Actor) -> None:
    with session_scope() as session:
        network_id = session.scalar(select(Round.network_id).where(Round.id == _open_round()))
    assert network_plans(actor, network_id)


CHECKS |= {
    "write its own body's improvement plan (actions, progress notes)": _write_plan,
    "read its own body's improvement plan": _read_plan,
    "approve its own body's actions": _approve,
    "what the member bodies plan, as counts (k rule)": _network_plans,
}
KNOWN_GAPS: dict[tuple[str, str], str] = {}  # (row, role) -> why the service breaks the table


def test_every_row_of_the_table_is_checked() -> None:
    assert set(roles_table()) == set(CHECKS)


def _cases() -> list[object]:
    cases = []
    for row in CHECKS:
        for role in ACTORS:
            marks = []
            if (row, role) in KNOWN_GAPS:
                marks.append(pytest.mark.xfail(strict=True, reason=KNOWN_GAPS[(row, role)]))
            cases.append(pytest.param(row, role, marks=marks, id=f"{role}-{re.sub(r'[^a-z]+', '_', row)}"))
    return cases


@pytest.mark.parametrize(("row", "role"), _cases())
def test_the_services_follow_the_roles_table(demo_db: str, row: str, role: str) -> None:
    allowed = roles_table()[row][role]
    actor = _actor(role)
    if allowed:
        CHECKS[row](actor)
    else:
        with pytest.raises((PermissionDenied, NotFound)):
            CHECKS[row](actor)
