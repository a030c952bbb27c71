"""The assessment's navigation: overall progress, one button per dimension with its count, and a
jump to the first unanswered question. A fragment of its own, rerun only when a count changes."""

from __future__ import annotations

import streamlit as st

from ioa_assess.questionnaire import Questionnaire
from ioa_assess.scoring import progress_by_dimension
from ioa_assess.services.actor import Actor
from ioa_assess.services.assessments import AssessmentState
from ioa_assess.ui.assessment_state import load_state
from ioa_assess.ui.i18n import _, current_language
from ioa_assess.ui.timing import timed

DIMENSION_KEY = "assessment-dimension"
DIMENSION_PARAM = "dimension"  # the shown dimension in the address, so that a reload opens it again
PICKER_KEY = "dimension-picker"  # the compact choice of dimension on a phone
SECTION_FRAGMENT = "assessment-section"  # the navigation and the shown dimension's questions
PROGRESS_FRAGMENT = "assessment-progress"


def shown_dimension(questionnaire: Questionnaire, state: AssessmentState) -> str:
    """The dimension on screen: the one in the address (a reload stays where it was), else where the
    work stopped: the first unanswered question."""
    known = {d.id for d in questionnaire.dimensions}
    dimension_id = st.session_state.get(DIMENSION_KEY)
    if dimension_id not in known:
        dimension_id = st.query_params.get(DIMENSION_PARAM)
    if dimension_id not in known:
        start = first_unanswered(questionnaire, state) if state.editable else None
        dimension_id = start or questionnaire.dimensions[0].id
    st.session_state[DIMENSION_KEY] = dimension_id
    st.query_params[DIMENSION_PARAM] = dimension_id
    return dimension_id


def show_dimension(dimension_id: str) -> None:
    """Button callback: show another dimension, which reruns the section, not the whole page."""
    st.session_state[DIMENSION_KEY] = dimension_id
    st.query_params[DIMENSION_PARAM] = dimension_id
    st.rerun(scope=SECTION_FRAGMENT)


def _on_pick() -> None:
    show_dimension(st.session_state[PICKER_KEY])


def dimension_picker(questionnaire: Questionnaire, state: AssessmentState, shown: str) -> None:
    """On a phone: one compact choice above the questions instead of a column of buttons (CSS shows
    either this or the buttons, by the screen's width)."""
    labels = dimension_labels(questionnaire, state)
    st.session_state[PICKER_KEY] = shown
    with st.container(key="dimension-compact"):
        st.selectbox(
            _("Dimension"),
            list(labels),
            format_func=labels.get,
            key=PICKER_KEY,
            on_change=_on_pick,
        )


@st.fragment(key=PROGRESS_FRAGMENT)
def progress_panel(actor: Actor, questionnaire: Questionnaire) -> None:
    with timed("progress"):
        _render_progress(actor, questionnaire)


def _render_progress(actor: Actor, questionnaire: Questionnaire) -> None:
    state = load_state(actor)
    answered = len(state.levels())
    total = len(questionnaire.questions)
    st.progress(
        answered / total, text=_("{answered} of {total} questions answered", answered=answered, total=total)
    )
    # Buttons, not a radio: a radio whose labels change (the counts) would reset its choice.
    shown = shown_dimension(questionnaire, state)
    labels = dimension_labels(questionnaire, state)
    with st.container(key="dimension-buttons"):
        st.markdown("**" + _("Dimensions") + "**")
        for dimension in questionnaire.dimensions:
            chosen = dimension.id == shown
            st.button(
                ("▸ " if chosen else "") + labels[dimension.id],
                key=f"dimension-{dimension.id}",
                type="primary" if chosen else "secondary",
                width="stretch",
                on_click=show_dimension,
                args=(dimension.id,),
            )
        target = first_unanswered(questionnaire, state)
        if target and state.editable:
            st.button(
                _("Go to the first unanswered question"),
                key="jump-unanswered",
                width="stretch",
                on_click=show_dimension,
                args=(target,),
            )


def dimension_labels(questionnaire: Questionnaire, state: AssessmentState) -> dict[str, str]:
    """dimension id -> its count and name; the count comes first, as a long name gets cut short."""
    lang = current_language()
    labels = {}
    for dimension_id, (answered, total) in progress_by_dimension(questionnaire, state.levels()).items():
        mark = "✓ " if answered == total else ""
        name = questionnaire.dimension(dimension_id).name.get(lang)
        labels[dimension_id] = f"{mark}{answered}/{total} · {name}"
    return labels


def first_unanswered(questionnaire: Questionnaire, state: AssessmentState) -> str | None:
    levels = state.levels()
    for question in questionnaire.questions:
        if question.id not in levels:
            return question.dimension
    return None
