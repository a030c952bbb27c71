"""Improvement plan (handlingsplan): what the body will do next, who owns it, by when, and whether it
worked at the next round. Written by the people answering for the body; its leader approves."""

import streamlit as st

from ioa_assess.i18n import fmt_date
from ioa_assess.questionnaire import load_questionnaire
from ioa_assess.reports.plan_report import addresses, change_text, status_text
from ioa_assess.services.actor import ServiceError
from ioa_assess.services.plans import plan_overview, suggestions
from ioa_assess.ui.i18n import _, current_language
from ioa_assess.ui.plan_form import PREFILL_KEY, action_form, approve_button, edit_form, prefill, start_from
from ioa_assess.ui.session import require_actor
from ioa_assess.ui.text import plain
from ioa_assess.ui.widgets import show_error

actor = require_actor("plan")
lang = current_language()
try:
    overview = plan_overview(actor)
except ServiceError as exc:
    show_error(exc)
    st.stop()
questionnaire = load_questionnaire(overview.questionnaire_version)
if PREFILL_KEY in st.session_state:  # "Make an action of this" on the results page
    prefill(questionnaire, st.session_state.pop(PREFILL_KEY), lang)

st.title(_("Improvement plan: {body}", body=overview.body_name))
st.caption(
    _(
        "What we will do to reach the next level, who owns it and by when. At the next round each action "
        "shows how the questions it addresses changed."
    )
)
cols = st.columns(3)
cols[0].metric(_("Overdue"), len(overview.overdue))
cols[1].metric(_("Due in the next 30 days"), len(overview.due_soon))
cols[2].metric(_("Done since the last round"), len(overview.done_since_last_round))

if actor.answers_for_body:
    ideas = suggestions(actor)
    if ideas:
        st.header(_("Where to start"))
        st.caption(
            _(
                "Your weakest questions that no open action addresses yet, with what the next level "
                "looks like, and the bodies in the network at level 4–5 that agreed to be named."
            )
        )
        columns = st.columns(2)
        for index, idea in enumerate(ideas):
            question = questionnaire.question(idea.question_id)
            with columns[index % 2].container(border=True):
                st.markdown(f"**{plain(question.title.get(lang))}**: {idea.level} → {idea.next_level}")
                st.text(question.levels[idea.next_level].get(lang))
                if idea.learn_from:
                    st.caption(_("Learn from: {bodies}", bodies=plain(", ".join(idea.learn_from))))
                st.button(
                    _("Start an action from this"),
                    key=f"suggest-{idea.question_id}",
                    on_click=start_from,
                    args=(questionnaire, idea.question_id, lang),
                )
    st.header(_("New action"))
    action_form(questionnaire, lang)

st.header(_("The plan"))
if not overview.actions:
    st.info(_("No actions are planned yet."))
for action in overview.actions:
    with st.container(border=True, key=f"plan-action-{action.id}"):
        st.markdown(f"**{plain(action.title)}**")
        if action.description:
            st.text(action.description)
        facts = [
            _("Status: {status}", status=status_text(action, lang)),
            _("Owner: {owner}", owner=action.owner or "–"),
            _("Due: {date}", date=fmt_date(action.due_on, lang))
            + (" (" + _("overdue") + ")" if action.overdue(overview.today) else ""),
            _("Addresses: {what}", what=addresses(action, questionnaire, lang)),
        ]
        if action.target_level:
            facts.append(_("Level aimed for: {level}", level=action.target_level))
        st.text(" · ".join(facts))
        if action.outcomes:
            st.text(_("Change at the next round: {change}", change=change_text(action, questionnaire, lang)))
        st.text(  # plain text: an e-mail address is not made a link
            _(
                "Made by {who} on {date}",
                who=action.created_by,
                date=fmt_date(action.created_on, lang),
            )
            + (
                " · "
                + _(
                    "approved by {who} on {date}",
                    who=action.approved_by or "",
                    date=fmt_date(action.approved_on, lang),
                )
                if action.approved_on
                else ""
            )
        )
        for note in action.notes:
            st.text(f"{fmt_date(note.written_at.date(), lang)} ({note.author}): {note.text}")
        if actor.role == "leader" and not action.approved_on:
            approve_button(action)
        if actor.answers_for_body:
            edit_form(questionnaire, action, lang)
