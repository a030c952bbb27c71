"""Each safeguard around answering, tested on its own: the message says which one refused, so that a
safeguard removed behind another one that happens to refuse too is still noticed."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import update

from ioa_assess.bootstrap import init_database
from ioa_assess.services.accounts import change_role, issue_invitation, redeem_invitation, revoke_invitation
from ioa_assess.services.actor import SYSTEM, Actor, InvalidInput, PermissionDenied, now
from ioa_assess.services.assessments import open_assessment, save_answer, submit_assessment
from ioa_assess.services.network_admin import close_round
from ioa_assess.services.privacy import delete_person
from ioa_assess.storage.engine import session_scope
from ioa_assess.storage.models import Invitation
from tests.factories import answer_all, make_cohort, make_user

OWN_BODY = "You can only open your own organisation's assessment."
OTHER_ROUND = "Your code is for another round."
NO_LONGER_VALID = "Your sign-in is no longer valid for this. Sign in again."
NOT_A_MEMBER = "Your organisation is not a member of the network that runs this round."


@pytest.fixture
def cohort(sqlite_url: str):
    init_database()
    return make_cohort(["Gjesdal", "Sandnes", "Bergen"], rounds=2)


def _refusal(call) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(PermissionDenied) as refused:
        call()
    return str(refused.value)


def _code(body_id: int, round_id: int) -> tuple[int, str]:
    with session_scope(write=True) as session:
        invitation, code = issue_invitation(session, SYSTEM, body_id, round_id)
        return invitation.id, code


# --- open_assessment ----------------------------------------------------------------------------


def test_a_round_of_another_network_is_refused(cohort) -> None:
    """Issue 13, item 9: the page passes no round id, but the service must refuse one anyway."""
    other = make_cohort(["Stavanger", "Sola"], name="Annet nettverk")
    lead = make_user("lead@gjesdal.kommune.no", "agency_lead", body_id=cohort.body_ids[0])
    assert _refusal(lambda: open_assessment(lead, round_id=other.round_id)) == NOT_A_MEMBER
    leader = make_user("leder@gjesdal.kommune.no", "leader", body_id=cohort.body_ids[0])
    assert _refusal(lambda: open_assessment(leader, round_id=other.round_id)) == NOT_A_MEMBER
    assert open_assessment(lead, round_id=cohort.round_id).round_id == cohort.round_id


def test_a_code_for_another_network_cannot_open_a_round(cohort) -> None:
    other = make_cohort(["Stavanger", "Sola"], name="Annet nettverk")
    with session_scope(write=True) as session, pytest.raises(InvalidInput, match="not a member"):
        issue_invitation(session, SYSTEM, cohort.body_ids[0], other.round_id)


def test_open_assessment_refuses_a_role_outside_the_body(cohort) -> None:
    facilitator = Actor(role="facilitator", label="f", user_id=None, body_id=cohort.body_ids[0], network_id=1)
    assert _refusal(lambda: open_assessment(facilitator, round_id=cohort.round_id)) == OWN_BODY


def test_open_assessment_refuses_a_code_for_another_round(cohort) -> None:
    _, code = _code(cohort.body_ids[0], cohort.round_id)
    participant = redeem_invitation(code)
    assert _refusal(lambda: open_assessment(participant, round_id=cohort.round_id - 1)) == OTHER_ROUND


# --- saving: the body and round checks ------------------------------------------------------------


def test_saving_into_another_bodys_assessment_names_the_body_rule(cohort) -> None:
    sandnes = answer_all(cohort.body_ids[1], cohort.round_id, 3, status="draft")
    lead = make_user("lead@gjesdal.kommune.no", "agency_lead", body_id=cohort.body_ids[0])
    assert _refusal(lambda: save_answer(lead, sandnes, "str-01", level=1)) == OWN_BODY
    assert _refusal(lambda: submit_assessment(lead, sandnes)) == OWN_BODY


def test_saving_with_a_code_for_another_round_names_the_round_rule(cohort) -> None:
    earlier = answer_all(cohort.body_ids[0], cohort.round_id - 1, 3, status="draft")
    _, code = _code(cohort.body_ids[0], cohort.round_id)
    participant = redeem_invitation(code)
    assert _refusal(lambda: save_answer(participant, earlier, "str-01", level=1)) == OTHER_ROUND


# --- saving: the stored account or code must still allow it (respondent_for) -----------------------


def _own_draft(cohort) -> int:  # type: ignore[no-untyped-def]
    return answer_all(cohort.body_ids[0], cohort.round_id, 3, status="draft")


def test_an_account_moved_to_another_body_can_no_longer_answer_for_the_old_one(cohort) -> None:
    draft = _own_draft(cohort)
    lead = make_user("lead@gjesdal.kommune.no", "agency_lead", body_id=cohort.body_ids[0])
    change_role(SYSTEM, lead.label, "agency_lead", body_id=cohort.body_ids[1])
    assert _refusal(lambda: save_answer(lead, draft, "str-01", level=1)) == NO_LONGER_VALID


def test_an_account_made_a_leader_can_no_longer_answer(cohort) -> None:
    draft = _own_draft(cohort)
    lead = make_user("lead@gjesdal.kommune.no", "agency_lead", body_id=cohort.body_ids[0])
    change_role(SYSTEM, lead.label, "leader", body_id=cohort.body_ids[0])
    assert _refusal(lambda: save_answer(lead, draft, "str-01", level=1)) == NO_LONGER_VALID


def test_an_erased_account_can_no_longer_answer(cohort) -> None:
    draft = _own_draft(cohort)
    lead = make_user("lead@gjesdal.kommune.no", "agency_lead", body_id=cohort.body_ids[0])
    delete_person(SYSTEM, lead.label)
    assert _refusal(lambda: save_answer(lead, draft, "str-01", level=1)) == NO_LONGER_VALID


def test_a_revoked_or_expired_code_can_no_longer_answer(cohort) -> None:
    draft = _own_draft(cohort)
    revoked_id, revoked_code = _code(cohort.body_ids[0], cohort.round_id)
    expired_id, expired_code = _code(cohort.body_ids[0], cohort.round_id)
    revoked, expired = redeem_invitation(revoked_code), redeem_invitation(expired_code)
    with session_scope(write=True) as session:
        revoke_invitation(session, SYSTEM, revoked_id)
        session.execute(
            update(Invitation).where(Invitation.id == expired_id).values(expires_at=now() - timedelta(1))
        )
    assert _refusal(lambda: save_answer(revoked, draft, "str-01", level=1)) == NO_LONGER_VALID
    assert _refusal(lambda: save_answer(expired, draft, "str-01", level=1)) == NO_LONGER_VALID


# --- the round must be open ---------------------------------------------------------------------------


def test_no_answer_is_saved_or_submitted_after_the_round_closes(cohort) -> None:
    lead = make_user("lead@gjesdal.kommune.no", "agency_lead", body_id=cohort.body_ids[0])
    state = open_assessment(lead)
    save_answer(lead, state.id, "str-01", level=2)
    close_round(SYSTEM, cohort.round_id)
    assert _refusal(lambda: save_answer(lead, state.id, "str-01", level=5)) == "The round is closed."
    assert _refusal(lambda: submit_assessment(lead, state.id)) == "The round is closed."
    assert open_assessment(lead, round_id=cohort.round_id).answers["str-01"].level == 2
