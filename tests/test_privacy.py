"""Personal data: export of a person and of a body, deleting a person, retention, and their CLI."""

from __future__ import annotations

import io
import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from ioa_assess.services import web_sessions
from ioa_assess.services.accounts import sign_in
from ioa_assess.services.actor import SYSTEM, Actor, NotFound, PermissionDenied
from ioa_assess.services.assessments import mark_done, open_assessment, save_answer
from ioa_assess.services.privacy import (
    OWN_ANSWER_COLUMNS,
    REMOVED_LABEL,
    body_data,
    delete_person,
    person_data,
    purge_closed_rounds,
    to_bytes,
)
from ioa_assess.storage.engine import session_scope
from ioa_assess.storage.models import (
    AnswerSet,
    Assessment,
    AssessmentScore,
    AuditEvent,
    Body,
    Invitation,
    PersonalAnswer,
    PublishedSnapshot,
    Respondent,
    Response,
    Round,
    SnapshotScore,
    User,
    WebSession,
)
from tests.test_cli import assert_clean_failure, cli
from tests.test_pages import ROLES, demo_actor

PARTICIPANT = "participant@demo.ioa.no"


def _gjesdal_id() -> int:
    with session_scope() as session:
        return session.scalar(select(Body.id).where(Body.name == "Gjesdal"))


def _events(action: str) -> list[AuditEvent]:
    with session_scope() as session:
        return list(session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def _closed_round_id() -> int:
    with session_scope() as session:
        return session.scalar(select(Round.id).where(Round.closed_at.is_not(None)))


def _own_answer_counts(exclude_user: int | None) -> dict[int, int]:
    """answer set id -> how many own answers it holds, leaving out one account's sets."""
    with session_scope() as session:
        query = (
            select(AnswerSet.id, func.count(PersonalAnswer.question_id))
            .join(PersonalAnswer, PersonalAnswer.answer_set_id == AnswerSet.id)
            .join(Respondent, Respondent.id == AnswerSet.respondent_id)
            .group_by(AnswerSet.id)
        )
        if exclude_user is not None:
            query = query.where((Respondent.user_id != exclude_user) | Respondent.user_id.is_(None))
        return {set_id: n for set_id, n in session.execute(query)}


# --- export ----------------------------------------------------------------------------------


def test_person_export_holds_everything_stored_about_them(demo_db: str) -> None:
    participant = sign_in(PARTICIPANT, "demo-participant-42")
    web_sessions.redeem_handoff(web_sessions.begin(participant)[1])
    sheets = person_data(demo_actor("admin"), " Participant@Demo.ioa.no ")
    account = sheets["account"].iloc[0]
    assert account["email"] == PARTICIPANT and account["role"] == "participant"
    assert account["body"] == "Gjesdal"
    assert list(sheets["respondents"]["label"]) == ["Innkjøper, Gjesdal"]
    answers = sheets["answers_last_changed"]
    assert len(answers) > 40 and set(answers["body"]) == {"Gjesdal"}
    assert "signin" in set(sheets["audit_events"]["action"])
    assert len(sheets["web_sessions"]) == 1
    own = sheets["own_answers"]
    assert list(own.columns) == OWN_ANSWER_COLUMNS
    state = open_assessment(participant)
    assert len(own) == len(state.answers) > 0 and set(own["body"]) == {"Gjesdal"}
    assert set(own["round"]) == {state.round_name}
    assert dict(zip(own["question_id"], own["level"], strict=True)) == {
        q: a.level for q, a in state.answers.items()
    }
    document = json.loads(to_bytes(sheets, "json"))
    assert set(document) == set(sheets)
    assert document["account"][0]["email"] == PARTICIPANT
    raw = to_bytes(sheets, "json").decode()
    with session_scope() as session:
        user = session.scalar(select(User).where(User.email == PARTICIPANT))
        hashes = [user.password_hash, *session.scalars(select(WebSession.token_hash))]
    assert not any(h and h in raw for h in hashes)  # no password hash, no session token hash
    workbook = load_workbook(io.BytesIO(to_bytes(sheets, "xlsx")))
    assert workbook.sheetnames[:2] == ["account", "respondents"]


def test_person_export_holds_their_own_answers_with_evidence_and_when_they_were_done(demo_db: str) -> None:
    participant = demo_actor("participant")
    state = open_assessment(participant)
    question = sorted(state.answers)[0]
    save_answer(
        participant, state.id, question, level=4, comment="Se strategien", evidence="documented",
        evidence_ref="Innkjøpsstrategi 2026",
    )  # fmt: skip
    mark_done(participant, state.id)
    own = person_data(demo_actor("admin"), PARTICIPANT)["own_answers"]
    row = own[own["question_id"] == question].iloc[0]
    assert (row["level"], row["comment"]) == (4, "Se strategien")
    assert (row["evidence"], row["evidence_ref"]) == ("documented", "Innkjøpsstrategi 2026")
    assert row["updated_at"] is not None and own["done_at"].notna().all()
    # A colleague's own answers are theirs: none of them is in this person's export.
    assert len(own) == len(open_assessment(participant).answers)


def test_body_export_holds_its_assessments_answers_targets_and_codes(demo_db: str) -> None:
    from ioa_assess.services.accounts import issue_invitation

    gjesdal = _gjesdal_id()
    with session_scope(write=True) as session:
        round_id = session.scalar(select(Round.id).where(Round.closed_at.is_(None)))
        _, code = issue_invitation(session, SYSTEM, gjesdal, round_id)
        code_hash = session.scalar(select(Invitation.code_hash))
    sheets = body_data(demo_actor("admin"), gjesdal)
    assert sheets["body"].iloc[0]["name"] == "Gjesdal"
    assert set(sheets["assessments"]["status"]) == {"submitted", "draft"}
    assert (sheets["answers"]["comment"] != "").any()
    # The body's answers: its only voice's in the closed round, those its lead agreed in the open one.
    assert set(sheets["answers"]["last_changed_by"]) <= {"Innkjøper, Gjesdal", "Kommunalsjef, Gjesdal"}
    assert set(sheets["answers"]["agreement"]) == {"single", "agreed"}
    assert (sheets["answers"]["reason"] != "").any()
    assert set(sheets["answers"]["evidence"]) <= {"self", "documented", "verified"}
    assert len(sheets["targets"]) > 0 and len(sheets["respondents"]) == 3
    assert list(sheets["invitations"]["hint"]) == [code[-4:]]
    raw = to_bytes(sheets, "json").decode()
    assert code not in raw and code_hash not in raw
    with pytest.raises(NotFound):
        body_data(demo_actor("admin"), 10**9)


@pytest.mark.parametrize("role", [r for r in ROLES if r != "admin"])
def test_only_an_administrator_handles_personal_data(demo_db: str, role: str) -> None:
    actor = demo_actor(role)
    for call in (
        lambda: person_data(actor, PARTICIPANT),
        lambda: body_data(actor, _gjesdal_id()),
        lambda: delete_person(actor, PARTICIPANT),
        lambda: purge_closed_rounds(actor, date.today()),
    ):
        with pytest.raises(PermissionDenied):
            call()
    with session_scope() as session:
        assert session.scalar(select(User.deleted_at).where(User.email == PARTICIPANT)) is None


# --- deletion --------------------------------------------------------------------------------


def test_deleting_a_person_erases_them_and_keeps_the_answers(demo_db: str) -> None:
    participant = sign_in(PARTICIPANT, "demo-participant-42")
    token = web_sessions.redeem_handoff(web_sessions.begin(participant)[1])
    leader = Actor(role="leader", label="Rådmann, Gjesdal", body_id=_gjesdal_id())  # reads the body's answers
    closed_round = _closed_round_id()
    body_before = open_assessment(leader, closed_round)
    own_before = len(open_assessment(participant).answers)
    others_before = _own_answer_counts(exclude_user=participant.user_id)
    with session_scope() as session:
        responses_before = session.scalar(select(func.count()).select_from(Response))

    done = delete_person(demo_actor("admin"), PARTICIPANT)

    assert (done.respondents_relabelled, done.sessions_revoked) == (1, 1)
    assert done.own_answers_deleted == own_before > 0
    # Their own answers are gone; their colleagues' own answers are untouched.
    assert _own_answer_counts(exclude_user=None) == others_before
    with session_scope() as session:
        user = session.get(User, participant.user_id)
        assert user.email != PARTICIPANT and "@" in user.email
        assert user.password_hash is None and user.name == "" and user.deleted_at is not None
        assert session.scalar(select(func.count()).select_from(Response)) == responses_before
        respondent = session.scalar(select(Respondent).where(Respondent.body_id == participant.body_id))
        assert respondent.label == REMOVED_LABEL and respondent.user_id is None
        stored = "".join(session.scalars(select(Respondent.label)))
    assert PARTICIPANT not in stored
    assert web_sessions.resume(token) is None
    with pytest.raises(PermissionDenied, match="Wrong e-mail or password"):
        sign_in(PARTICIPANT, "demo-participant-42")
    # The body keeps its answers, now by "removed user".
    body_after = open_assessment(leader, closed_round)
    assert body_after.levels() == body_before.levels() and len(body_after.levels()) > 0
    assert {a.updated_by for a in body_after.answers.values()} == {REMOVED_LABEL}
    event = _events("person.delete")[0]
    assert event.actor == "admin@demo.ioa.no" and event.target == f"user:{participant.user_id}"
    assert PARTICIPANT not in event.detail
    with pytest.raises(NotFound):
        delete_person(demo_actor("admin"), PARTICIPANT)


def test_an_administrator_cannot_delete_their_own_account(demo_db: str) -> None:
    with pytest.raises(PermissionDenied, match="your own account"):
        delete_person(demo_actor("admin"), "admin@demo.ioa.no")


# --- retention -------------------------------------------------------------------------------


def _closed_and_open_counts() -> tuple[int, int]:
    with session_scope() as session:
        query = (
            select(Round.closed_at.is_(None), func.count())
            .select_from(Response)
            .join(Assessment, Assessment.id == Response.assessment_id)
            .join(Round, Round.id == Assessment.round_id)
            .group_by(Round.closed_at.is_(None))
        )
        counts = {bool(is_open): n for is_open, n in session.execute(query)}
    return counts.get(False, 0), counts.get(True, 0)


def test_retention_off_by_default_keeps_everything(demo_db: str, monkeypatch) -> None:
    monkeypatch.delenv("IOA_RETENTION_DAYS", raising=False)
    before = _closed_and_open_counts()
    result = purge_closed_rounds(demo_actor("admin"), date(2040, 1, 1))
    assert (result.days, result.responses, result.rounds) == (0, 0, [])
    assert _closed_and_open_counts() == before


def test_purge_deletes_answers_of_rounds_closed_long_enough_ago(demo_db: str, monkeypatch) -> None:
    monkeypatch.setenv("IOA_RETENTION_DAYS", "365")
    with session_scope() as session:
        closed_on = session.scalar(select(Round.closed_at).where(Round.closed_at.is_not(None))).date()
    closed_own, closed_set = _own_answers_in_closed_round()  # one's own set, as migration 0009 makes
    closed, still_open = _closed_and_open_counts()
    assert closed > 0 and still_open > 0
    open_sets = _own_answer_counts(exclude_user=None)
    admin = demo_actor("admin")
    too_early = purge_closed_rounds(admin, closed_on + timedelta(days=365))
    assert too_early.responses == 0 and _closed_and_open_counts() == (closed, still_open)
    today = closed_on + timedelta(days=366)
    dry = purge_closed_rounds(admin, today, dry_run=True)
    assert dry.responses == closed and dry.dry_run and _closed_and_open_counts() == (closed, still_open)
    assert not _events("retention.purge")
    assert dry.own_answers == closed_own and _own_answer_counts(exclude_user=None) == open_sets
    done = purge_closed_rounds(admin, today)
    assert done.responses == closed and done.rounds == dry.rounds
    assert _closed_and_open_counts() == (0, still_open)
    # The people's own answers in the closed round are gone too; those in the open round stay.
    assert done.own_answers == closed_own
    with session_scope() as session:
        closed_sets = select(AnswerSet.id).join(Assessment, Assessment.id == AnswerSet.assessment_id)
        closed_sets = closed_sets.where(Assessment.round_id == _closed_round_id())
        assert session.scalar(select(func.count()).where(AnswerSet.id.in_(closed_sets))) == 0
        assert session.scalar(
            select(func.count()).select_from(AssessmentScore).where(AssessmentScore.kind == "spread")
        ) == _open_round_spreads(session)
    assert _own_answer_counts(exclude_user=None) == {k: v for k, v in open_sets.items() if k != closed_set}
    with session_scope() as session:  # that the bodies took part is kept
        assert session.scalar(select(func.count()).select_from(Assessment)) > 0
        # No copy of an answer is left in the stored scores or the published snapshots.
        for model in (AssessmentScore, SnapshotScore):
            copies = select(func.count()).select_from(model).where(model.kind == "question")
            assert session.scalar(copies) == _open_round_question_copies(session, model)
    assert f"responses deleted={closed}" in _events("retention.purge")[0].detail


def _own_answers_in_closed_round() -> tuple[int, int]:
    """Gjesdal's person's own answers and a spread in the closed round: (answers, answer set id)."""
    with session_scope(write=True) as session:
        assessment = session.scalar(
            select(Assessment).where(
                Assessment.round_id == _closed_round_id(), Assessment.body_id == _gjesdal_id()
            )
        )
        respondent_id = session.scalar(select(Respondent.id).where(Respondent.body_id == _gjesdal_id()))
        answer_set = AnswerSet(
            assessment_id=assessment.id, respondent_id=respondent_id, created_at=assessment.started_at
        )
        session.add(answer_set)
        session.flush()
        answers = session.scalars(select(Response).where(Response.assessment_id == assessment.id)).all()
        for r in answers:
            session.add(
                PersonalAnswer(
                    answer_set_id=answer_set.id, question_id=r.question_id, level=r.level, comment=r.comment,
                    evidence="self", evidence_ref="", updated_at=r.updated_at,
                )
            )  # fmt: skip
        session.add(
            AssessmentScore(
                assessment_id=assessment.id, kind="spread", item_id=answers[0].question_id, value=2.0,
                scored=2, not_relevant=0, total=2,
            )
        )  # fmt: skip
        return len(answers), answer_set.id


def _open_round_spreads(session) -> int:  # type: ignore[no-untyped-def]
    open_round = select(Round.id).where(Round.closed_at.is_(None))
    owner = select(Assessment.id).where(Assessment.round_id.in_(open_round))
    query = select(func.count()).select_from(AssessmentScore)
    return session.scalar(
        query.where(AssessmentScore.kind == "spread", AssessmentScore.assessment_id.in_(owner))
    )


def _open_round_question_copies(session, model) -> int:  # type: ignore[no-untyped-def]
    """Question rows that belong to the open round, whose answers are kept."""
    open_round = select(Round.id).where(Round.closed_at.is_(None))
    if model is AssessmentScore:
        owner = select(Assessment.id).where(Assessment.round_id.in_(open_round))
        where = AssessmentScore.assessment_id.in_(owner)
    else:
        owner = select(PublishedSnapshot.id).where(PublishedSnapshot.round_id.in_(open_round))
        where = SnapshotScore.snapshot_id.in_(owner)
    return session.scalar(select(func.count()).select_from(model).where(model.kind == "question", where))


# --- command line ----------------------------------------------------------------------------


def test_cli_export_person_writes_json_and_is_audited(demo_db: str, tmp_path: Path) -> None:
    out = tmp_path / "person.json"
    result = cli("export-person", "--email", PARTICIPANT, "--out", str(out), url=demo_db)
    assert result.returncode == 0, result.stderr
    document = json.loads(out.read_text(encoding="utf-8"))
    assert document["account"][0]["email"] == PARTICIPANT
    events = _events("export")
    assert len(events) == 1 and events[0].target.startswith("person user:")
    missing = cli("export-person", "--email", "nobody@demo.ioa.no", "--out", str(out), url=demo_db)
    assert_clean_failure(missing, "No account")


def test_cli_delete_person(demo_db: str) -> None:
    result = cli("delete-person", "--email", PARTICIPANT, url=demo_db)
    assert result.returncode == 0, result.stderr
    assert "removed user" in result.stdout and "own answers deleted" in result.stdout
    with session_scope() as session:
        assert session.scalar(select(User.id).where(User.email == PARTICIPANT)) is None
    assert_clean_failure(cli("delete-person", "--email", PARTICIPANT, url=demo_db), "No account")


def test_cli_purge_dry_run_and_purge(demo_db: str, monkeypatch) -> None:
    monkeypatch.delenv("IOA_RETENTION_DAYS", raising=False)
    off = cli("purge", "--dry-run", url=demo_db)
    assert off.returncode == 0 and "nothing to purge" in off.stdout
    closed, _ = _closed_and_open_counts()
    monkeypatch.setenv("IOA_RETENTION_DAYS", "1")  # the demo's closed round closed long before today
    dry = cli("purge", "--dry-run", url=demo_db)
    assert dry.returncode == 0, dry.stderr
    assert f"{closed} answers would be deleted (dry run)" in dry.stdout
    assert "answers in people's own answer sets would be deleted (dry run)" in dry.stdout
    assert _closed_and_open_counts()[0] == closed
    done = cli("purge", url=demo_db)
    assert f"{closed} answers deleted" in done.stdout
    assert _closed_and_open_counts()[0] == 0


# --- the pages -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("days", "text"), [("", "no automatic deletion"), ("365", "365 days after the round")]
)
def test_the_privacy_page_states_the_retention_and_how_to_ask(demo_db: str, monkeypatch, days, text) -> None:
    from tests.test_pages import app_for, texts

    monkeypatch.setenv("IOA_RETENTION_DAYS", days)
    at = app_for(None).run()
    at.switch_page("pages/privacy.py").run()
    assert not at.exception
    shown = texts(at)
    assert text in shown and "How to ask" in shown and "Datatilsynet" in shown
