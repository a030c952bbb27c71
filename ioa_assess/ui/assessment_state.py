"""The assessment as this browser session knows it: read once per visit, kept in step with each save."""

from __future__ import annotations

import streamlit as st

from ioa_assess.services.actor import Actor
from ioa_assess.services.assessments import Answer, AssessmentState, open_assessment

STATE_KEY = "assessment-state"


def load_state(actor: Actor, refresh: bool = False) -> AssessmentState:
    """The assessment, read from the database once per visit (and on refresh), then kept in the session."""
    state = st.session_state.get(STATE_KEY)
    if refresh or not isinstance(state, AssessmentState):
        state = open_assessment(actor)
        st.session_state[STATE_KEY] = state
    return state


def remember(state: AssessmentState, question_id: str, answer: Answer) -> None:
    answers = dict(state.answers)
    answers[question_id] = answer
    # The person's first answer makes them one of the people answering for the body.
    respondents = state.respondents + (0 if state.answers else 1)
    st.session_state[STATE_KEY] = AssessmentState(
        **{**state.__dict__, "answers": answers, "respondents": respondents}
    )


def forget_state() -> None:
    """The next run reads the assessment from the database again."""
    st.session_state.pop(STATE_KEY, None)


def several_voices(state: AssessmentState) -> bool:
    """Several people answer for the body: someone else has answered, or more than one has."""
    return state.several or (state.respondents == 1 and not state.answers)
