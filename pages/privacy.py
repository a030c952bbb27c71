"""Privacy: what is stored, why, for how long, who sees it, and how to use your rights."""

import streamlit as st

from ioa_assess.config import k_anonymity, retention_days
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
        "**What is stored.** For people: name, e-mail address, role and the time of sign-ins. Each person "
        "answers in a set of their own, with their comments and evidence; the answers the organisation "
        "agrees from them belong to the organisation and record who agreed them and when."
    )
)
st.markdown(
    _(
        "**Cookies.** One cookie keeps you signed in for up to 12 hours; it holds a random token, not "
        "your data, and is removed when you sign out. Another remembers the language you chose. With "
        "single sign-on, the identity provider's sign-in is kept in a cookie until you sign out."
    )
)
st.markdown(
    _(
        "**Who sees what.** While you answer, only you see your own answers; your agency lead compares "
        "them with your colleagues', under your name only if you allow it. Your organisation's people "
        "see its agreed answers. The network's facilitators see who has answered. Everybody else sees "
        "only statistics over at least {k} bodies, and a body is named only if it has agreed to be named "
        "in the network.",
        k=k_anonymity(),
    )
)
st.header(_("How long"))
st.markdown(
    _(
        "Accounts are kept while you take part in the network. Answers in closed rounds are kept so that "
        "change over time can be measured."
    )
)
days = retention_days()
if days:
    st.markdown(
        _(
            "In this installation, the answers and comments of a round are deleted {days} days after the "
            "round closes. That the organisation took part (the dates and whether it submitted) is kept.",
            days=days,
        )
    )
else:
    st.markdown(
        _(
            "In this installation, answers in closed rounds are kept until the network decides to delete "
            "them; no automatic deletion is set up."
        )
    )
st.markdown(
    _(
        "The audit trail (who signed in, submitted, reopened, exported or deleted what, and when) is kept "
        "to show that the data is handled correctly. It is never changed, also not when an account is "
        "deleted, and only administrators can read it."
    )
)
st.header(_("Your rights"))
st.markdown(
    _(
        "You may see everything stored about you, have it corrected, and have your account deleted. "
        "Deleting an account removes your name, e-mail address and password, your own answers and "
        "comments, and ends your sign-ins; the answers your organisation agreed belong to it and stay "
        "with it, marked as given by a removed user."
    )
)
st.markdown(
    _(
        "**How to ask.** Write to your network's facilitator or the administrator of this service and "
        "say whether you want a copy of your data, a correction or deletion. An administrator exports or "
        "deletes the data, and every export and deletion is recorded in the audit trail. An organisation "
        "can ask for a copy of everything stored about it in the same way."
    )
)
st.markdown(
    _(
        "If you think your personal data is handled wrongly, you can also complain to the Norwegian Data "
        "Protection Authority (Datatilsynet)."
    )
)
