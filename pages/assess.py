"""The assessment: one dimension at a time, autosaved answers, and submit."""

import streamlit as st

from ioa_assess.i18n import fmt_date
from ioa_assess.questionnaire import load_questionnaire
from ioa_assess.services.actor import ServiceError
from ioa_assess.services.assessments import submit_assessment, unanswered_questions
from ioa_assess.ui.assessment_form import questionnaire_section
from ioa_assess.ui.assessment_state import load_state, several_voices
from ioa_assess.ui.i18n import _, current_language
from ioa_assess.ui.respondent import done_section, own_answers_note, to_agree_notice
from ioa_assess.ui.session import require_actor
from ioa_assess.ui.text import plain
from ioa_assess.ui.widgets import show_error

actor = require_actor("assess")
lang = current_language()
try:
    state = load_state(actor)
except ServiceError as exc:
    show_error(exc)
    st.stop()
questionnaire = load_questionnaire(state.questionnaire_version).worded(state.body_kind)

st.title(_("Assessment: {body}", body=plain(state.body_name)))
st.caption(
    _("Round: {round} · closes {date}", round=plain(state.round_name), date=fmt_date(state.closes_on, lang))
)
if questionnaire.minutes and state.editable and not state.levels():
    # Said once, before the first answer; after that the question comes first (on a phone too).
    st.info(
        _(
            "Answering takes about {n} minutes. Every answer is saved at once, so you can stop and "
            "come back. Choose 'don't know' where you need to find out; it is listed on your results.",
            n=questionnaire.minutes,
        )
    )
if several_voices(state) and state.editable and not state.answers:
    own_answers_note(actor)
if not state.editable:
    st.info(_("This assessment was submitted and is read-only. A facilitator can reopen it."))
    st.page_link("pages/results.py", label=_("See your results"), icon=":material/insights:")


@st.dialog(_("Submit the assessment?"))
def confirm_submit() -> None:
    current = load_state(actor, refresh=True)
    if several_voices(current):
        to_agree_notice(actor, current)  # first: submitting waits for these
    missing = unanswered_questions(questionnaire, current)
    if missing:
        st.warning(_("{n} questions are not answered:", n=len(missing)))
        st.markdown("\n".join(f"- {questionnaire.question(q).title.get(lang)}" for q in missing))
    else:
        st.success(_("Every question is answered."))
    st.write(_("After submitting, nobody in your organisation can change the answers."))
    if st.button(_("Yes, submit"), key="confirm-submit", type="primary"):
        try:
            submit_assessment(actor, current.id)
        except ServiceError as exc:
            show_error(exc)
            return
        load_state(actor, refresh=True)
        st.rerun()


questionnaire_section(actor, questionnaire)
if several_voices(state) and state.editable and state.answers:
    done_section(actor, state)
if state.editable and st.button(_("Submit the assessment"), key="submit-assessment", type="primary"):
    confirm_submit()
