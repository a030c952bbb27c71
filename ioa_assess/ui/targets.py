"""The target form: one target level per dimension, stored for the body."""

from __future__ import annotations

import streamlit as st

from ioa_assess.i18n import fmt_number
from ioa_assess.questionnaire import Questionnaire
from ioa_assess.services.actor import ServiceError
from ioa_assess.services.results import Standing, set_target
from ioa_assess.ui.i18n import _, current_language
from ioa_assess.ui.session import current_actor
from ioa_assess.ui.widgets import show_error

TARGET_CHOICES = (None, 1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5.0)


def target_form(questionnaire: Questionnaire, standing: Standing) -> None:
    actor = current_actor()
    lang = current_language()
    with st.expander(_("Set targets per dimension")), st.form("targets-form"):
        chosen = {}
        for d in standing.dimensions:
            chosen[d.dimension_id] = st.selectbox(
                questionnaire.dimension(d.dimension_id).name.get(lang),
                TARGET_CHOICES,
                index=TARGET_CHOICES.index(d.target) if d.target in TARGET_CHOICES else 0,
                format_func=lambda v: _("No target") if v is None else fmt_number(v, lang),
                key=f"target-{d.dimension_id}",
            )
        if st.form_submit_button(_("Save targets"), key="targets-submit") and actor is not None:
            try:
                for dimension_id, level in chosen.items():
                    set_target(actor, dimension_id, level)
            except ServiceError as exc:
                show_error(exc)
                return
            st.rerun()
