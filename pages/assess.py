"""The assessment: one dimension at a time, autosaved answers, and submit."""

import streamlit as st

from ioa_assess.i18n import fmt_date
from ioa_assess.questionnaire import load_questionnaire
from ioa_assess.services.actor import ServiceError
from ioa_assess.services.assessments import submit_assessment, unanswered_questions
from ioa_assess.ui.assessment_form import (
    DIMENSION_KEY,
    ERROR_KEY,
    dimension_labels,
    first_unanswered,
    load_state,
    render_question,
)
from ioa_assess.ui.i18n import _, current_language
from ioa_assess.ui.session import require_actor
from ioa_assess.ui.timing import timed
from ioa_assess.ui.widgets import show_error

actor = require_actor("assess")
lang = current_language()
try:
    state = load_state(actor)
except ServiceError as exc:
    show_error(exc)
    st.stop()
questionnaire = load_questionnaire(state.questionnaire_version)
dimension_ids = [d.id for d in questionnaire.dimensions]

st.title(_("Assessment: {body}", body=state.body_name))
st.caption(_("Round: {round} · closes {date}", round=state.round_name, date=fmt_date(state.closes_on, lang)))
if not state.editable:
    st.info(_("This assessment was submitted and is read-only. A facilitator can reopen it."))
    st.page_link("pages/results.py", label=_("See your results"), icon=":material/insights:")


@st.dialog(_("Submit the assessment?"))
def confirm_submit() -> None:
    current = load_state(actor, refresh=True)
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


def show_dimension(dimension_id: str) -> None:
    st.session_state[DIMENSION_KEY] = dimension_id


@st.fragment
def questionnaire_section() -> None:
    with timed("render"):
        render_section()


def render_section() -> None:
    current = load_state(actor)
    answered = len(current.levels())
    total = len(questionnaire.questions)
    st.progress(
        answered / total, text=_("{answered} of {total} questions answered", answered=answered, total=total)
    )
    if error := st.session_state.pop(ERROR_KEY, None):
        st.error(error)
    if st.session_state.get(DIMENSION_KEY) not in dimension_ids:
        st.session_state[DIMENSION_KEY] = dimension_ids[0]
    nav, body = st.columns([1, 3], gap="large")
    with nav:
        # Buttons, not a radio: a radio whose labels change (the counts) would reset its choice.
        st.markdown(f"**{_('Dimensions')}**")
        labels = dimension_labels(questionnaire, current)
        for dimension_id in dimension_ids:
            chosen = dimension_id == st.session_state[DIMENSION_KEY]
            st.button(
                ("▸ " if chosen else "") + labels[dimension_id],
                key=f"dimension-{dimension_id}",
                type="primary" if chosen else "secondary",
                width="stretch",
                on_click=show_dimension,
                args=(dimension_id,),
            )
        target = first_unanswered(questionnaire, current)
        if target and current.editable:
            st.button(
                _("Go to the first unanswered question"),
                key="jump-unanswered",
                on_click=show_dimension,
                args=(target,),
            )
    with body:
        dimension = questionnaire.dimension(st.session_state[DIMENSION_KEY])
        st.header(dimension.name.get(lang))
        st.write(dimension.description.get(lang))
        for question in questionnaire.questions_in(dimension.id):
            render_question(actor, questionnaire, current, question)
        position = dimension_ids.index(dimension.id)
        if position + 1 < len(dimension_ids):
            st.button(
                _("Next dimension"),
                key="next-dimension",
                on_click=show_dimension,
                args=(dimension_ids[position + 1],),
            )


questionnaire_section()
if state.editable and st.button(_("Submit the assessment"), key="submit-assessment", type="primary"):
    confirm_submit()
