"""Small widgets used on several pages."""

from __future__ import annotations

import streamlit as st

from ioa_assess.i18n import N_
from ioa_assess.services.actor import ServiceError
from ioa_assess.ui.i18n import _
from ioa_assess.ui.text import plain_values

ROLE_NAMES = {
    "participant": N_("Participant"),
    "agency_lead": N_("Agency lead"),
    "leader": N_("Leader"),
    "facilitator": N_("Facilitator"),
    "regional_leader": N_("Regional leader"),
    "admin": N_("Administrator"),
}


KIND_NAMES = {
    "municipality": N_("Municipality"),
    "county_council": N_("County council"),
    "health_trust": N_("Health trust"),
    "state_agency": N_("State agency"),
}


def role_name(role: str) -> str:
    return _(ROLE_NAMES.get(role, role))


def show_error(exc: ServiceError) -> None:
    """A service's refusal, translated; never a traceback."""
    st.error(_(exc.msgid, **plain_values(exc.values)))
