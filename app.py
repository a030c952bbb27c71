"""Entry point: page setup, language, who is signed in, and the navigation for that role."""

import streamlit as st

from ioa_assess.services.directory import remember_language
from ioa_assess.ui.i18n import _, language_picker
from ioa_assess.ui.navigation import pages_for
from ioa_assess.ui.session import current_actor, follow_redirect, restore_session, show_ended_notice
from ioa_assess.ui.startup import check_startup
from ioa_assess.ui.style import ICON, apply_style

st.set_page_config(page_title="IOA", page_icon=str(ICON), layout="wide")
apply_style()
check_startup()  # stops with one clear message on a broken questionnaire or database
restore_session()
show_ended_notice()
actor = current_actor()
if (chosen := language_picker()) and actor is not None:
    remember_language(actor, chosen)
navigation = st.navigation(pages_for(actor, _))
follow_redirect()
navigation.run()
