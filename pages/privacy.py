"""Privacy: what is stored, why, for how long, and who sees it."""

import streamlit as st

from ioa_assess.config import k_anonymity
from ioa_assess.ui.i18n import _

st.title(_("Privacy"))
st.markdown(
    _(
        "**Purpose.** The tool lets public bodies assess their maturity in innovative procurement and "
        "lets the learning network plan its work from the results."
    )
)
st.markdown(
    _(
        "**What is stored.** For people: name, e-mail address, role and the time of sign-ins. The answers "
        "and comments belong to the organisation, and each answer records who changed it last and when."
    )
)
st.markdown(
    _(
        "**Who sees what.** Your organisation's people see its answers. The network's facilitators see "
        "who has answered. Everybody else sees only statistics over at least {k} bodies, and a body is "
        "named only if it has agreed to be named in the network.",
        k=k_anonymity(),
    )
)
st.markdown(
    _(
        "**How long.** Accounts are kept while you take part in the network. Answers in closed rounds "
        "are kept so that change over time can be measured, until the network decides to delete them."
    )
)
