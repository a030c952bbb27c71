"""Choosing a network (administrators) and a round of it."""

from __future__ import annotations

import streamlit as st

from ioa_assess.services.actor import Actor, ServiceError
from ioa_assess.services.cohort import NetworkInfo, RoundInfo, network_info
from ioa_assess.ui.i18n import _
from ioa_assess.ui.widgets import show_error


def pick_network(actor: Actor) -> int | None:
    """An administrator chooses among all networks; everybody else has their own (None here)."""
    if not actor.is_admin:
        return None
    from ioa_assess.services.network_admin import list_networks

    networks = list_networks(actor)
    if len(networks) < 2:
        return networks[0].id if networks else None
    chosen = st.selectbox(
        _("Network"), networks, format_func=lambda n: n.name, key="network-picker", width=480
    )
    return chosen.id


def pick_round(actor: Actor, network_id: int | None = None) -> tuple[NetworkInfo, RoundInfo]:
    try:
        network = network_info(actor, network_id)
    except ServiceError as exc:
        show_error(exc)
        st.stop()
    if not network.rounds:
        st.info(_("The network has no rounds yet."))
        st.stop()
    rounds = list(reversed(network.rounds))
    # Labels made now, in the page's language: a format function may also be called outside the run.
    labels = {r.id: r.name + ("" if r.closed else " · " + _("open")) for r in rounds}
    chosen = st.selectbox(_("Round"), rounds, format_func=lambda r: labels[r.id], key="round-picker")
    return network, chosen
