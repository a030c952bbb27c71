"""The body's results as agreed: provisional answers marked once, the evidence behind the score,
each answer's evidence, and where the body's people disagreed most (never who said what)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ioa_assess.questionnaire import Questionnaire
from ioa_assess.reports.questionnaire_doc import answer_name
from ioa_assess.reports.standing import (
    PROVISIONAL_NOTE,
    agreement_name,
    disagreement_frame,
    evidence_line,
    evidence_name,
    evidence_reference,
)
from ioa_assess.scoring import is_level
from ioa_assess.services.actor import Actor
from ioa_assess.services.results import Standing
from ioa_assess.ui.i18n import _
from ioa_assess.ui.navigation import may_open
from ioa_assess.ui.tables import show_grid, show_table
from ioa_assess.ui.text import plain

AGREE_PAGE = "pages/agree.py"


def provisional_notice(result: Standing) -> None:
    """Said once, at the top: which answers are provisional and what that means."""
    if not result.provisional:
        return
    st.info(
        _(
            "{n} of the answers are {note}. The scores below count them; they are marked “provisional” "
            "where the questions are listed.",
            n=len(result.provisional),
            note=_(PROVISIONAL_NOTE),
        ),
        icon=":material/hourglass_top:",
    )


def to_find_out_section(result: Standing, questionnaire: Questionnaire, lang: str) -> None:
    """The questions answered "don't know", each marked where it is the people's provisional median."""
    if not result.to_find_out:
        return
    st.header(_("To find out"))
    st.write(
        _(
            "You answered 'don't know' to these questions. Find out with your colleagues: until they "
            "have a level, they count as not answered."
        )
    )
    provisional = " (" + _("provisional") + ")"
    st.text(
        "\n".join(
            f"• {questionnaire.question(q).title.get(lang)}"
            + (provisional if q in result.provisional else "")
            for q in result.to_find_out
        )
    )


def evidence_caption(result: Standing, lang: str) -> None:
    line = evidence_line(result.evidence_share, lang)
    if result.provisional:
        line += " " + _("Provisional answers count only once they are agreed.")
    st.caption(line)


def question_evidence(result: Standing, question_id: str, lang: str) -> None:
    """Below a listed question: provisional, or the agreed answer's evidence and its reference."""
    if question_id in result.provisional:
        st.caption(_("provisional"))
        return
    kind = evidence_name(result, question_id, lang)
    if not kind:
        return
    reference = evidence_reference(result, question_id)
    text = _("Evidence: {kind}", kind=kind)
    st.caption(text + (f" – {plain(reference)}" if reference else ""))


def answers_table(result: Standing, questionnaire: Questionnaire, lang: str) -> pd.DataFrame:
    rows = []
    for question in questionnaire.questions:
        level = result.levels.get(question.id)
        if level is None:
            continue
        rows.append(
            {
                _("Question"): question.title.get(lang),
                _("Answer"): str(level) if is_level(level) else answer_name(questionnaire, level, lang),
                _("Agreed or provisional"): agreement_name(result, question.id, lang),
                _("Evidence"): evidence_name(result, question.id, lang),
                _("Reference"): evidence_reference(result, question.id),
                _("Comment"): result.comments.get(question.id, ""),
            }
        )
    return pd.DataFrame(rows)


def answers_section(result: Standing, questionnaire: Questionnaire, lang: str) -> None:
    table = answers_table(result, questionnaire, lang)
    if table.empty:
        return
    with st.expander(_("Your answers and their evidence ({n})", n=len(table))):
        widths = {_("Question"): "medium", _("Answer"): "small", _("Agreed or provisional"): "small"}
        widths |= {_("Evidence"): "small", _("Reference"): "medium", _("Comment"): "large"}
        show_grid(table, widths=widths, key="answers-evidence")


def disagreement_section(actor: Actor, result: Standing, questionnaire: Questionnaire, lang: str) -> None:
    """The questions where the body's own people were furthest apart: lowest, median and highest
    level and how many answered. Names are never shown here."""
    if result.disagreements_held_back:
        st.caption(
            _(
                "Where your colleagues' answers differ is shown here once you have said your own part "
                "is done, so that their views do not steer yours."
            )
        )
        return
    if not result.disagreements:
        return
    st.header(_("Where your people disagreed most"))
    st.caption(
        _(
            "The questions where the levels your people gave are furthest apart: the lowest, the median "
            "and the highest level, and how many gave one. Nobody is named here."
        )
    )
    show_table(disagreement_frame(result, questionnaire, lang))
    lead = actor.role == "agency_lead"
    if lead and may_open(actor, "agree"):
        st.page_link(AGREE_PAGE, label=_("Compare and agree"), icon=":material/handshake:")
