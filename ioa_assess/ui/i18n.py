"""The translation function every page uses: _("English msgid", **values)."""

from __future__ import annotations

import streamlit as st

from ioa_assess.i18n import DEFAULT_LANGUAGE, LANGUAGE_NAMES, LANGUAGES, normalise_language, translate

LANG_KEY = "lang"


def current_language() -> str:
    return normalise_language(st.session_state.get(LANG_KEY, DEFAULT_LANGUAGE))


def _(msgid: str, /, **values: object) -> str:
    return translate(current_language(), msgid, **values)


def set_language(lang: str) -> None:
    st.session_state[LANG_KEY] = normalise_language(lang)


def language_picker() -> None:
    """Language choice in the sidebar; the labels are each language's own name."""
    lang = current_language()
    choice = st.sidebar.selectbox(
        translate(lang, "Language / Språk / Mål"),
        LANGUAGES,
        index=LANGUAGES.index(lang),
        format_func=lambda code: LANGUAGE_NAMES[code],
        key="language-picker",
    )
    if choice != lang:
        set_language(choice)
        st.rerun()
