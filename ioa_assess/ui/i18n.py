"""The translation function every page uses: _("English msgid", **values)."""

from __future__ import annotations

import streamlit as st

from ioa_assess.i18n import DEFAULT_LANGUAGE, LANGUAGE_NAMES, LANGUAGES, normalise_language, translate

LANG_KEY = "lang"
CHOSEN_KEY = "lang-chosen"
COOKIE = "ioa_lang"  # the language a person chose by hand, kept across reloads and sign-ins


def _chosen_in_cookie() -> str | None:
    value = st.context.cookies.get(COOKIE)
    return value if isinstance(value, str) and value in LANGUAGES else None


def current_language() -> str:
    lang = st.session_state.get(LANG_KEY)
    if lang is None:
        # Resolved once per session: reading the request's cookies and locale on every string is slow.
        lang = st.session_state[LANG_KEY] = normalise_language(_chosen_in_cookie() or browser_language())
    return normalise_language(lang)


def browser_language() -> str:
    """Nynorsk or English when the browser asks for it; bokmål otherwise."""
    locale = st.context.locale if isinstance(st.context.locale, str) else ""
    for prefix, lang in (("nn", "nn"), ("en", "en")):
        if locale.lower().startswith(prefix):
            return lang
    return DEFAULT_LANGUAGE


def _(msgid: str, /, **values: object) -> str:
    return translate(current_language(), msgid, **values)


def adopt_language(lang: str | None) -> None:
    """Use a signed-in person's language, unless they picked one by hand in this session."""
    if lang and not st.session_state.get(CHOSEN_KEY) and not _chosen_in_cookie():
        st.session_state[LANG_KEY] = normalise_language(lang)


PICKER_KEY = "language-picker"
JUST_CHOSEN_KEY = "lang-just-chosen"


def _on_pick() -> None:
    st.session_state[LANG_KEY] = st.session_state[PICKER_KEY]
    st.session_state[CHOSEN_KEY] = True
    st.session_state[JUST_CHOSEN_KEY] = True


def language_picker() -> str | None:
    """Language choice in the sidebar, each language named in itself; returns a new choice, if any."""
    lang = current_language()
    st.session_state[PICKER_KEY] = lang  # follows the language adopted at sign-in
    st.sidebar.selectbox(
        translate(lang, "Language / Språk / Mål"),
        LANGUAGES,
        format_func=lambda code: LANGUAGE_NAMES[code],
        key=PICKER_KEY,
        on_change=_on_pick,
    )
    if st.session_state.pop(JUST_CHOSEN_KEY, False):
        # A first-party cookie (not secret) so that a reload keeps the choice.
        cookie = f"{COOKIE}={lang}; path=/; max-age=31536000; samesite=strict"
        st.html(f"<script>document.cookie = '{cookie}';</script>", unsafe_allow_javascript=True)
        return lang
    return None
