"""Accessibility statement (tilgjengelighetserklæring): what was tested, how, and what is known."""

import streamlit as st

from ioa_assess.ui.i18n import _

st.title(_("Accessibility statement"))
st.markdown(
    _(
        "This service aims to meet the Web Content Accessibility Guidelines (WCAG) 2.1 at level AA, as "
        "the Norwegian regulation on universal design of ICT requires."
    )
)
st.header(_("How it is tested"))
st.markdown(
    _(
        "- Every page, for every role, is scanned with axe-core in a real Chromium browser each time the "
        "code changes; a serious or critical finding stops the release.\n"
        "- A test completes an assessment with the keyboard only.\n"
        "- Charts use a colour-blind-safe palette (Okabe-Ito) and tell their series apart by shape, line "
        "pattern and labels too; every chart has a text alternative and a table with the same numbers.\n"
        "- Colours in the theme meet a contrast of at least 4.5:1 for text."
    )
)
st.header(_("Languages"))
st.markdown(
    _(
        "The service is offered in bokmål, nynorsk and English. Choose the language in the menu. When you "
        "are signed in, the choice is kept with your account and follows you to any browser; this browser "
        "also remembers it. A body whose written standard is nynorsk gets nynorsk by default."
    )
)
st.header(_("Known limitations"))
st.markdown(
    _(
        "- Charts can be read with a screen reader through their text alternative and the table next to "
        "them, not point by point.\n"
        "- The PDF report is a summary for printing; the same numbers are in the Excel download."
    )
)
st.header(_("Feedback"))
st.markdown(
    _(
        "If something does not work for you, tell the network's facilitators. You can also report "
        "shortcomings to the Authority for Universal Design of ICT "
        "(Tilsynet for universell utforming av IKT)."
    )
)
