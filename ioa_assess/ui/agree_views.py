"""The parts of "Compare and agree": who answered, the counts, one table of every question by person,
and per question each person's answer with the form that records the body's agreed answer.

Every text a person typed (names, comments, references, reasons) goes through plain(): Streamlit's
tables and texts read Markdown.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ioa_assess.i18n import N_, fmt_date
from ioa_assess.questionnaire import Question, Questionnaire
from ioa_assess.reports.questionnaire_doc import answer_name, answer_options
from ioa_assess.scoring import is_level
from ioa_assess.services.actor import Actor, ServiceError
from ioa_assess.services.agreement import Comparison, Person, QuestionViews, accept_medians, agree
from ioa_assess.services.assessments import MAX_REASON_LENGTH
from ioa_assess.ui.evidence import evidence_text
from ioa_assess.ui.i18n import _, current_language
from ioa_assess.ui.tables import BLANK, show_table
from ioa_assess.ui.text import plain, plain_values

FILTER_KEY = "agree-filter"
NOTICE_KEY = "agree-notice"  # what the last action did, shown at the top of the page
FILTERS = {
    "open": N_("Needs a decision ({n})"),
    "apart": N_("Two or more levels apart ({n})"),
    "all": N_("Every answered question ({n})"),
}
APART_MARK = "⚠"


def _message_key(question_id: str) -> str:
    return f"agree-message-{question_id}"


def person_name(person: Person) -> str:
    """How the lead sees a person: "you", their name where they agreed to it, else a letter."""
    if person.is_me:
        return _("You")
    return person.label or _("Respondent {letter}", letter=person.letter)


def person_with_letter(person: Person) -> str:
    """The person's name as text (not Markdown), with the letter the overview's columns use."""
    if not person.is_me and not person.label:
        return person_name(person)  # "Respondent C" says its letter already
    return f"{person.letter} · {person_name(person)}"


def answer_short(questionnaire: Questionnaire, level: int | None, lang: str) -> str:
    if level is None:
        return BLANK
    return str(level) if is_level(level) else answer_name(questionnaire, level, lang)


def answer_long(questionnaire: Questionnaire, level: int | None, lang: str) -> str:
    if level is None:
        return BLANK
    if is_level(level):
        return f"{level} – {questionnaire.scale.name(level, lang)}"
    return answer_name(questionnaire, level, lang)


def spread_text(views: QuestionViews) -> str:
    """ "lowest · median · highest", with a mark where the people are two or more levels apart."""
    seen = views.seen
    if not seen.levels:
        return BLANK
    text = f"{seen.lowest} · {seen.median} · {seen.highest}"
    return f"{text} {APART_MARK}" if seen.apart else text


def answered_questions(comparison: Comparison) -> list[str]:
    return [q for q, v in comparison.questions.items() if v.voices or v.agreed]


def people_table(comparison: Comparison, total: int) -> None:
    lang = current_language()
    rows = [
        {
            _("Person"): plain(person_with_letter(person)),
            _("Answered"): _("{n} of {total}", n=person.answered, total=total),
            _("Done"): _("Done {date}", date=fmt_date(person.done_at.astimezone().date(), lang))
            if person.done_at
            else _("Not yet"),
        }
        for person in comparison.people
    ]
    show_table(pd.DataFrame(rows))


def counts(comparison: Comparison) -> None:
    to_agree, apart, agreed = st.columns(3)
    to_agree.metric(_("Questions to agree"), len(comparison.open_questions))
    apart.metric(_("Two or more levels apart"), len(comparison.apart_questions))
    agreed.metric(
        _("Agreed"), sum(1 for v in comparison.questions.values() if v.agreed and v.agreed.level is not None)
    )


def _on_accept(actor: Actor, assessment_id: int) -> None:
    try:
        accepted = accept_medians(actor, assessment_id)
    except ServiceError as exc:
        st.session_state[NOTICE_KEY] = ("error", _(exc.msgid, **plain_values(exc.values)))
        return
    st.session_state[NOTICE_KEY] = (
        "success",
        _("The median is now the agreed answer to {n} questions.", n=accepted),
    )


def accept_medians_button(actor: Actor, comparison: Comparison) -> None:
    settled = len(comparison.settled_open)
    st.button(
        _("Accept the median for the {n} questions where you agree or are within one level", n=settled),
        key="accept-medians",
        type="primary",
        disabled=not settled,
        on_click=_on_accept,
        args=(actor, comparison.assessment_id),
    )


def notice() -> None:
    """What the last action did: the agreed question leaves the list, so the message stays above it."""
    if message := st.session_state.pop(NOTICE_KEY, None):
        kind, text = message
        (st.success if kind == "success" else st.error)(text)


def chosen_questions(comparison: Comparison) -> list[str]:
    """The filter: the questions that need a decision (the default), those apart, or all answered."""
    shown = {
        "open": comparison.open_questions,
        "apart": comparison.apart_questions,
        "all": answered_questions(comparison),
    }
    if st.session_state.get(FILTER_KEY) not in FILTERS:
        st.session_state[FILTER_KEY] = "open"
    choice = st.radio(
        _("Show"),
        list(FILTERS),
        format_func=lambda name: _(FILTERS[name], n=len(shown[name])),
        key=FILTER_KEY,
        horizontal=True,
    )
    return shown[choice]


def overview_table(comparison: Comparison, questionnaire: Questionnaire, question_ids: list[str]) -> None:
    """Every chosen question by person, the spread and the agreed answer (or the provisional one)."""
    lang = current_language()
    rows = []
    for question_id in question_ids:
        views = comparison.questions[question_id]
        given = {voice.letter: voice.level for voice in views.voices}
        row = {_("Question"): plain(questionnaire.question(question_id).title.get(lang))}
        row |= {
            person.letter: answer_short(questionnaire, given.get(person.letter), lang)
            for person in comparison.people
        }
        row[_("Lowest · median · highest")] = spread_text(views)
        if views.agreed and views.agreed.level is not None:
            row[_("Agreed")] = answer_short(questionnaire, views.agreed.level, lang)
        else:
            provisional = views.seen.provisional()
            row[_("Agreed")] = (
                _("{answer} (provisional)", answer=answer_short(questionnaire, provisional, lang))
                if provisional is not None
                else BLANK
            )
        rows.append(row)
    notes = {person.letter: plain(person_name(person)) for person in comparison.people}
    notes[APART_MARK] = _("two or more levels apart")
    show_table(pd.DataFrame(rows), notes=notes)


def _on_agree(actor: Actor, assessment_id: int, question_id: str, title: str) -> None:
    level = st.session_state.get(f"agreed-{question_id}")
    reason = st.session_state.get(f"agreed-reason-{question_id}", "")
    if level is None:
        st.session_state[_message_key(question_id)] = ("error", _("Choose the agreed answer first."))
        return
    try:
        agree(actor, assessment_id, question_id, level, reason)
    except ServiceError as exc:
        st.session_state[_message_key(question_id)] = ("error", _(exc.msgid, **plain_values(exc.values)))
        return
    st.session_state[NOTICE_KEY] = (
        "success",
        _("The agreed answer to «{question}» is saved.", question=title),
    )


def _voices(comparison: Comparison, questionnaire: Questionnaire, views: QuestionViews) -> None:
    """One line per person (their answer and how sure it is), their comment below it: lines wrap on
    a phone, where a table of four columns would not fit."""
    lang = current_language()
    names = {person.letter: person_with_letter(person) for person in comparison.people}
    with st.container(gap="small"):
        for voice in views.voices:
            answer = answer_long(questionnaire, voice.level, lang)
            evidence = evidence_text(voice.evidence, voice.evidence_ref)
            st.markdown(f"**{plain(names.get(voice.letter, voice.letter))}:** {answer} · {evidence}")
            if voice.comment:
                st.caption(f"«{plain(voice.comment)}»")


def _agreed_lines(questionnaire: Questionnaire, views: QuestionViews) -> None:
    agreed = views.agreed
    if agreed is None or agreed.level is None:
        return
    lang = current_language()
    lines = [
        _("**Agreed answer:** {answer}", answer=answer_long(questionnaire, agreed.level, lang)),
        _("**How sure:** {evidence}", evidence=evidence_text(agreed.evidence, agreed.evidence_ref)),
    ]
    if agreed.reason:
        lines.append(_("**Reason:** {reason}", reason=plain(agreed.reason)))
    elif agreed.agreement == "single":
        lines.append(_("The only answer given."))
    st.markdown("  \n".join(lines))


def question_card(
    actor: Actor, comparison: Comparison, questionnaire: Questionnaire, question: Question
) -> None:
    lang = current_language()
    views = comparison.questions[question.id]
    with st.container(border=True, key=f"agree-question-{question.id}"):
        st.markdown(f"#### {question.title.get(lang)}")
        if views.seen.apart:
            st.badge(
                f"{APART_MARK} " + _("{n} levels apart: talk it through", n=views.seen.spread), color="red"
            )
        st.caption(question.text.get(lang))
        if views.voices:
            _voices(comparison, questionnaire, views)
        st.markdown(_("**Lowest · median · highest:** {spread}", spread=spread_text(views)))
        _agreed_lines(questionnaire, views)
        if message := st.session_state.pop(_message_key(question.id), None):
            kind, text = message
            (st.success if kind == "success" else st.error)(text)
        if comparison.editable:
            _agreement_form(actor, comparison, questionnaire, question, views)


def _agreement_form(
    actor: Actor,
    comparison: Comparison,
    questionnaire: Questionnaire,
    question: Question,
    views: QuestionViews,
) -> None:
    lang = current_language()
    options = answer_options(questionnaire, question)
    current = (
        views.agreed.level if views.agreed and views.agreed.level is not None else views.seen.provisional()
    )
    with st.form(key=f"agree-form-{question.id}", border=False):
        st.radio(
            _("Agreed answer"),
            options,
            index=options.index(current) if current in options else None,
            format_func=lambda level: answer_long(questionnaire, level, lang),
            key=f"agreed-{question.id}",
            horizontal=True,
        )
        st.text_input(
            _("Reason (needed: they are two or more levels apart)")
            if views.seen.apart
            else _("Reason (optional)"),
            value=views.agreed.reason if views.agreed else "",
            max_chars=MAX_REASON_LENGTH,
            key=f"agreed-reason-{question.id}",
        )
        st.form_submit_button(
            _("Save the agreed answer"),
            key=f"agreed-save-{question.id}",
            on_click=_on_agree,
            args=(actor, comparison.assessment_id, question.id, question.title.get(lang)),
        )
