"""Use cases through the service layer: who may do what, autosave, submit, the k rule."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from ioa_assess.services import web_sessions
from ioa_assess.services.accounts import (
    CODE_ATTEMPTS_PER_ADDRESS,
    issue_invitation,
    redeem_invitation,
    revoke_invitation,
    sign_in,
)
from ioa_assess.services.actor import SYSTEM, InvalidInput, NotFound, PermissionDenied, now
from ioa_assess.services.assessments import (
    MAX_COMMENT_LENGTH,
    open_assessment,
    reopen_assessment,
    save_answer,
    submit_assessment,
)
from ioa_assess.services.results import set_target, standing
from ioa_assess.storage.engine import session_scope
from ioa_assess.storage.models import AuditEvent, Invitation
from tests.factories import MUNICIPALITIES_ROGALAND, answer_all, make_cohort, make_user


@pytest.fixture
def cohort(any_db: str):
    return make_cohort(["Gjesdal", "Sandnes", "Bergen"])


def _code(body_id: int, round_id: int, days: int = 30) -> str:
    with session_scope(write=True) as session:
        return issue_invitation(session, SYSTEM, body_id, round_id, valid_days=days)[1]


# --- sign-in ------------------------------------------------------------------------------


def test_sign_in_accepts_the_right_password_only(cohort) -> None:
    make_user("Leader@Gjesdal.kommune.no", "leader", body_id=cohort.body_ids[0])
    actor = sign_in("leader@gjesdal.kommune.no ", "correct horse battery")
    assert (actor.role, actor.body_id) == ("leader", cohort.body_ids[0])
    with pytest.raises(PermissionDenied, match="Wrong e-mail or password"):
        sign_in("leader@gjesdal.kommune.no", "wrong horse battery")
    with pytest.raises(PermissionDenied, match="Wrong e-mail or password"):
        sign_in("nobody@gjesdal.kommune.no", "correct horse battery")


def test_repeated_failures_lock_the_account(cohort) -> None:
    make_user("lead@sandnes.kommune.no", "agency_lead", body_id=cohort.body_ids[1])
    for _ in range(5):
        with pytest.raises(PermissionDenied):
            sign_in("lead@sandnes.kommune.no", "guess guess guess")
    with pytest.raises(PermissionDenied, match="Too many failed attempts"):
        sign_in("lead@sandnes.kommune.no", "correct horse battery")
    with session_scope() as session:
        actions = session.scalars(select(AuditEvent.action)).all()
    assert actions.count("signin.failed") == 5 and "signin.locked" in actions


# --- invitation codes -----------------------------------------------------------------------


def test_a_code_binds_the_session_to_its_body_and_round(cohort) -> None:
    code = _code(cohort.body_ids[0], cohort.round_id)
    actor = redeem_invitation(code.lower().replace("-", " "))
    assert (actor.role, actor.body_id, actor.round_id) == ("participant", cohort.body_ids[0], cohort.round_id)
    state = open_assessment(actor)
    assert state.body_name == "Gjesdal" and state.round_id == cohort.round_id and state.editable
    with session_scope() as session:
        stored = session.scalars(select(Invitation.code_hash)).all()
    assert code not in stored and code.replace("-", "") not in stored


def test_revoked_expired_and_wrong_codes_are_refused(cohort) -> None:
    revoked = _code(cohort.body_ids[0], cohort.round_id)
    expired = _code(cohort.body_ids[1], cohort.round_id)
    with session_scope(write=True) as session:
        first = session.scalar(select(Invitation).order_by(Invitation.id))
        revoke_invitation(session, SYSTEM, first.id)
        session.execute(
            update(Invitation).where(Invitation.id != first.id).values(expires_at=now() - timedelta(1))
        )
    for code in (revoked, expired, "AAAA-BBBB-CCCC", "' OR 1=1 --", "x" * 100_000):
        with pytest.raises(InvalidInput, match="not valid"):
            redeem_invitation(code)


def test_wrong_codes_are_rate_limited(cohort) -> None:
    good = _code(cohort.body_ids[0], cohort.round_id)
    for guess in range(CODE_ATTEMPTS_PER_ADDRESS):
        with pytest.raises(InvalidInput):
            redeem_invitation(f"ZZZZ-ZZZZ-{guess:04d}")
    with pytest.raises(PermissionDenied, match="Too many attempts"):
        redeem_invitation(good)


# --- answering ------------------------------------------------------------------------------


def test_answers_are_saved_at_once_and_resumed(cohort) -> None:
    code = _code(cohort.body_ids[0], cohort.round_id)
    actor = redeem_invitation(code)
    state = open_assessment(actor)
    save_answer(actor, state.id, "str-01", level=3)
    save_answer(actor, state.id, "str-01", comment="Vedtatt i kommunestyret 2025")
    save_answer(actor, state.id, "mar-02", level=0)
    later = redeem_invitation(code)  # a week later, with the same code
    resumed = open_assessment(later)
    assert resumed.id == state.id
    assert resumed.answers["str-01"].level == 3
    assert resumed.answers["str-01"].comment == "Vedtatt i kommunestyret 2025"
    assert resumed.answers["mar-02"].level == 0
    assert "Gjesdal" in resumed.answers["str-01"].updated_by
    # A colleague with a code of their own starts with an empty form of their own.
    colleague = open_assessment(redeem_invitation(_code(cohort.body_ids[0], cohort.round_id)))
    assert colleague.id == state.id and colleague.answers == {}


def test_bad_answers_change_nothing(cohort) -> None:
    actor = redeem_invitation(_code(cohort.body_ids[0], cohort.round_id))
    state = open_assessment(actor)
    save_answer(actor, state.id, "str-01", level=2, comment="kort")
    for change in (
        {"level": 6},
        {"level": -1},
        {"comment": "x" * (MAX_COMMENT_LENGTH + 1)},
        {"comment": "a\x00b"},
    ):
        with pytest.raises(InvalidInput):
            save_answer(actor, state.id, "str-01", **change)
    with pytest.raises(InvalidInput, match="Unknown question"):
        save_answer(actor, state.id, "zzz-99", level=3)
    answer = open_assessment(actor).answers["str-01"]
    assert (answer.level, answer.comment) == (2, "kort")


def test_text_is_stored_exactly_as_given(cohort) -> None:
    actor = redeem_invitation(_code(cohort.body_ids[0], cohort.round_id))
    state = open_assessment(actor)
    tricky = "<script>alert(1)</script> '; DROP TABLE responses; -- 🚀 مرحبا **fet**"
    save_answer(actor, state.id, "org-01", comment=tricky)
    assert open_assessment(actor).answers["org-01"].comment == tricky


def test_a_participant_cannot_touch_another_body(cohort) -> None:
    gjesdal = redeem_invitation(_code(cohort.body_ids[0], cohort.round_id))
    sandnes = redeem_invitation(_code(cohort.body_ids[1], cohort.round_id))
    sandnes_state = open_assessment(sandnes)
    save_answer(sandnes, sandnes_state.id, "str-01", level=4)
    with pytest.raises(PermissionDenied):
        save_answer(gjesdal, sandnes_state.id, "str-01", level=1)
    with pytest.raises(PermissionDenied):
        submit_assessment(gjesdal, sandnes_state.id)
    with pytest.raises(PermissionDenied):
        standing(gjesdal, body_id=cohort.body_ids[1])
    with pytest.raises(PermissionDenied):
        open_assessment(gjesdal, round_id=cohort.round_id + 1000)
    assert open_assessment(sandnes).answers["str-01"].level == 4


def test_submitted_is_read_only_until_a_facilitator_reopens(cohort) -> None:
    actor = redeem_invitation(_code(cohort.body_ids[0], cohort.round_id))
    state = open_assessment(actor)
    save_answer(actor, state.id, "str-01", level=3)
    submit_assessment(actor, state.id)
    with pytest.raises(PermissionDenied, match="submitted"):
        save_answer(actor, state.id, "str-01", level=5)
    with pytest.raises(PermissionDenied):
        reopen_assessment(actor, state.id, "I want to change it")
    facilitator = make_user("fasilitator@ks.no", "facilitator", network_id=cohort.network_id)
    with pytest.raises(InvalidInput):
        reopen_assessment(facilitator, state.id, "   ")
    reopen_assessment(facilitator, state.id, "Feil i svar på str-01")
    save_answer(actor, state.id, "str-01", level=5)
    assert open_assessment(actor).answers["str-01"].level == 5


def test_a_facilitator_of_another_network_cannot_reopen(cohort) -> None:
    other = make_cohort(["Stavanger"], name="Annet nettverk")
    stranger = make_user("annen@ks.no", "facilitator", network_id=other.network_id)
    assessment_id = answer_all(cohort.body_ids[0], cohort.round_id, 3)
    with pytest.raises(PermissionDenied):
        reopen_assessment(stranger, assessment_id, "no")


def test_a_leader_reads_but_cannot_answer(cohort) -> None:
    assessment_id = answer_all(cohort.body_ids[0], cohort.round_id, 3, status="draft")
    leader = make_user("leder@gjesdal.no", "leader", body_id=cohort.body_ids[0])
    assert open_assessment(leader).id == assessment_id
    with pytest.raises(PermissionDenied):
        save_answer(leader, assessment_id, "str-01", level=1)


# --- results and the k rule -------------------------------------------------------------------


def _rogaland_cohort(submitted_peers: int):
    cohort = make_cohort(MUNICIPALITIES_ROGALAND[: submitted_peers + 1])
    own, *peers = cohort.body_ids
    answer_all(own, cohort.round_id, 2, status="draft")
    for index, body_id in enumerate(peers):
        answer_all(body_id, cohort.round_id, 1 + index % 5)
    return cohort, own


@pytest.mark.parametrize(("peers", "shown"), [(4, False), (5, True)])
def test_peer_statistics_need_k_bodies(any_db: str, monkeypatch, peers: int, shown: bool) -> None:
    monkeypatch.setenv("IOA_K_ANONYMITY", "5")
    _, own = _rogaland_cohort(peers)
    actor = make_user("deltaker@gjesdal.no", "participant", body_id=own)
    result = standing(actor, "network")
    # Nothing is published about fewer than k bodies, not even how many have submitted.
    assert result.group.size == (peers if shown else 0)
    assert (result.group.withheld is None) is shown
    assert all((d.peers is not None) is shown for d in result.dimensions)
    assert (result.overall_peers is not None) is shown
    assert (bool(result.peer_medians_by_question)) is shown
    assert result.result.overall.value == 2.0


def test_targets_are_stored_and_shown(cohort) -> None:
    actor = make_user("deltaker@gjesdal.no", "participant", body_id=cohort.body_ids[0])
    answer_all(cohort.body_ids[0], cohort.round_id, 2, status="draft")
    set_target(actor, "str", 3.5)
    set_target(actor, "mar", 3.0)
    set_target(actor, "mar", None)
    targets = {d.dimension_id: d.target for d in standing(actor).dimensions}
    assert targets["str"] == 3.5 and targets["mar"] is None
    with pytest.raises(InvalidInput):
        set_target(actor, "str", 7)
    leader = make_user("leder@gjesdal.no", "leader", body_id=cohort.body_ids[0])
    with pytest.raises(PermissionDenied):
        set_target(leader, "str", 2)


def test_change_since_the_previous_round(any_db: str) -> None:
    cohort = make_cohort(["Gjesdal", "Sandnes"], rounds=2)
    gjesdal = cohort.body_ids[0]
    answer_all(gjesdal, cohort.round_id - 1, 2)
    answer_all(gjesdal, cohort.round_id, 3, status="draft")
    actor = make_user("deltaker@gjesdal.no", "participant", body_id=gjesdal)
    result = standing(actor)
    assert result.previous_round_name == "Runde 1"
    assert result.previous_overall == 2.0 and result.result.overall.value == 3.0
    assert all(d.previous == 2.0 for d in result.dimensions)


def test_no_results_before_an_assessment_exists(cohort) -> None:
    actor = make_user("deltaker@bergen.no", "participant", body_id=cohort.body_ids[2])
    with pytest.raises(NotFound):
        standing(actor)


# --- sessions that survive a reload --------------------------------------------------------


def test_a_handoff_is_traded_once_for_a_session_cookie(cohort) -> None:
    actor = make_user("deltaker@gjesdal.no", "participant", body_id=cohort.body_ids[0])
    handoff = web_sessions.begin(actor)[1]
    token = web_sessions.redeem_handoff(handoff)
    assert token and web_sessions.redeem_handoff(handoff) is None
    resumed = web_sessions.resume(token)
    assert resumed is not None
    assert resumed[1].user_id == actor.user_id and resumed[1].body_id == cohort.body_ids[0]
    assert web_sessions.resume("forged-token") is None and web_sessions.resume(handoff) is None
    web_sessions.end(token)
    assert web_sessions.resume(token) is None


def test_a_code_session_ends_when_the_code_is_revoked(cohort) -> None:
    actor = redeem_invitation(_code(cohort.body_ids[0], cohort.round_id))
    token = web_sessions.redeem_handoff(web_sessions.begin(actor)[1])
    assert web_sessions.resume(token)[1].round_id == cohort.round_id
    with session_scope(write=True) as session:
        revoke_invitation(session, SYSTEM, actor.invitation_id)
    assert web_sessions.resume(token) is None


def test_an_open_tab_learns_at_once_that_its_sign_in_changed_or_ended(cohort) -> None:
    """The open tab keeps only the session id and asks who it signs in now, on every full run."""
    from ioa_assess.services.accounts import change_role
    from ioa_assess.services.privacy import delete_person

    actor = make_user("innkjop@gjesdal.no", "participant", body_id=cohort.body_ids[0])
    session_id, _ = web_sessions.begin(actor)
    assert web_sessions.actor_of(session_id) == actor
    change_role(SYSTEM, "innkjop@gjesdal.no", "leader", body_id=cohort.body_ids[1])
    now_leader = web_sessions.actor_of(session_id)
    assert (now_leader.role, now_leader.body_id) == ("leader", cohort.body_ids[1])
    state = open_assessment(actor)
    with pytest.raises(PermissionDenied, match="no longer valid"):  # the stale actor may not answer
        save_answer(actor, state.id, "str-01", level=3)
    delete_person(SYSTEM, "innkjop@gjesdal.no")
    assert web_sessions.actor_of(session_id) is None

    holder = redeem_invitation(_code(cohort.body_ids[2], cohort.round_id))
    code_session, _ = web_sessions.begin(holder)
    assert web_sessions.actor_of(code_session) == holder
    held = open_assessment(holder)
    save_answer(holder, held.id, "str-01", level=2)
    with session_scope(write=True) as session:
        revoke_invitation(session, SYSTEM, holder.invitation_id)
    assert web_sessions.actor_of(code_session) is None
    with pytest.raises(PermissionDenied, match="no longer valid"):
        save_answer(holder, held.id, "str-01", level=3)
    assert open_assessment(holder).answers["str-01"].level == 2
    assert web_sessions.actor_of(10**6) is None


def test_submit_lists_what_is_unanswered(cohort) -> None:
    from ioa_assess.questionnaire import load_questionnaire
    from ioa_assess.services.assessments import unanswered_questions

    actor = redeem_invitation(_code(cohort.body_ids[0], cohort.round_id))
    state = open_assessment(actor)
    save_answer(actor, state.id, "str-01", level=3)
    save_answer(actor, state.id, "str-02", level=0)
    save_answer(actor, state.id, "str-03", comment="only a comment")
    missing = unanswered_questions(load_questionnaire(), open_assessment(actor))
    assert len(missing) == 38 and "str-01" not in missing and "str-02" not in missing and "str-03" in missing
