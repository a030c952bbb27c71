"""Compare and agree: the agency lead sees how the body's people answered and records the body's answers."""

import streamlit as st

from ioa_assess.questionnaire import load_questionnaire
from ioa_assess.services.actor import ServiceError
from ioa_assess.services.agreement import compare
from ioa_assess.ui.agree_views import (
    accept_medians_button,
    chosen_questions,
    counts,
    notice,
    overview_table,
    people_table,
    question_card,
)
from ioa_assess.ui.i18n import _
from ioa_assess.ui.session import require_actor
from ioa_assess.ui.text import plain
from ioa_assess.ui.widgets import show_error

actor = require_actor("agree")
try:
    comparison = compare(actor)
except ServiceError as exc:
    show_error(exc)
    st.stop()
questionnaire = load_questionnaire(comparison.questionnaire_version).worded(comparison.body_kind)

st.title(_("Compare and agree: {body}", body=plain(comparison.body_name)))
st.caption(_("Round: {round}", round=plain(comparison.round_name)))
if len(comparison.people) <= 1:
    st.info(
        _(
            "One person answers for your organisation, so their answers are the organisation's answers. "
            "There is nothing to compare or agree."
        )
    )
    st.stop()
st.write(
    _(
        "Your people answered on their own, without seeing each other's answers. Agree one answer per "
        "question that your organisation stands behind; where they are two or more levels apart, talk "
        "it through and say why in a sentence."
    )
)
if not comparison.editable:
    st.info(_("The assessment was submitted: the agreed answers can no longer be changed."))

people_table(comparison, len(questionnaire.questions))
counts(comparison)
if comparison.editable:
    accept_medians_button(actor, comparison)
    notice()
    if not comparison.open_questions:
        st.success(_("Every answered question has an agreed answer: the assessment can be submitted."))
        st.page_link("pages/assess.py", label=_("Go to the assessment"), icon=":material/send:")

st.subheader(_("Overview"))
shown = chosen_questions(comparison)
if not shown:
    st.caption(_("No questions to show here."))
else:
    overview_table(comparison, questionnaire, shown)
    st.subheader(_("Question by question"))
    for question_id in shown:
        question_card(actor, comparison, questionnaire, questionnaire.question(question_id))
