"""Each role's start page says what to do now, with its figures (AppTest on the demo database)."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from ioa_assess.services import start
from ioa_assess.services.accounts import sign_in
from tests.test_pages import app_for, demo_actor, texts


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def start_page(role: str) -> AppTest:
    return app_for(demo_actor(role)).run()


def test_participant_sees_the_round_its_deadline_and_how_much_is_answered(demo_db: str) -> None:
    actor = demo_actor("participant")
    expected = start.answerer_start(actor)
    at = start_page("participant")
    assert not at.exception
    assert metrics(at)["Answered"] == f"{expected.answered} of {expected.total}"
    assert 0 < expected.answered < expected.total
    assert ("Oppfølging 2026" in texts(at) and "days left" in texts(at)) or "deadline" in texts(at)
    assert at.button(key="start-continue").label == "Continue where you stopped"
    assert "Use the menu on the left" not in texts(at)


def test_signing_in_with_work_under_way_goes_straight_back_to_it(demo_db: str) -> None:
    at = app_for(None).run()
    at.text_input(key="signin-email").input("participant@demo.ioa.no")
    at.text_input(key="signin-password").input("demo-participant-42")
    at.button(key="signin-submit").click().run()
    assert not at.exception
    assert at.session_state["redirect-to"] == "pages/assess.py"  # followed by app.py's next run


def test_the_agency_lead_with_answers_to_agree_lands_on_the_start_page(demo_db: str) -> None:
    """The lead has not answered himself, and his colleagues' answers wait to be agreed: what to do
    now is on the start page, not in an empty form."""
    at = app_for(None).run()
    at.text_input(key="signin-email").input("agency-lead@demo.ioa.no")
    at.text_input(key="signin-password").input("demo-agency_lead-42")
    at.button(key="signin-submit").click().run()
    assert not at.exception
    assert "redirect-to" not in at.session_state  # the start page stays
    assert "Your colleagues' answers" in texts(at)


def test_agency_lead_sees_who_has_answered_how_much(demo_db: str) -> None:
    actor = demo_actor("agency_lead")
    expected = start.answerer_start(actor)
    at = start_page("agency_lead")
    assert not at.exception
    assert metrics(at)["Answered"] == f"{expected.answered} of {expected.total}"
    # The demo body's three colleagues: two agreed to be named, the third is a letter.
    table = at.table[0].value
    people = list(table["Person"])
    assert people == ["Innkjøper, Gjesdal", "Kommunalsjef helse og omsorg, Gjesdal", "Respondent C"]
    assert [p.answered for p in expected.respondents] == [int(n) for n in table["Answers"]]
    assert list(table["Done"])[2] == "Not yet" and list(table["Done"])[1].startswith("Done ")
    # What to do now: the questions still to agree, and where the people are far apart.
    assert expected.to_agree > expected.apart >= 5
    assert f"{expected.to_agree} answered questions need an agreed answer" in texts(at)
    # Agreeing is the lead's first task: the one primary button; answering himself comes second.
    assert at.button(key="start-agree").proto.type == "primary"
    assert at.button(key="start-continue").label == "Start the assessment"
    assert at.button(key="start-continue").proto.type == "secondary"
    assert "The work stopped at" not in texts(at)


def test_a_participant_sees_only_their_own_progress_never_their_colleagues(demo_db: str) -> None:
    at = start_page("participant")
    assert not at.exception
    assert "Kommunalsjef helse og omsorg, Gjesdal" not in texts(at) and not at.table
    assert start.answerer_start(demo_actor("participant")).respondents == []


def test_leader_sees_the_latest_score_its_change_and_the_network(demo_db: str) -> None:
    from ioa_assess.i18n import fmt_number

    expected = start.leader_start(demo_actor("leader"))
    at = start_page("leader")
    assert not at.exception
    shown = metrics(at)
    assert shown["Overall maturity"] == fmt_number(expected.overall, "en")
    assert expected.peers is not None and shown["Network median"] == fmt_number(expected.peers.median, "en")
    assert any(
        p.proto.page == "pages/leadership.py" or "leadership" in str(p.proto) for p in at.get("page_link")
    )
    assert at.get("download_button")


def test_facilitator_sees_the_round_state_who_to_remind_and_the_agenda(demo_db: str) -> None:
    expected = start.facilitator_start(demo_actor("facilitator"))
    at = start_page("facilitator")
    assert not at.exception
    shown = metrics(at)
    assert shown["Submitted"] == str(expected.counts["submitted"]) == "39"
    assert shown["In progress"] == "16" and shown["Not started"] == "17"
    remind = next(d.value for d in at.dataframe if "Last e-mail" in d.value.columns)
    assert len(remind) == 5 and expected.to_remind_total == 33
    assert "E-mail is not set up" in texts(at)  # no IOA_SMTP_URL in this test
    assert "Top of the workshop agenda" in texts(at) and expected.agenda


def test_regional_leader_sees_headline_figures_under_the_k_rule(demo_db: str) -> None:
    expected = start.regional_start(demo_actor("regional_leader"))
    at = start_page("regional_leader")
    assert not at.exception
    shown = metrics(at)
    assert shown["Member bodies"] == "72" and shown["Submitted"] == "39"
    assert expected.overall is not None and expected.overall.n == 39
    assert all(s is None or s.n >= 5 for _c, _m, s in expected.counties)


def test_administrator_sees_the_database_counts_retention_and_failed_sign_ins(demo_db: str) -> None:
    import pytest

    from ioa_assess.services.actor import PermissionDenied

    with pytest.raises(PermissionDenied):
        sign_in("admin@demo.ioa.no", "wrong password")
    at = start_page("admin")
    assert not at.exception
    assert metrics(at)["Bodies"] and "schema" in texts(at)
    assert "Failed sign-ins in the last 7 days: 1" in texts(at)
