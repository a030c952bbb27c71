"""The questionnaire form: one dimension at a time, each answer saved the moment it is given."""

from __future__ import annotations

import streamlit as st

from ioa_assess.i18n import fmt_date
from ioa_assess.questionnaire import Question, Questionnaire
from ioa_assess.scoring import NOT_RELEVANT, progress_by_dimension
from ioa_assess.services.actor import Actor, ServiceError
from ioa_assess.services.assessments import (
    MAX_COMMENT_LENGTH,
    Answer,
    AssessmentState,
    open_assessment,
    save_answer,
)
from ioa_assess.ui.i18n import _, current_language
from ioa_assess.ui.timing import timed

STATE_KEY = "assessment-state"
DIMENSION_KEY = "assessment-dimension"
ERROR_KEY = "assessment-error"
LEVEL_OPTIONS = (1, 2, 3, 4, 5, NOT_RELEVANT)


def load_state(actor: Actor, refresh: bool = False) -> AssessmentState:
    """The assessment, read from the database once per visit (and on refresh), then kept in the session."""
    state = st.session_state.get(STATE_KEY)
    if refresh or not isinstance(state, AssessmentState):
        state = open_assessment(actor)
        st.session_state[STATE_KEY] = state
    return state


def _remember(state: AssessmentState, question_id: str, answer: Answer) -> None:
    answers = dict(state.answers)
    answers[question_id] = answer
    st.session_state[STATE_KEY] = AssessmentState(**{**state.__dict__, "answers": answers})


def _on_level(actor: Actor, state: AssessmentState, question_id: str) -> None:
    with timed("save"):
        _save(actor, state, question_id, level=st.session_state.get(f"answer-{question_id}"))


def _on_comment(actor: Actor, state: AssessmentState, question_id: str) -> None:
    _save(actor, state, question_id, comment=st.session_state.get(f"comment-{question_id}", ""))


def _save(actor: Actor, state: AssessmentState, question_id: str, **change: object) -> None:
    current: AssessmentState = st.session_state.get(STATE_KEY, state)
    try:
        answer = save_answer(actor, current.id, question_id, **change)  # type: ignore[arg-type]
    except ServiceError as exc:
        st.session_state[ERROR_KEY] = _(exc.msgid, **exc.values)
        previous = current.answers.get(question_id)
        # Put the widget back to what is stored, so the page never shows an unsaved answer.
        if "level" in change:
            st.session_state[f"answer-{question_id}"] = previous.level if previous else None
        if "comment" in change:
            st.session_state[f"comment-{question_id}"] = previous.comment if previous else ""
        return
    _remember(current, question_id, answer)


def _level_label(questionnaire: Questionnaire, question: Question, level: int, lang: str) -> str:
    if level == NOT_RELEVANT:
        return questionnaire.scale.not_relevant.get(lang)
    name = questionnaire.scale.name(level, lang)
    return f"**{level} – {name}:** {question.levels[level].get(lang)}"


def render_question(
    actor: Actor, questionnaire: Questionnaire, state: AssessmentState, question: Question
) -> None:
    lang = current_language()
    answer = state.answers.get(question.id)
    with st.container(border=True):
        st.markdown(f"### {question.title.get(lang)}")
        st.write(question.text.get(lang))
        with st.expander(_("Help for this question")):
            st.text(question.help.get(lang))
        st.radio(
            _("Choose the description that fits your organisation best"),
            LEVEL_OPTIONS,
            index=LEVEL_OPTIONS.index(answer.level) if answer and answer.level is not None else None,
            format_func=lambda level: _level_label(questionnaire, question, level, lang),
            key=f"answer-{question.id}",
            on_change=_on_level,
            args=(actor, state, question.id),
            disabled=not state.editable,
        )
        st.text_area(
            _("Comment or evidence (optional, at most {n} characters)", n=MAX_COMMENT_LENGTH),
            value=answer.comment if answer else "",
            max_chars=MAX_COMMENT_LENGTH,
            key=f"comment-{question.id}",
            on_change=_on_comment,
            args=(actor, state, question.id),
            disabled=not state.editable,
            height=80,
        )
        if answer is not None:
            st.caption(
                _(
                    "Last changed {when} by {who}",
                    when=fmt_date(answer.updated_at.astimezone(), lang),
                    who=answer.updated_by,
                )
            )


def dimension_labels(questionnaire: Questionnaire, state: AssessmentState) -> dict[str, str]:
    """dimension id -> its name with how many of its questions are answered."""
    progress = progress_by_dimension(questionnaire, state.levels())
    return {d: _dimension_label(questionnaire, d, *counts) for d, counts in progress.items()}


def _dimension_label(questionnaire: Questionnaire, dimension_id: str, answered: int, total: int) -> str:
    mark = "✓ " if answered == total else ""
    return f"{mark}{questionnaire.dimension(dimension_id).name.get(current_language())} ({answered}/{total})"


def first_unanswered(questionnaire: Questionnaire, state: AssessmentState) -> str | None:
    levels = state.levels()
    for question in questionnaire.questions:
        if question.id not in levels:
            return question.dimension
    return None
