"""Cohort: who has answered and who to remind, where the network stands (anonymised unless a body
agreed to be named), comparisons by county and kind under the k rule, and change between rounds."""

import streamlit as st

from ioa_assess.questionnaire import load_questionnaire
from ioa_assess.services.actor import ServiceError
from ioa_assess.ui import cohort_views as views
from ioa_assess.ui.i18n import _
from ioa_assess.ui.rounds import pick_network, pick_round
from ioa_assess.ui.session import require_actor
from ioa_assess.ui.text import plain
from ioa_assess.ui.widgets import show_error

actor = require_actor("cohort")
st.title(_("Cohort"))
network, rnd = pick_round(actor, pick_network(actor))
st.caption(_("{network}: {n} member bodies", network=plain(network.name), n=network.members))
questionnaire = load_questionnaire(rnd.questionnaire_version)

completion_tab, dashboard_tab, groups_tab, change_tab = st.tabs(
    [_("Completion"), _("Dashboard"), _("By county and kind"), _("Change")],
    key="cohort-tab",
    on_change="rerun",
)
try:
    if completion_tab.open:
        with completion_tab:
            views.completion_section(actor, rnd)
    if dashboard_tab.open:
        with dashboard_tab:
            views.dashboard_section(actor, rnd, questionnaire)
    if groups_tab.open:
        with groups_tab:
            views.comparisons_section(actor, rnd, questionnaire)
    if change_tab.open:
        with change_tab:
            views.change_section(actor, network, rnd, questionnaire)
except ServiceError as exc:
    show_error(exc)
