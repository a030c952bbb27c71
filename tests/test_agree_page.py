"""Several people answer for Gjesdal in the demo: the agency lead compares and agrees on "Compare and
agree"; each person answers on their own, with how sure each answer is, and says when they are done."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from ioa_assess.i18n import fmt_date, translate
from ioa_assess.questionnaire import load_questionnaire
from ioa_assess.seed_colleagues import COLLEAGUES, COMMENTS
from ioa_assess.services.actor import Actor
from ioa_assess.services.agreement import compare
from ioa_assess.services.assessments import open_assessment
from ioa_assess.storage.engine import session_scope
from ioa_assess.storage.models import AnswerSet, PersonalAnswer, Respondent
from ioa_assess.ui.text import plain
from tests.test_pages import app_for, demo_actor
from tests.test_pages import texts as _texts

NB = "nb"


def _nb(msgid: str, **values: object) -> str:
    return translate(NB, msgid, **values)


def _open(actor: Actor, page: str) -> AppTest:
    at = app_for(actor)
    del at.session_state["lang"]  # AppTest formats options outside the run: only the default language matches
    at.run()
    at.switch_page(f"pages/{page}.py").run()
    assert not at.exception, at.exception
    return at


def texts(at: AppTest) -> str:
    """What the page says, success messages included."""
    return _texts(at) + "\n" + "\n".join(str(s.value) for s in at.success)


def _links(at: AppTest) -> list[str]:
    return [link.proto.label for link in at.get("page_link")]


def _table_text(at: AppTest) -> str:
    return "\n".join(t.value.to_string() for t in at.table)


def test_the_lead_sees_who_answered_and_where_they_are_apart(demo_db: str) -> None:
    lead = demo_actor("agency_lead")
    seen = compare(lead)
    at = _open(lead, "agree")
    people = at.table[0].value.to_string()
    for label, _named in COLLEAGUES[:1]:
        assert label in people
    assert "Innkjøper, Gjesdal" in people
    assert "Respondent C" in people
    assert COLLEAGUES[1][0] not in _table_text(at) + texts(at)  # not named: never by name
    done = next(p.done_at for p in seen.people if p.done_at)
    assert _nb("Done {date}", date=fmt_date(done.astimezone().date(), NB)) in people
    assert _nb("Not yet") in people
    metrics = {m.label: m.value for m in at.metric}
    assert metrics[_nb("Questions to agree")] == str(len(seen.open_questions))
    assert metrics[_nb("Two or more levels apart")] == str(len(seen.apart_questions))
    # By default the page lists the questions that need a decision, each apart one marked.
    open_apart = [q for q in seen.open_questions if seen.questions[q].seen.apart]
    assert open_apart
    badges = [m.value for m in at.markdown if "badge" in m.value]
    assert len(badges) == len(open_apart)
    for question_id in seen.open_questions:
        assert at.radio(key=f"agreed-{question_id}").value == seen.questions[question_id].seen.provisional()


def test_accepting_the_medians_agrees_the_settled_questions_only(demo_db: str) -> None:
    lead = demo_actor("agency_lead")
    before = compare(lead)
    settled = before.settled_open
    assert settled
    at = _open(lead, "agree")
    at.button(key="accept-medians").click().run()
    assert not at.exception
    assert _nb("The median is now the agreed answer to {n} questions.", n=len(settled)) in texts(at)
    after = compare(lead)
    for question_id in settled:
        agreed = after.questions[question_id].agreed
        assert agreed is not None and agreed.level == before.questions[question_id].seen.provisional()
    assert after.open_questions == [q for q in before.open_questions if q not in settled]
    assert all(after.questions[q].seen.apart for q in after.open_questions)  # what is left needs a talk
    assert at.button(key="accept-medians").disabled


def test_an_apart_question_needs_a_reason_before_it_is_agreed(demo_db: str) -> None:
    lead = demo_actor("agency_lead")
    before = compare(lead)
    question_id = next(q for q in before.open_questions if before.questions[q].seen.apart)
    level = before.questions[question_id].seen.highest
    at = _open(lead, "agree")
    at.radio(key=f"agreed-{question_id}").set_value(level)
    at.button(key=f"agreed-save-{question_id}").click().run()
    assert not at.exception
    refused = _nb(
        "Your people are two or more levels apart here: say in a sentence why you agreed this level."
    )
    assert [e.value for e in at.error] == [refused]
    assert compare(lead).questions[question_id].agreed is None  # nothing changed

    reason = "Vi så på **rutinen** sammen: den er i bruk i to av tre sektorer."
    at.text_input(key=f"agreed-reason-{question_id}").input(reason)
    at.button(key=f"agreed-save-{question_id}").click().run()
    assert not at.exception and not at.error
    agreed = compare(lead).questions[question_id].agreed
    assert agreed is not None and (agreed.level, agreed.reason, agreed.agreement) == (level, reason, "agreed")
    title = load_questionnaire().question(question_id).title.get(NB)
    assert _nb("The agreed answer to «{question}» is saved.", question=title) in texts(at)
    # It left the list of decisions.
    assert f"agreed-{question_id}" not in [r.key for r in at.radio]
    assert f"agreed-save-{question_id}" not in [b.key for b in at.button]

    # Every answered question shows the agreed answer with its reason, as typed.
    at.radio(key="agree-filter").set_value("all").run()
    assert not at.exception
    raw = "\n".join(m.value for m in at.markdown)
    assert _nb("**Reason:** {reason}", reason=plain(reason)) in raw  # escaped: shown exactly as typed


def test_the_compare_page_is_the_agency_leads_only(demo_db: str) -> None:
    participant = demo_actor("participant")
    at = app_for(participant).run()
    with pytest.raises(ValueError, match="Could not find"):
        at.switch_page("pages/agree.py")
    at.switch_page("pages/assess.py").run()
    assert "Compare and agree" not in _links(at)  # no way to it from the form either


def test_a_participant_sees_only_their_own_answers_in_the_form(demo_db: str) -> None:
    participant = demo_actor("participant")
    own = open_assessment(participant)
    questionnaire = load_questionnaire(own.questionnaire_version)
    at = _open(participant, "assess")
    said = texts(at)
    shown_levels, shown_comments = {}, []
    for dimension in questionnaire.dimensions:
        at.button(key=f"dimension-{dimension.id}").click().run()
        assert not at.exception
        for question in questionnaire.questions_in(dimension.id):
            shown_levels[question.id] = at.radio(key=f"answer-{question.id}").value
            shown_comments.append(at.text_area(key=f"comment-{question.id}").value)
    assert shown_levels == {q.id: own.levels().get(q.id) for q in questionnaire.questions}
    assert not any(comment in shown_comments for comment in COMMENTS)  # the colleagues' comments
    assert (
        _nb(
            "Your colleagues do not see your answers while you answer; your agency lead compares "
            "everyone's answers and agrees your organisation's answers."
        )
        in said
    )


def _stored(actor: Actor, question_id: str) -> tuple[str, str]:
    answer = open_assessment(actor).answers[question_id]
    return answer.evidence, answer.evidence_ref


def test_evidence_is_saved_at_once_and_survives_a_reload(demo_db: str) -> None:
    participant = demo_actor("participant")
    at = _open(participant, "assess")
    question_id = next(
        r.key.removeprefix("evidence-")
        for r in at.radio
        if r.key.startswith("evidence-") and r.value == "self"
    )
    assert _stored(participant, question_id)[0] == "self"
    assert f"evidence-ref-{question_id}" not in [t.key for t in at.text_input]  # self-declared: no reference
    at.radio(key=f"evidence-{question_id}").set_value("documented").run()
    assert not at.exception
    assert _stored(participant, question_id) == ("documented", "")
    reference = at.text_input(key=f"evidence-ref-{question_id}")
    assert reference.label == _nb("Document or link")
    reference.input("Rutine for markedsdialog, versjon 2").run()
    assert _stored(participant, question_id) == ("documented", "Rutine for markedsdialog, versjon 2")

    # A reference that cannot be stored: one message on the question, and the field put back.
    at.text_input(key=f"evidence-ref-{question_id}").input("bad\x00text").run()
    assert not at.exception
    assert [e.value for e in at.error] == [_nb("The text contains a character that cannot be stored.")]
    assert at.text_input(key=f"evidence-ref-{question_id}").value == "Rutine for markedsdialog, versjon 2"
    assert _stored(participant, question_id) == ("documented", "Rutine for markedsdialog, versjon 2")

    reloaded = _open(participant, "assess")
    assert reloaded.radio(key=f"evidence-{question_id}").value == "documented"
    assert (
        reloaded.text_input(key=f"evidence-ref-{question_id}").value == "Rutine for markedsdialog, versjon 2"
    )
    reloaded.radio(key=f"evidence-{question_id}").set_value("verified").run()
    assert reloaded.text_input(key=f"evidence-ref-{question_id}").label == _nb("Verified by")
    assert _stored(participant, question_id)[0] == "verified"


def _own_set(label: str) -> AnswerSet:
    with session_scope() as session:
        return session.scalar(
            select(AnswerSet)
            .join(Respondent, Respondent.id == AnswerSet.respondent_id)
            .where(Respondent.label == label)
        )


def test_consent_to_be_named_and_done_reach_the_lead(demo_db: str) -> None:
    participant, lead = demo_actor("participant"), demo_actor("agency_lead")
    assert compare(lead).people[0].label == "Innkjøper, Gjesdal"
    at = _open(participant, "assess")
    assert at.checkbox(key="named-to-colleagues").value is True
    at.checkbox(key="named-to-colleagues").uncheck().run()
    assert not at.exception
    assert compare(lead).people[0].label is None
    assert "Respondent A" in _open(lead, "agree").table[0].value.to_string()

    at.button(key="respondent-done").click().run()
    assert not at.exception
    done_at = compare(lead).people[0].done_at
    assert done_at is not None
    assert any(
        _nb("You said your part is done on {date}. You can still change your answers.", date="")[:20]
        in s.value
        for s in at.success
    )
    at.button(key="respondent-not-done").click().run()
    assert compare(lead).people[0].done_at is None
    assert at.button(key="respondent-done")


def test_submitting_waits_for_the_agreed_answers(demo_db: str) -> None:
    lead = demo_actor("agency_lead")
    waiting = len(open_assessment(lead).to_agree())
    at = _open(lead, "assess")
    at.button(key="submit-assessment").click().run()
    assert not at.exception
    assert _nb("{n} answered questions still need an agreed answer.", n=waiting) in texts(at)
    assert _nb("Compare and agree") in _links(at)  # the lead goes straight to the comparison
    assert open_assessment(lead).status == "draft"


def test_one_respondent_keeps_the_single_form(demo_db: str) -> None:
    """A body where one person answers: no note about colleagues, no consent, no "I am done"."""
    participant = demo_actor("participant")
    with session_scope(write=True) as session:
        own = _own_set("Innkjøper, Gjesdal")
        others = session.scalars(
            select(AnswerSet.id).where(AnswerSet.assessment_id == own.assessment_id, AnswerSet.id != own.id)
        ).all()
        for answer in session.scalars(select(PersonalAnswer).where(PersonalAnswer.answer_set_id.in_(others))):
            session.delete(answer)
        session.flush()
        for answer_set in session.scalars(select(AnswerSet).where(AnswerSet.id.in_(others))):
            session.delete(answer_set)
    at = _open(participant, "assess")
    assert "named-to-colleagues" not in [c.key for c in at.checkbox]
    assert "respondent-done" not in [b.key for b in at.button]
    assert _nb("Show my name beside my answers when they are compared") not in texts(at)
    assert "Kollega" not in texts(at)
    lead_page = _open(demo_actor("agency_lead"), "agree")
    assert _nb(
        "One person answers for your organisation, so their answers are the organisation's answers. "
        "There is nothing to compare or agree."
    ) in texts(lead_page)


def test_after_submitting_the_comparison_is_read_only(demo_db: str) -> None:
    from ioa_assess.services.assessments import submit_assessment
    from tests.test_pages import agree_everything

    lead = demo_actor("agency_lead")
    state = open_assessment(lead)
    agree_everything(state.id)
    at = _open(lead, "agree")
    assert _nb("Every answered question has an agreed answer: the assessment can be submitted.") in texts(at)
    submit_assessment(lead, state.id)
    at = _open(lead, "agree")
    assert _nb("The assessment was submitted: the agreed answers can no longer be changed.") in texts(at)
    at.radio(key="agree-filter").set_value("all").run()
    assert not at.exception
    assert not [b.key for b in at.button if b.key and b.key.startswith(("agreed-save-", "accept-medians"))]
    assert not [r.key for r in at.radio if r.key and r.key.startswith("agreed-")]
    assert _nb("**Reason:** {reason}", reason="Avklart i ledermøtet.") in "\n".join(
        m.value for m in at.markdown
    )
