"""Refuse to start, with one clear message, when the questionnaire or the database is not usable."""

from __future__ import annotations

import streamlit as st
from sqlalchemy.exc import SQLAlchemyError

from ioa_assess.questionnaire import QuestionnaireError, available_versions, load_questionnaire
from ioa_assess.storage.migrate import is_up_to_date
from ioa_assess.ui.i18n import _
from ioa_assess.ui.text import plain


@st.cache_resource(ttl=60, show_spinner=False)
def _database_ready() -> bool:
    return is_up_to_date()


def check_startup() -> None:
    try:
        for version in available_versions():
            load_questionnaire(version)
    except QuestionnaireError as exc:
        st.error(
            _("The questionnaire file is broken, so the app cannot start: {error}", error=plain(str(exc)))
        )
        st.stop()
    try:
        ready = _database_ready()
    except SQLAlchemyError:
        ready = False
    if not ready:
        _database_ready.clear()
        st.error(
            _("The database is missing or out of date. Run `python -m ioa_assess init-db` (or `make run`).")
        )
        st.stop()
