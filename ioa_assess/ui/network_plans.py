"""What the member bodies plan, for the facilitator: counts under the k rule, and agenda entries
that name only bodies that agreed to be named."""

from __future__ import annotations

import streamlit as st

from ioa_assess.config import k_anonymity
from ioa_assess.questionnaire import Questionnaire
from ioa_assess.reports.plan_report import network_plans_frame, plan_entry_text
from ioa_assess.services.actor import Actor, ServiceError
from ioa_assess.services.agenda import plan_entries
from ioa_assess.services.plans import network_plans
from ioa_assess.ui.i18n import _
from ioa_assess.ui.widgets import show_error


def network_plans_section(
    actor: Actor, network_id: int, round_id: int, questionnaire: Questionnaire, lang: str
) -> None:
    st.header(_("What the network is working on"))
    st.caption(
        _(
            "From the members' improvement plans: the bodies with actions per dimension and question, "
            "open and done actions, and the actions followed by a rise at the next round. A dimension or "
            "question with fewer than {k} bodies is left out; no body is named.",
            k=k_anonymity(),
        )
    )
    try:
        counts = network_plans(actor, network_id)
        entries = plan_entries(actor, round_id)
    except ServiceError as exc:
        show_error(exc)
        return
    if not counts:
        st.write(_("Fewer than {k} bodies plan actions on any one dimension or question.", k=k_anonymity()))
        return
    for entry in entries:
        st.text("• " + plan_entry_text(entry, questionnaire, lang))
    st.dataframe(network_plans_frame(counts, questionnaire, lang), hide_index=True)
