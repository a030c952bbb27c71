"""Every page for every role, run in-process with Streamlit's AppTest on the demo database."""

from __future__ import annotations

import re

import pytest
import streamlit as st
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from ioa_assess.questionnaire import load_questionnaire
from ioa_assess.services.accounts import actor_for_user
from ioa_assess.services.actor import Actor
from ioa_assess.storage.engine import session_scope
from ioa_assess.storage.models import User
from ioa_assess.ui.navigation import PAGE_ROLES
from ioa_assess.ui.text import WORD_JOINER
from tests.conftest import PROJECT

ROLES = ("participant", "agency_lead", "leader", "facilitator", "regional_leader", "admin")
PAGES = {name: f"pages/{name}.py" for name in PAGE_ROLES}


def demo_actor(role: str) -> Actor:
    with session_scope() as session:
        user = session.scalar(select(User).where(User.role == role, User.email.like("%@demo.ioa.no")))
        return actor_for_user(user)


def app_for(actor: Actor | None) -> AppTest:
    st.cache_data.clear()
    st.cache_resource.clear()
    at = AppTest.from_file(str(PROJECT / "app.py"), default_timeout=30)
    at.session_state["lang"] = "en"  # the assertions below read the English texts
    if actor is not None:
        at.session_state["actor"] = actor
    return at


def texts(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [t.value for t in at.title] + [h.value for h in at.header]
    parts += [s.value for s in at.subheader] + [c.value for c in at.caption] + [str(i.value) for i in at.info]
    parts += [str(w.value) for w in at.warning] + [str(e.value) for e in at.error]
    # As a reader sees it: Markdown escapes undone, the word joiners that stop autolinks dropped.
    return re.sub(r"\\(.)", r"\1", "\n".join(parts)).replace(WORD_JOINER, "")


def agree_everything(assessment_id: int) -> None:
    """The demo agency lead agrees an answer to every question Gjesdal's people answered."""
    from ioa_assess.services.agreement import accept_medians, agree, compare

    lead = demo_actor("agency_lead")
    accept_medians(lead, assessment_id)
    comparison = compare(lead)
    for question_id in comparison.open_questions:
        level = comparison.questions[question_id].seen.provisional()
        agree(lead, assessment_id, question_id, level, "Avklart i ledermøtet.")


def test_start_page_offers_sign_in_and_demo_accounts(demo_db: str) -> None:
    at = app_for(None).run()
    assert not at.exception
    assert at.text_input(key="signin-email") and at.text_input(key="signin-password")
    assert at.text_input(key="invite-code")
    assert "participant@demo.ioa.no" in str(at.table[0].value)


def test_sign_in_with_a_demo_account(demo_db: str) -> None:
    at = app_for(None).run()
    at.text_input(key="signin-email").input("facilitator@demo.ioa.no")
    at.text_input(key="signin-password").input("demo-facilitator-42")
    at.button(key="signin-submit").click().run()
    assert not at.exception
    assert at.session_state["actor"].role == "facilitator"


def test_a_wrong_password_gives_one_clear_message(demo_db: str) -> None:
    at = app_for(None).run()
    at.text_input(key="signin-email").input("facilitator@demo.ioa.no")
    at.text_input(key="signin-password").input("not the password")
    at.button(key="signin-submit").click().run()
    assert not at.exception
    assert len(at.error) == 1
    assert "actor" not in at.session_state


@pytest.mark.parametrize("role", ROLES)
def test_each_role_opens_exactly_its_pages(demo_db: str, role: str) -> None:
    actor = demo_actor(role)
    for name, path in PAGES.items():
        at = app_for(actor).run()
        assert not at.exception
        if role in PAGE_ROLES[name]:
            at.switch_page(path).run()
            assert not at.exception, (role, name, at.exception)
            assert not at.error, (role, name, [e.value for e in at.error])
        else:
            with pytest.raises(ValueError, match="Could not find"):
                at.switch_page(path)


def test_pages_without_sign_in_are_not_listed(demo_db: str) -> None:
    for path in PAGES.values():
        at = app_for(None).run()
        with pytest.raises(ValueError, match="Could not find"):
            at.switch_page(path)


def test_tampered_session_state_gets_no_data(demo_db: str) -> None:
    """A forged actor: the navigation may list a page, but the services refuse its data."""
    forged = Actor(role="facilitator", label="forged", network_id=999)
    at = app_for(forged).run()
    at.switch_page(PAGES["cohort"]).run()
    assert not at.exception
    assert at.error and not at.dataframe
    forged_body = Actor(role="participant", label="forged", body_id=10**6)
    at = app_for(forged_body).run()
    at.switch_page(PAGES["results"]).run()
    assert not at.exception
    assert at.error and not at.dataframe
    at = app_for(None)
    at.session_state["actor"] = {"role": "admin"}  # not an Actor: treated as signed out
    at.run()
    with pytest.raises(ValueError, match="Could not find"):
        at.switch_page(PAGES["admin"])


def test_participant_sees_the_questionnaire(demo_db: str) -> None:
    at = app_for(demo_actor("participant")).run()
    at.switch_page("pages/assess.py").run()
    assert "Gjesdal" in texts(at)
    radio = at.radio(key="answer-str-01")
    assert len(radio.options) == 6
    assert at.text_area(key="comment-str-01") is not None
    assert at.button(key="submit-assessment")


def test_results_offer_peer_groups(demo_db: str) -> None:
    at = app_for(demo_actor("participant")).run()
    at.switch_page("pages/results.py").run()
    assert not at.exception
    groups = at.selectbox(key="peer-group")
    assert "network" in groups.options or any("network" in str(o) for o in groups.options)


def test_facilitator_sees_the_cohort(demo_db: str) -> None:
    at = app_for(demo_actor("facilitator")).run()
    at.switch_page("pages/cohort.py").run()
    assert not at.exception
    assert "IOA-nettverk Sør-Vest" in texts(at)
    assert at.dataframe


def test_a_broken_questionnaire_stops_the_app_with_one_message(demo_db: str, tmp_path, monkeypatch) -> None:
    from ioa_assess import questionnaire

    broken = tmp_path / "questionnaires"
    broken.mkdir()
    (broken / "ioa-v1.yaml").write_text("id: ioa-v1\nversion: [unclosed\n", encoding="utf-8")
    monkeypatch.setattr(questionnaire, "QUESTIONNAIRE_DIR", broken)
    questionnaire.load_questionnaire.cache_clear()
    try:
        at = app_for(None).run()
        assert not at.exception
        assert len(at.error) == 1
        assert "ioa-v1.yaml" in at.error[0].value and "line 3" in at.error[0].value
    finally:
        questionnaire.load_questionnaire.cache_clear()


def test_leader_sees_trend_strengths_and_gaps(demo_db: str) -> None:
    at = app_for(demo_actor("leader")).run()
    at.switch_page(PAGES["leadership"]).run()
    assert not at.exception
    content = texts(at)
    assert "Leadership: Sandnes" in content and "Strengths" in content and "Gaps" in content
    assert len(at.get("text")) >= 6  # three strengths and three gaps, each as plain text


def test_regional_leader_sees_only_aggregates(demo_db: str) -> None:
    at = app_for(demo_actor("regional_leader")).run()
    at.switch_page(PAGES["regional"]).run()
    assert not at.exception
    assert "Region: IOA-nettverk Sør-Vest" in texts(at)
    shown = " ".join(str(df.value) for df in [*at.dataframe, *at.table])
    assert shown
    assert "Gjesdal" not in shown and "Sandnes" not in shown


def test_participant_answers_and_moves_between_dimensions(demo_db: str) -> None:
    from ioa_assess.services.assessments import open_assessment

    participant = demo_actor("participant")
    before = open_assessment(participant)
    questionnaire = load_questionnaire(before.questionnaire_version)
    total = len(questionnaire.questions)
    first_dimension, second_dimension = questionnaire.dimensions[0].id, questionnaire.dimensions[1].id
    unanswered = next(
        q.id for q in questionnaire.questions_in(first_dimension) if q.id not in before.levels()
    )
    at = app_for(participant)
    del at.session_state["lang"]  # AppTest formats options outside the run: only the default language matches
    at.run()
    at.switch_page("pages/assess.py").run()
    answered = len(before.levels())
    assert f"{answered} av {total} spørsmål besvart" in str(at.get("progress")[0].proto.text)
    at.radio(key=f"answer-{unanswered}").set_value(4).run()
    assert not at.exception
    assert open_assessment(participant).levels()[unanswered] == 4
    assert f"{answered + 1} av {total} spørsmål besvart" in str(at.get("progress")[0].proto.text)
    at.button(key=f"dimension-{second_dimension}").click().run()
    assert not at.exception
    assert at.radio(key=f"answer-{questionnaire.questions_in(second_dimension)[0].id}") is not None
    assert "Organisering og kompetanse" in [h.value for h in at.header]


def test_a_click_after_a_submit_in_another_tab_shows_the_page_read_only(demo_db: str) -> None:
    from ioa_assess.i18n import translate
    from ioa_assess.services.assessments import open_assessment, submit_assessment

    participant = demo_actor("participant")
    state = open_assessment(participant)
    agree_everything(state.id)
    at = app_for(participant)
    del at.session_state["lang"]  # AppTest formats options outside the run: only the default language matches
    at.run()
    at.switch_page("pages/assess.py").run()
    submit_assessment(participant, state.id)  # in another tab
    first = next(r.key for r in at.radio if r.key.startswith("answer-"))
    at.radio(key=first).set_value(5).run()
    assert not at.exception
    refused = translate("nb", "The assessment has been submitted and can no longer be changed.")
    read_only = translate(
        "nb", "This assessment was submitted and is read-only. A facilitator can reopen it."
    )
    assert refused in texts(at) and read_only in texts(at)
    assert all(r.disabled for r in at.radio if r.key.startswith("answer-"))
    question_id = first.removeprefix("answer-")
    assert open_assessment(participant).answers.get(question_id) == state.answers.get(question_id)


def test_results_say_in_words_what_changed_since_the_previous_round(demo_db: str) -> None:
    from ioa_assess.i18n import fmt_number
    from ioa_assess.services.results import standing

    leader = demo_actor("leader")  # Sandnes answered both demo rounds
    result = standing(leader)
    assert result.previous_round_name and result.previous_overall
    at = app_for(leader).run()
    at.switch_page(PAGES["results"]).run()
    assert not at.exception
    before, now = fmt_number(result.previous_overall, "en"), fmt_number(result.result.overall.value, "en")
    overall = next(m for m in at.metric if m.label == "Overall maturity")
    if before == now:
        # Unchanged at one decimal: said in words, with no arrow (a green "↑ 0.0" reads as progress).
        assert f"Unchanged since {result.previous_round_name}: {now}." in texts(at)
        assert not overall.proto.delta
    else:
        assert f"Since {result.previous_round_name}: from {before} to {now}." in texts(at)
        assert overall.proto.delta.lstrip("+-") == fmt_number(
            abs(result.result.overall.value - result.previous_overall), "en"
        )


def test_a_change_shows_its_arrow_and_sign(demo_db: str) -> None:
    from ioa_assess.ui.headline import signed

    assert signed(0.04, "nb") == "0,0" and signed(-0.04, "nb") == "0,0"  # no arrow for nothing
    assert signed(0.26, "nb") == "+0,3" and signed(-0.36, "nb") == "-0,4"
    assert signed(0.3, "en") == "+0.3"
