"""For the facilitator: the questions where bodies disagree most internally, under the k rule."""

from __future__ import annotations

import streamlit as st

from ioa_assess.config import k_anonymity
from ioa_assess.questionnaire import Questionnaire
from ioa_assess.reports.cohort_tables import internal_disagreement_data_frame, internal_disagreement_frame
from ioa_assess.services.actor import Actor, ServiceError
from ioa_assess.services.agenda import internal_disagreement
from ioa_assess.ui.downloads import table_downloads
from ioa_assess.ui.i18n import _
from ioa_assess.ui.tables import show_table
from ioa_assess.ui.widgets import show_error


def internal_disagreement_section(
    actor: Actor, round_id: int, top: int, questionnaire: Questionnaire, lang: str
) -> None:
    st.header(_("Questions where bodies disagree most internally"))
    st.caption(
        _(
            "Where several people answered for a body: per question the median, over those bodies, of how "
            "far apart their people's levels were (highest minus lowest), and the share of the bodies "
            "whose people were two or more levels apart. Only bodies with several respondents count, at "
            "least {k} per question; no body is named.",
            k=k_anonymity(),
        )
    )
    try:
        found = internal_disagreement(actor, round_id, top)
    except ServiceError as exc:
        show_error(exc)
        return
    if not found.enough:
        st.write(
            _(
                "Too few bodies with several respondents have submitted (fewer than {k}) to show this.",
                k=k_anonymity(),
            )
        )
    elif not found.questions:
        st.write(_("No question qualifies."))
    else:
        show_table(internal_disagreement_frame(found.questions, questionnaire, lang))
        table_downloads(
            lambda: internal_disagreement_data_frame(found.questions, questionnaire, lang),
            "ioa-disagreement-within-bodies",
            "internal-disagreement",
            sheet=_("Disagreement within bodies"),
        )
