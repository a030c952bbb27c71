"""Administration: the public bodies and the latest audit events."""

import streamlit as st

from ioa_assess.services.admin import audit_events, list_bodies
from ioa_assess.ui.i18n import _
from ioa_assess.ui.session import require_actor

actor = require_actor("admin")
st.title(_("Administration"))
st.subheader(_("Public bodies"))
bodies = list_bodies(actor)
st.caption(_("{n} bodies", n=len(bodies)))
st.dataframe(bodies, hide_index=True)
st.subheader(_("Audit trail (latest 200)"))
st.dataframe(audit_events(actor, limit=200), hide_index=True)
