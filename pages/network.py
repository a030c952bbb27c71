"""Network administration (facilitators): rounds, member bodies, invitation codes, reopening."""

import streamlit as st

from ioa_assess.services.actor import ServiceError
from ioa_assess.ui import network_views as views
from ioa_assess.ui.i18n import _
from ioa_assess.ui.session import require_actor
from ioa_assess.ui.text import plain
from ioa_assess.ui.widgets import show_error

actor = require_actor("network")
st.title(_("Network administration"))
# Codes issued by the last click are shown in this run only: the next run no longer has them.
issued = st.session_state.pop(views.ISSUED_KEY, None)
views.show_flash()
try:
    network = views.choose_network(actor)
except ServiceError as exc:
    show_error(exc)
    st.stop()
if network is None:
    st.stop()
st.caption(_("{network}: {n} member bodies", network=plain(network.name), n=network.members))

rounds_tab, members_tab, mail_tab, codes_tab, reopen_tab = st.tabs(
    [_("Rounds"), _("Members"), _("Contacts and e-mail"), _("Invitation codes"), _("Reopen an assessment")],
    key="network-tab",
    on_change="rerun",
)
try:
    if rounds_tab.open:
        with rounds_tab:
            views.rounds_section(actor, network)
    if members_tab.open:
        with members_tab:
            views.members_section(actor, network)
    if mail_tab.open:
        with mail_tab:
            views.mail_section(actor, network)
    if codes_tab.open or issued:
        with codes_tab:
            views.codes_section(actor, network, issued)
    if reopen_tab.open:
        with reopen_tab:
            views.reopen_section(actor, network)
except ServiceError as exc:
    show_error(exc)
