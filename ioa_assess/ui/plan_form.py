"""The forms of the improvement plan: a new action (prefilled from a weak question), and changing one
with a progress note. Writes happen in the submit callbacks, so the page drawn next shows them."""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from ioa_assess.questionnaire import Questionnaire
from ioa_assess.services.actor import ServiceError
from ioa_assess.services.plans import (
    STATUS_NAMES,
    ActionDraft,
    ActionView,
    add_action,
    approve_action,
    change_action,
    draft_of,
    latest_level,
)
from ioa_assess.storage.models import ACTION_STATUSES
from ioa_assess.ui.i18n import _
from ioa_assess.ui.session import current_actor
from ioa_assess.ui.widgets import show_error

PREFILL_KEY = "plan-prefill"  # a question id, set by the results page's "Make an action of this"
MESSAGE_KEY = "plan-message"
LEVELS = (None, 1, 2, 3, 4, 5)
NEW_FIELDS = {
    "action-title": "",
    "action-what": "",
    "action-question": "",
    "action-level": None,
    "action-owner": "",
    "action-due": None,
    "action-status": "planned",
}


def _subjects(questionnaire: Questionnaire) -> list[str]:
    """The choices of "addresses": nothing, a whole dimension ("dim:<id>") or one question."""
    return ["", *(f"dim:{d.id}" for d in questionnaire.dimensions), *(q.id for q in questionnaire.questions)]


def _subject_name(questionnaire: Questionnaire, lang: str):  # type: ignore[no-untyped-def]
    def name(subject: str) -> str:
        if not subject:
            return _("Choose a question or a dimension")
        if subject.startswith("dim:"):
            return _("Dimension: {name}", name=questionnaire.dimension(subject[4:]).name.get(lang))
        return f"{subject} · {questionnaire.question(subject).title.get(lang)}"

    return name


def _status_name(status: str) -> str:
    return _(STATUS_NAMES[status])


def _level_name(level: int | None) -> str:
    return _("Not set") if level is None else str(level)


def prefill(questionnaire: Questionnaire, question_id: str, lang: str) -> None:
    """Start the new-action form from a question: its next level is what will be done."""
    if question_id not in questionnaire.dimension_of():
        return
    question = questionnaire.question(question_id)
    actor = current_actor()
    level = latest_level(actor, question_id) if actor else None
    target = min(5, (level or 0) + 1)
    st.session_state["action-title"] = _(
        "Reach level {level} in “{question}”", level=target, question=question.title.get(lang)
    )
    st.session_state["action-what"] = question.levels[target].get(lang)
    st.session_state["action-question"] = question_id
    st.session_state["action-level"] = target


start_from = prefill  # the suggestions' buttons call it as their callback


def open_plan_with(question_id: str) -> None:
    """Go to the plan page with the new-action form started from `question_id`."""
    st.session_state[PREFILL_KEY] = question_id
    st.switch_page("pages/plan.py")


def _draft_from_widgets() -> ActionDraft:
    subject = st.session_state["action-question"] or ""
    return ActionDraft(
        title=st.session_state["action-title"] or "",
        description=st.session_state["action-what"] or "",
        question_ids=(subject,) if subject and not subject.startswith("dim:") else (),
        dimension_id=subject[4:] if subject.startswith("dim:") else None,
        target_level=st.session_state["action-level"],
        owner=st.session_state["action-owner"] or "",
        due_on=st.session_state["action-due"],
        status=st.session_state["action-status"],
    )


def _add() -> None:
    actor = current_actor()
    if actor is None:
        return
    try:
        add_action(actor, _draft_from_widgets())
    except ServiceError as exc:
        st.session_state[MESSAGE_KEY] = exc  # what was typed stays in the form
        return
    st.session_state[MESSAGE_KEY] = "added"
    for key, value in NEW_FIELDS.items():
        st.session_state[key] = value


def action_form(questionnaire: Questionnaire, lang: str) -> None:
    for key, value in NEW_FIELDS.items():
        st.session_state.setdefault(key, value)
    with st.form("action-form"):
        st.text_input(_("Title"), key="action-title")
        st.text_area(_("What will be done"), key="action-what", height=90)
        left, right = st.columns([3, 1])
        left.selectbox(
            _("Addresses"),
            _subjects(questionnaire),
            format_func=_subject_name(questionnaire, lang),
            key="action-question",
        )
        right.selectbox(
            _("Level aimed for"),
            LEVELS,
            format_func=_level_name,
            key="action-level",
            placeholder=_("Not set"),
        )
        owner, due, status = st.columns(3)
        owner.text_input(_("Owner (a person or a role)"), key="action-owner")
        due.date_input(_("Due"), key="action-due", format="DD.MM.YYYY")
        status.selectbox(_("Status"), ACTION_STATUSES, format_func=_status_name, key="action-status")
        st.form_submit_button(_("Add to the plan"), key="action-add", type="primary", on_click=_add)
    message = st.session_state.pop(MESSAGE_KEY, None)
    if isinstance(message, ServiceError):
        show_error(message)
    elif message == "added":
        st.success(_("The action is in the plan."))


def _change(action: ActionView) -> None:
    actor = current_actor()
    if actor is None:
        return
    key = f"edit-{action.id}"
    draft = replace(
        draft_of(action),
        title=st.session_state[f"{key}-title"] or "",
        owner=st.session_state[f"{key}-owner"] or "",
        due_on=st.session_state[f"{key}-due"],
        status=st.session_state[f"{key}-status"],
    )
    try:
        change_action(actor, action.id, draft, st.session_state[f"{key}-note"] or "")
    except ServiceError as exc:
        st.session_state[f"{key}-message"] = exc
        return
    st.session_state[f"{key}-note"] = ""


def edit_form(questionnaire: Questionnaire, action: ActionView, lang: str) -> None:
    """Change the title, owner, due date or status, and add a dated progress note."""
    key = f"edit-{action.id}"
    for field, value in (
        ("title", action.title),
        ("owner", action.owner),
        ("due", action.due_on),
        ("status", action.status),
        ("note", ""),
    ):
        st.session_state.setdefault(f"{key}-{field}", value)
    with st.expander(_("Change the action or add a progress note")), st.form(key):
        st.text_input(_("Title"), key=f"{key}-title")
        owner, due, status = st.columns(3)
        owner.text_input(_("Owner (a person or a role)"), key=f"{key}-owner")
        due.date_input(_("Due"), key=f"{key}-due", format="DD.MM.YYYY")
        status.selectbox(_("Status"), ACTION_STATUSES, format_func=_status_name, key=f"{key}-status")
        st.text_area(_("Progress note"), key=f"{key}-note", height=70)
        st.form_submit_button(_("Save"), key=f"{key}-save", on_click=_change, args=(action,))
    message = st.session_state.pop(f"{key}-message", None)
    if isinstance(message, ServiceError):
        show_error(message)


def _approve(action_id: int) -> None:
    actor = current_actor()
    if actor is None:
        return
    try:
        approve_action(actor, action_id)
    except ServiceError as exc:
        st.session_state[f"approve-{action_id}-message"] = exc


def approve_button(action: ActionView) -> None:
    """The leader's approval of one action."""
    st.button(_("Approve"), key=f"approve-{action.id}", on_click=_approve, args=(action.id,))
    message = st.session_state.pop(f"approve-{action.id}-message", None)
    if isinstance(message, ServiceError):
        show_error(message)
