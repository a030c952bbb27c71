"""Choosing a round of the actor's network."""

from __future__ import annotations

import streamlit as st

from ioa_assess.services.actor import Actor, ServiceError
from ioa_assess.services.cohort import NetworkInfo, RoundInfo, network_info
from ioa_assess.ui.i18n import _
from ioa_assess.ui.widgets import show_error


def pick_round(actor: Actor) -> tuple[NetworkInfo, RoundInfo]:
    try:
        network = network_info(actor)
    except ServiceError as exc:
        show_error(exc)
        st.stop()
    if not network.rounds:
        st.info(_("The network has no rounds yet."))
        st.stop()
    rounds = list(reversed(network.rounds))
    chosen = st.selectbox(
        _("Round"),
        rounds,
        format_func=lambda r: r.name + ("" if r.closed else " · " + _("open")),
        key="round-picker",
    )
    return network, chosen
