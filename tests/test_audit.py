"""The audit trail records who did what, when; and nothing can change or delete its rows."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import delete, select, update

from ioa_assess.services import web_sessions
from ioa_assess.services.accounts import (
    change_role,
    issue_invitation,
    redeem_invitation,
    revoke_invitation,
    sign_in,
)
from ioa_assess.services.actor import InvalidInput, PermissionDenied
from ioa_assess.services.assessments import open_assessment, reopen_assessment, save_answer, submit_assessment
from ioa_assess.services.audit import AuditTrailIsAppendOnly, record_export
from ioa_assess.storage.engine import session_scope
from ioa_assess.storage.models import AuditEvent, Body, Round
from tests.agreeing import agree_every_answer
from tests.conftest import PROJECT
from tests.test_pages import app_for, demo_actor


def _trail() -> list[tuple[str, str, str, str]]:
    with session_scope() as session:
        rows = session.execute(
            select(AuditEvent.actor, AuditEvent.action, AuditEvent.target, AuditEvent.detail).order_by(
                AuditEvent.id
            )
        )
        return [tuple(r) for r in rows]


def _last(action: str) -> tuple[str, str, str, str]:
    return [e for e in _trail() if e[1] == action][-1]


def _open_round_and_gjesdal() -> tuple[int, int]:
    with session_scope() as session:
        round_id = session.scalar(select(Round.id).where(Round.closed_at.is_(None)))
        body_id = session.scalar(select(Body.id).where(Body.name == "Gjesdal"))
    return round_id, body_id


def test_sign_ins_failures_and_sign_outs_are_recorded(demo_db: str) -> None:
    actor = sign_in("participant@demo.ioa.no", "demo-participant-42")
    assert _last("signin")[:3] == ("participant@demo.ioa.no", "signin", f"user:{actor.user_id}")
    with pytest.raises(PermissionDenied):
        sign_in("participant@demo.ioa.no", "not the password")
    assert _last("signin.failed")[0] == "participant@demo.ioa.no"
    with pytest.raises(PermissionDenied):
        sign_in("nobody@demo.ioa.no", "not the password")
    assert _last("signin.failed")[:3] == ("anonymous", "signin.failed", "nobody@demo.ioa.no")
    token = web_sessions.redeem_handoff(web_sessions.begin(actor)[1])
    web_sessions.end(token)
    web_sessions.end(token)  # a second sign-out of the same session records nothing more
    signouts = [e for e in _trail() if e[1] == "signout"]
    assert signouts == [("participant@demo.ioa.no", "signout", f"user:{actor.user_id}", "")]


def test_code_issue_use_failure_and_revocation_are_recorded(demo_db: str) -> None:
    round_id, gjesdal = _open_round_and_gjesdal()
    facilitator = demo_actor("facilitator")
    with session_scope(write=True) as session:
        invitation, code = issue_invitation(session, facilitator, gjesdal, round_id)
    assert _last("invitation.issue")[:3] == ("facilitator@demo.ioa.no", "invitation.issue", f"body:{gjesdal}")
    redeem_invitation(code)
    assert _last("invitation.use")[0] == f"code …{code[-4:]}"
    with pytest.raises(InvalidInput):
        redeem_invitation("AAAA-BBBB-CCCC")
    assert _last("invitation.failed")[0] == "anonymous"
    with session_scope(write=True) as session:
        revoke_invitation(session, facilitator, invitation.id)
    assert _last("invitation.revoke")[:3] == (
        "facilitator@demo.ioa.no",
        "invitation.revoke",
        f"invitation:{invitation.id}",
    )


def test_submission_and_reopening_are_recorded(demo_db: str) -> None:
    participant = demo_actor("participant")
    state = open_assessment(participant)
    save_answer(participant, state.id, "str-01", level=3)
    # Gjesdal's people disagree: the agency lead agrees the body's answers first, and that is recorded.
    agree_every_answer(demo_actor("agency_lead"))
    assert _last("answer.accept_medians")[:3] == (
        "agency-lead@demo.ioa.no",
        "answer.accept_medians",
        f"assessment:{state.id}",
    )
    assert _last("answer.agree")[0] == "agency-lead@demo.ioa.no"
    assert _last("answer.agree")[3].startswith("question=")
    submit_assessment(participant, state.id)
    assert _last("assessment.submit")[:3] == (
        "participant@demo.ioa.no",
        "assessment.submit",
        f"assessment:{state.id}",
    )
    reopen_assessment(demo_actor("facilitator"), state.id, "Feil i svar")
    assert _last("assessment.reopen") == (
        "facilitator@demo.ioa.no",
        "assessment.reopen",
        f"assessment:{state.id}",
        "Feil i svar",
    )


def test_role_changes_are_recorded_and_only_by_an_administrator(demo_db: str) -> None:
    gjesdal = _open_round_and_gjesdal()[1]
    with pytest.raises(PermissionDenied):
        change_role(demo_actor("facilitator"), "participant@demo.ioa.no", "agency_lead", body_id=gjesdal)
    with pytest.raises(InvalidInput, match="needs a body"):
        change_role(demo_actor("admin"), "participant@demo.ioa.no", "agency_lead")
    with pytest.raises(PermissionDenied, match="your own role"):
        change_role(demo_actor("admin"), "admin@demo.ioa.no", "participant", body_id=gjesdal)
    assert not [e for e in _trail() if e[1] == "user.role"]
    change_role(demo_actor("admin"), "participant@demo.ioa.no", "agency_lead", body_id=gjesdal)
    who, _action, target, detail = _last("user.role")
    assert who == "admin@demo.ioa.no" and target.startswith("user:")
    assert detail.startswith("participant ") and "-> agency_lead" in detail
    assert sign_in("participant@demo.ioa.no", "demo-participant-42").role == "agency_lead"


def test_exports_are_recorded(demo_db: str) -> None:
    record_export(demo_actor("admin"), "audit trail", "format=csv")
    assert _last("export") == ("admin@demo.ioa.no", "export", "audit trail", "format=csv")


def test_cohort_data_downloads_are_recorded_with_whether_they_name_bodies(demo_db: str) -> None:
    at = app_for(demo_actor("facilitator")).run()
    at.switch_page("pages/cohort.py")
    at.session_state["cohort-tab"] = "Dashboard"
    at.run()
    round_id = _open_round_and_gjesdal()[0]
    at.download_button(key="cohort-data-xlsx").click().run()
    assert not at.exception
    assert _last("export") == (
        "facilitator@demo.ioa.no",
        "export",
        f"cohort data, round:{round_id} (anonymised)",
        "format=xlsx",
    )
    at.toggle(key="export-named").set_value(True).run()
    at.download_button(key="cohort-data-csv").click().run()
    assert _last("export")[2:] == (f"cohort data, round:{round_id} (named)", "format=csv")


def test_admin_page_downloads_are_recorded(demo_db: str) -> None:
    at = app_for(demo_actor("admin")).run()
    at.switch_page("pages/admin.py").run()
    assert not at.exception
    at.download_button(key="export-audit-csv").click().run()
    assert _last("export")[1:] == ("export", "audit trail", "format=csv")
    at.selectbox(key="admin-person").set_value("participant@demo.ioa.no").run()
    at.download_button(key="export-person-xlsx").click().run()
    assert not at.exception
    who, _action, target, detail = _last("export")
    assert (who, detail) == ("admin@demo.ioa.no", "format=xlsx") and target.startswith("person user:")
    at.selectbox(key="admin-body").set_value(_open_round_and_gjesdal()[1]).run()
    at.download_button(key="export-body-json").click().run()
    assert _last("export")[2:] == (f"body:{_open_round_and_gjesdal()[1]}", "format=json")


def test_admin_page_asks_before_deleting_a_person(demo_db: str) -> None:
    """Opening the dialog deletes nothing; the confirmation itself runs in the browser test."""
    at = app_for(demo_actor("admin")).run()
    at.switch_page("pages/admin.py").run()
    at.selectbox(key="admin-person").set_value("leader@demo.ioa.no").run()
    at.button(key="delete-person").click().run()
    assert not at.exception
    assert at.text_input(key="delete-confirm-email") and at.button(key="confirm-delete")
    assert not [e for e in _trail() if e[1] == "person.delete"]


# --- append-only ------------------------------------------------------------------------------


def test_audit_rows_cannot_be_changed_or_deleted(demo_db: str) -> None:
    record_export(demo_actor("admin"), "audit trail")
    with pytest.raises(AuditTrailIsAppendOnly), session_scope(write=True) as session:
        session.execute(update(AuditEvent).values(actor="someone else"))
    with pytest.raises(AuditTrailIsAppendOnly), session_scope(write=True) as session:
        session.execute(delete(AuditEvent))
    with pytest.raises(AuditTrailIsAppendOnly), session_scope(write=True) as session:
        session.scalars(select(AuditEvent)).first().detail = "rewritten"
    with pytest.raises(AuditTrailIsAppendOnly), session_scope(write=True) as session:
        session.delete(session.scalars(select(AuditEvent)).first())
    assert _last("export")[:3] == ("admin@demo.ioa.no", "export", "audit trail")


def test_no_code_edits_or_deletes_audit_rows() -> None:
    pattern = re.compile(r"(update|delete)\(\s*AuditEvent|AuditEvent\.__table__\.(update|delete)", re.I)
    sources = [*Path(PROJECT / "ioa_assess").rglob("*.py"), *Path(PROJECT / "pages").glob("*.py")]
    offenders = [str(p) for p in sources if pattern.search(p.read_text(encoding="utf-8"))]
    assert offenders == []
