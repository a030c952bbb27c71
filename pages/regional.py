"""Region: aggregates of the network per county, under the k rule; no body is named."""

import streamlit as st

from ioa_assess.config import k_anonymity
from ioa_assess.services.cohort import county_overview
from ioa_assess.ui.i18n import _
from ioa_assess.ui.rounds import pick_round
from ioa_assess.ui.session import require_actor

actor = require_actor("regional")
st.title(_("Region"))
network, rnd = pick_round(actor)
st.caption(network.name)
overview = county_overview(actor, rnd.id)
st.subheader(_("Overall maturity per county"))
table = overview.rename(
    columns={
        "county": _("County"),
        "bodies": _("Bodies"),
        "median": _("Median"),
        "q1": _("Lower quartile"),
        "q3": _("Upper quartile"),
    }
)
st.dataframe(table.round(2), hide_index=True)
st.caption(_("Empty cells: too few bodies to show (fewer than {k}).", k=k_anonymity()))
