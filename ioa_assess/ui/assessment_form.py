"""The questionnaire form: one dimension at a time, each answer saved the moment it is given.

Each question is a fragment of its own, so a click on a level stores the answer and redraws that
question only; the navigation is redrawn too when the click changed how many are answered.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

import streamlit as st

from ioa_assess.i18n import fmt_date
from ioa_assess.questionnaire import Question, Questionnaire
from ioa_assess.reports.questionnaire_doc import answer_name, answer_options, below_legal_text, legal_lines
from ioa_assess.scoring import is_level
from ioa_assess.services.actor import Actor, PermissionDenied, ServiceError
from ioa_assess.services.assessments import MAX_COMMENT_LENGTH, MAX_EVIDENCE_REF_LENGTH, Answer, save_answer
from ioa_assess.ui.assessment_nav import (
    PROGRESS_FRAGMENT,
    SECTION_FRAGMENT,
    dimension_picker,
    progress_panel,
    show_dimension,
    shown_dimension,
)
from ioa_assess.ui.assessment_state import forget_state, load_state, remember, several_voices
from ioa_assess.ui.evidence import EVIDENCE_NAMES, evidence_name, reference_label
from ioa_assess.ui.i18n import _, current_language
from ioa_assess.ui.text import plain, plain_values
from ioa_assess.ui.timing import timed


def _error_key(question_id: str) -> str:
    return f"assessment-error-{question_id}"


def _fragment_key(question_id: str) -> str:
    return f"assessment-question-{question_id}"


def _on_level(actor: Actor, question_id: str) -> None:
    first = not load_state(actor).answers
    with timed("save"):
        before, after = _save(actor, question_id, level=st.session_state.get(f"answer-{question_id}"))
    if first and after is not None and several_voices(load_state(actor)):
        # The person's first answer beside colleagues': the page gains the consent and "I am done".
        st.rerun()
    if _is_answer(before) != _is_answer(after):
        # The counts changed: redraw the navigation as well as this question.
        st.rerun(scope=[PROGRESS_FRAGMENT, _fragment_key(question_id)])


def _on_comment(actor: Actor, question_id: str) -> None:
    _save(actor, question_id, comment=st.session_state.get(f"comment-{question_id}", ""))


def _on_evidence(actor: Actor, question_id: str) -> None:
    _save(actor, question_id, evidence=st.session_state.get(f"evidence-{question_id}") or "self")


def _on_evidence_ref(actor: Actor, question_id: str) -> None:
    _save(actor, question_id, evidence_ref=st.session_state.get(f"evidence-ref-{question_id}", ""))


def _is_answer(answer: Answer | None) -> bool:
    return answer is not None and answer.level is not None


def _save(actor: Actor, question_id: str, **change: object) -> tuple[Answer | None, Answer | None]:
    """Store one change; returns the answer before and after (unchanged when it was refused)."""
    current = load_state(actor)
    previous = current.answers.get(question_id)
    try:
        answer = save_answer(actor, current.id, question_id, **change)  # type: ignore[arg-type]
    except ServiceError as exc:
        st.session_state[_error_key(question_id)] = _(exc.msgid, **plain_values(exc.values))
        # Put the widget back to what is stored, so the page never shows an unsaved answer.
        if "level" in change:
            st.session_state[f"answer-{question_id}"] = previous.level if previous else None
        if "comment" in change:
            st.session_state[f"comment-{question_id}"] = previous.comment if previous else ""
        if "evidence" in change:
            st.session_state[f"evidence-{question_id}"] = previous.evidence if previous else "self"
        if "evidence_ref" in change:
            st.session_state[f"evidence-ref-{question_id}"] = previous.evidence_ref if previous else ""
        if isinstance(exc, PermissionDenied):
            # Submitted in another tab, the round closed, or the sign-in withdrawn: read the
            # assessment again and redraw the whole page, which also checks the sign-in.
            forget_state()
            st.rerun()
        return previous, previous
    remember(current, question_id, answer)
    return previous, answer


def _level_label(questionnaire: Questionnaire, question: Question, level: int, lang: str) -> str:
    if not is_level(level):
        return answer_name(questionnaire, level, lang)
    name = questionnaire.scale.name(level, lang)
    label = f"**{level} – {name}:** {question.levels[level].get(lang)}"
    if question.below_legal_minimum(level):
        label += f" :orange[({below_legal_text(lang)})]"
    return label


def render_question(actor: Actor, questionnaire: Questionnaire, question: Question) -> None:
    lang = current_language()
    state = load_state(actor)
    answer = state.answers.get(question.id)
    with st.container(border=True, key=f"question-{question.id}"):
        st.markdown(f"### {question.title.get(lang)}")
        if state.editable and (answer is None or answer.level is None):
            st.badge(_("Not answered yet"), color="orange")
        st.write(question.text.get(lang))
        with st.expander(_("Help for this question")):
            st.text(question.help.get(lang))
            legal = legal_lines(questionnaire, question, lang)
            if legal:
                st.caption(_("What the law says"))
                st.text("\n".join(f"§ {line}" for line in legal))
        if error := st.session_state.pop(_error_key(question.id), None):
            st.error(error)
        options = answer_options(questionnaire, question)
        if answer and answer.level is not None and answer.level not in options:
            options = (*options, answer.level)  # keep showing what is stored
        st.radio(
            _("Choose the description that fits your organisation best"),
            options,
            index=options.index(answer.level) if answer and answer.level is not None else None,
            format_func=lambda level: _level_label(questionnaire, question, level, lang),
            key=f"answer-{question.id}",
            on_change=_on_level,
            args=(actor, question.id),
            disabled=not state.editable,
        )
        if answer is not None and is_level(answer.level):
            _evidence_fields(actor, question.id, answer, state.editable)
        st.text_area(
            _("Comment or evidence (optional, at most {n} characters)", n=MAX_COMMENT_LENGTH),
            value=answer.comment if answer else "",
            max_chars=MAX_COMMENT_LENGTH,
            key=f"comment-{question.id}",
            on_change=_on_comment,
            args=(actor, question.id),
            disabled=not state.editable,
            height=80,
        )
        if state.editable:
            st.caption(_("The comment is saved when you leave the field."))
        if answer is not None:
            st.caption(
                _(
                    "Last changed {when} by {who}",
                    when=fmt_date(answer.updated_at.astimezone(), lang),
                    who=plain(answer.updated_by),
                )
            )


def _evidence_fields(actor: Actor, question_id: str, answer: Answer, editable: bool) -> None:
    """How sure the answer is, and the document, link or person behind it; each saved at once."""
    kinds = list(EVIDENCE_NAMES)
    kind = st.radio(
        _("How sure is this answer?"),
        kinds,
        index=kinds.index(answer.evidence) if answer.evidence in kinds else 0,
        format_func=evidence_name,
        key=f"evidence-{question_id}",
        on_change=_on_evidence,
        args=(actor, question_id),
        disabled=not editable,
        horizontal=True,
    )
    if kind != "self":
        st.text_input(
            reference_label(kind),
            value=answer.evidence_ref,
            max_chars=MAX_EVIDENCE_REF_LENGTH,
            key=f"evidence-ref-{question_id}",
            on_change=_on_evidence_ref,
            args=(actor, question_id),
            disabled=not editable,
        )


@cache
def _question_fragment(question_id: str) -> Callable[[Actor, Questionnaire, Question], None]:
    """The fragment for one question. Streamlit tells fragments apart by their function's name,
    and a keyed rerun needs one fragment per key, so each question gets a function of its own."""

    def question_fragment(actor: Actor, questionnaire: Questionnaire, question: Question) -> None:
        with timed("render"):
            render_question(actor, questionnaire, question)

    question_fragment.__qualname__ = f"question_fragment_{question_id}"
    return st.fragment(question_fragment, key=_fragment_key(question_id))


# A comment is stored when its field is left (Streamlit sends a text area's value then). Until then,
# leaving or reloading the page asks first, so that a typed comment is never lost without a warning.
UNSAVED_COMMENT_GUARD = """
<script>
if (!window.ioaCommentGuard) {
  window.ioaCommentGuard = true;
  window.ioaUnsavedComment = false;
  const isComment = (el) => el && el.tagName === "TEXTAREA" && el.closest("[class*='st-key-comment-']");
  const mark = (unsaved) => (e) => { if (isComment(e.target)) window.ioaUnsavedComment = unsaved; };
  document.addEventListener("input", mark(true), true);
  document.addEventListener("focusout", mark(false), true);
  window.addEventListener("beforeunload", (e) => {
    if (window.ioaUnsavedComment) { e.preventDefault(); e.returnValue = ""; }
  });
}
</script>
"""


@st.fragment(key=SECTION_FRAGMENT)
def questionnaire_section(actor: Actor, questionnaire: Questionnaire) -> None:
    """The navigation beside the shown dimension's questions."""
    lang = current_language()
    st.html(UNSAVED_COMMENT_GUARD, unsafe_allow_javascript=True)
    nav, body = st.columns([4, 9], gap="large")
    with nav:
        progress_panel(actor, questionnaire)
    with body:
        state = load_state(actor)
        dimension = questionnaire.dimension(shown_dimension(questionnaire, state))
        dimension_picker(questionnaire, state, dimension.id)
        st.header(dimension.name.get(lang))
        st.write(dimension.description.get(lang))
        for question in questionnaire.questions_in(dimension.id):
            _question_fragment(question.id)(actor, questionnaire, question)
        dimension_ids = [d.id for d in questionnaire.dimensions]
        position = dimension_ids.index(dimension.id)
        if position + 1 < len(dimension_ids):
            st.button(
                _("Next dimension"),
                key="next-dimension",
                on_click=show_dimension,
                args=(dimension_ids[position + 1],),
            )
