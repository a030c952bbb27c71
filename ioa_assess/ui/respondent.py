"""One person's part where several people answer for a body: that colleagues do not see the answers,
the consent to be named when the agency lead compares them, "I am done", and what is left to agree."""

from __future__ import annotations

import streamlit as st

from ioa_assess.i18n import fmt_date
from ioa_assess.services.actor import Actor, ServiceError
from ioa_assess.services.agreement import named_to_colleagues, set_named_to_colleagues
from ioa_assess.services.assessments import AssessmentState, mark_done
from ioa_assess.ui.assessment_state import load_state
from ioa_assess.ui.i18n import _, current_language
from ioa_assess.ui.widgets import show_error

NAMED_KEY = "named-to-colleagues"
DONE_ERROR_KEY = "respondent-done-error"
NAMED_ERROR_KEY = "named-to-colleagues-error"


def _on_named(actor: Actor) -> None:
    try:
        set_named_to_colleagues(actor, bool(st.session_state.get(NAMED_KEY)))
    except ServiceError as exc:
        st.session_state[NAMED_KEY] = not st.session_state.get(NAMED_KEY)
        st.session_state[NAMED_ERROR_KEY] = exc


def own_answers_note(actor: Actor) -> None:
    """That the answers are the person's own until the agency lead compares them: said once, above
    the questions before the first answer, after that below them (on a phone the question comes first)."""
    if actor.role == "agency_lead":
        st.caption(
            _(
                "Your colleagues answer on their own and do not see each other's answers. You compare "
                "them and agree your organisation's answers under 'Compare and agree'."
            )
        )
        st.page_link("pages/agree.py", label=_("Compare and agree"), icon=":material/compare_arrows:")
        return
    st.caption(
        _(
            "Your colleagues do not see your answers while you answer; your agency lead compares "
            "everyone's answers and agrees your organisation's answers."
        )
    )
    if error := st.session_state.pop(NAMED_ERROR_KEY, None):
        show_error(error)
    if NAMED_KEY not in st.session_state:
        st.session_state[NAMED_KEY] = named_to_colleagues(actor)
    st.checkbox(
        _("Show my name beside my answers when they are compared"),
        key=NAMED_KEY,
        on_change=_on_named,
        args=(actor,),
        help=_("Otherwise your agency lead sees a letter (Respondent A, B, C) instead of your name."),
    )


def _on_done(actor: Actor, assessment_id: int, done: bool) -> None:
    try:
        mark_done(actor, assessment_id, done)
    except ServiceError as exc:
        st.session_state[DONE_ERROR_KEY] = exc
        return
    load_state(actor, refresh=True)


def done_section(actor: Actor, state: AssessmentState) -> None:
    """Below the questions: the note and consent, and "I am done", which tells the agency lead the
    answers are ready to compare (and can be taken back)."""
    with st.container(border=True, key="respondent-part"):
        own_answers_note(actor)
        _done(actor, state)


def _done(actor: Actor, state: AssessmentState) -> None:
    if error := st.session_state.pop(DONE_ERROR_KEY, None):
        show_error(error)
    if state.done_at is not None:
        st.success(
            _(
                "You said your part is done on {date}. You can still change your answers.",
                date=fmt_date(state.done_at.astimezone().date(), current_language()),
            )
        )
        st.button(
            _("I am not done after all"),
            key="respondent-not-done",
            on_click=_on_done,
            args=(actor, state.id, False),
        )
        return
    st.button(
        _("I am done"),
        key="respondent-done",
        on_click=_on_done,
        args=(actor, state.id, True),
    )
    st.caption(_("Tells your agency lead that your answers are ready to be compared."))


def to_agree_notice(actor: Actor, state: AssessmentState) -> None:
    """In the submit dialog: how many answered questions still wait for an agreed answer."""
    waiting = len(state.to_agree())
    if not waiting:
        st.success(_("Every answered question has an agreed answer."))
        return
    st.warning(_("{n} answered questions still need an agreed answer.", n=waiting))
    if actor.role == "agency_lead":
        st.page_link("pages/agree.py", label=_("Compare and agree"), icon=":material/compare_arrows:")
    else:
        st.write(_("Your agency lead agrees them under 'Compare and agree'."))
