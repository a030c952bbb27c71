"""Start page: sign in with an account or an invitation code; then where to go next."""

import streamlit as st

from ioa_assess.services.accounts import redeem_invitation, sign_in
from ioa_assess.services.actor import ServiceError
from ioa_assess.services.directory import actor_context, demo_sign_in_lines
from ioa_assess.ui import sso, start_views
from ioa_assess.ui.i18n import _
from ioa_assess.ui.session import current_actor, end_session, start_session
from ioa_assess.ui.widgets import role_name, show_error

st.title(_("Innovative procurement: self-assessment"))
actor = current_actor()

if actor is None:
    st.write(
        _(
            "See how mature your organisation is in innovative public procurement, compare with "
            "similar bodies in Vestland, Rogaland and Agder, and find what to work on next."
        )
    )
    if (linked := st.query_params.get("code")) and "invite-code" not in st.session_state:
        st.session_state["invite-code"] = linked[:40]  # from the personal link in an invitation e-mail
    if st.query_params.get("code"):
        st.info(_("The code from your invitation is filled in. Press “Start the assessment”."))
    code_col, account_col = st.columns(2, gap="large")
    with code_col, st.form("invite-form"):
        st.header(_("I have an invitation code"))
        code = st.text_input(
            _("Invitation code"), key="invite-code", max_chars=40, placeholder="ABCD-EFGH-JKLM"
        )
        if st.form_submit_button(_("Start the assessment"), key="invite-submit", type="primary"):
            try:
                start_session(redeem_invitation(code), landing_page="pages/assess.py")
                st.rerun()
            except ServiceError as exc:
                show_error(exc)
    with account_col, st.form("signin-form"):
        st.header(_("Sign in with an account"))
        email = st.text_input(_("E-mail"), key="signin-email", max_chars=254, autocomplete="email")
        password = st.text_input(
            _("Password"),
            key="signin-password",
            type="password",
            max_chars=256,
            autocomplete="current-password",
        )
        if st.form_submit_button(_("Sign in"), key="signin-submit"):
            try:
                signed_in = sign_in(email, password)
                start_session(signed_in, landing_page=start_views.landing_page(signed_in))
                st.rerun()
            except ServiceError as exc:
                show_error(exc)
    if providers := sso.providers():
        st.header(_("Single sign-on"))
        if refused := sso.refusal():
            show_error(refused)
            if st.button(_("Sign out of single sign-on"), key="sso-signout"):
                sso.logout()
        for key, name in providers.items():
            if st.button(
                _("Sign in with {provider}", provider=name), key=f"sso-{key}", icon=":material/key:"
            ):
                sso.login(key)
    demo = demo_sign_in_lines()
    if demo:
        with st.expander(_("Demo accounts (this is a demo database)")):
            st.table([{_("Role"): role_name(r), _("E-mail"): e, _("Password"): p} for r, e, p in demo])
else:
    start_views.land_where_the_work_stopped(actor)
    context = actor_context(actor)
    lines = [_("Signed in as {who} ({role}).", who=actor.label, role=role_name(actor.role))]
    if context.body_name:
        lines.append(_("Organisation: {name}.", name=context.body_name))
    if context.network_name:
        lines.append(_("Network: {name}.", name=context.network_name))
    st.write(" ".join(lines))
    start_views.show(actor)
    if st.button(_("Sign out"), key="signout") and not end_session():
        st.rerun()
