"""Administration: personal data (export, roles, deletion), the audit trail and the public bodies."""

from datetime import date

import streamlit as st

from ioa_assess.i18n import fmt_date
from ioa_assess.reports.admin_tables import audit_frame, register_frame
from ioa_assess.reports.tables import to_csv, to_xlsx
from ioa_assess.services import privacy
from ioa_assess.services.accounts import change_role
from ioa_assess.services.actor import ROLES, ServiceError
from ioa_assess.services.admin import audit_events, list_bodies, networks
from ioa_assess.ui.downloads import XLSX, DownloadFile, download_row, export_files
from ioa_assess.ui.i18n import _, current_language
from ioa_assess.ui.session import require_actor
from ioa_assess.ui.tables import show_grid
from ioa_assess.ui.widgets import role_name, show_error

DONE_KEY = "admin-done"
RESET_KEY = "admin-person-reset"

actor = require_actor("admin")
lang = current_language()
st.title(_("Administration"))
if done := st.session_state.pop(DONE_KEY, None):
    st.success(done)
if st.session_state.pop(RESET_KEY, False):
    st.session_state["admin-person"] = None  # the erased account is no longer a choice


@st.dialog(_("Delete this person?"))
def confirm_delete(email: str) -> None:
    st.text(email)
    st.write(
        _(
            "The account loses its e-mail address, name and password, and its sign-ins end. The answers "
            "it gave stay with the body, marked as given by a removed user. This cannot be undone."
        )
    )
    typed = st.text_input(_("Type the e-mail address to confirm"), key="delete-confirm-email")
    if st.button(_("Delete for good"), key="confirm-delete", type="primary"):
        if typed.strip().lower() != email:
            st.error(_("The e-mail address does not match."))
            return
        try:
            privacy.delete_person(actor, email)
        except ServiceError as exc:
            show_error(exc)
            return
        st.session_state[DONE_KEY] = _("The account was erased; its answers stay with the body.")
        st.session_state[RESET_KEY] = True
        st.rerun()


st.header(_("People"))
people = dict(privacy.accounts(actor))
all_bodies = dict(privacy.bodies(actor))
email = st.selectbox(
    _("Account"),
    list(people),
    index=None,
    key="admin-person",
    placeholder=_("Choose an account"),
    format_func={e: f"{e} ({role_name(r)})" for e, r in people.items()}.get,
)
if email:
    sheets = privacy.person_data(actor, email)
    st.caption(_("Everything stored about this person, for a request to see their data:"))
    download_row(
        "export-person", export_files(sheets, "ioa-person"), audit=(actor, privacy.person_export_name(sheets))
    )
    with st.form("role-form"):
        st.write(_("Change the role"))
        role = st.selectbox(
            _("Role"),
            ROLES,
            index=ROLES.index(people[email]),
            format_func={r: role_name(r) for r in ROLES}.get,
        )

        body_id = st.selectbox(
            _("Body (for body roles)"),
            list(all_bodies),
            index=None,
            format_func=all_bodies.get,
            placeholder=_("Choose a body"),
        )
        nets = dict(networks(actor))
        network_id = st.selectbox(
            _("Network (for network roles)"),
            list(nets),
            index=None,
            format_func=nets.get,
            placeholder=_("Choose a network"),
        )
        if st.form_submit_button(_("Change the role"), key="role-submit"):
            try:
                change_role(actor, email, role, body_id, network_id)
                st.session_state[DONE_KEY] = _("The role was changed.")
                st.rerun()
            except ServiceError as exc:
                show_error(exc)
    if st.button(_("Delete this person…"), key="delete-person", icon=":material/person_remove:"):
        confirm_delete(email)

st.header(_("Data about a body"))
body = st.selectbox(
    _("Body"),
    list(all_bodies),
    index=None,
    key="admin-body",
    format_func=all_bodies.get,
    placeholder=_("Choose a body"),
)
if body is not None:
    st.caption(_("Its assessments, answers and comments, targets, respondents and invitation codes:"))
    download_row(
        "export-body", export_files(privacy.body_data(actor, body), "ioa-body"), audit=(actor, f"body:{body}")
    )

st.header(_("Retention"))
due = privacy.purge_closed_rounds(actor, date.today(), dry_run=True)
if due.days == 0:
    st.write(_("No retention period is set: answers in closed rounds are kept until they are deleted."))
else:
    st.write(
        _(
            "Answers are kept {days} days after a round closes. Due for deletion now: {n} answers in "
            "rounds closed before {date}. Delete them with `python -m ioa_assess purge`.",
            days=due.days,
            n=due.responses,
            date=fmt_date(due.cutoff, lang),
        )
    )

st.header(_("Audit trail"))
st.caption(_("Append-only: nobody can change or delete an entry. The newest 200 are shown."))
show_grid(audit_frame(audit_events(actor, limit=200), lang), widths={_("Detail"): "medium"})
trail = audit_events(actor, limit=None)
audit_files = [
    DownloadFile(_("Audit trail (CSV)"), lambda: to_csv(trail), "ioa-audit.csv", "text/csv"),
    DownloadFile(_("Audit trail (Excel)"), lambda: to_xlsx({"audit": trail}), "ioa-audit.xlsx", XLSX),
]
download_row("export-audit", audit_files, audit=(actor, "audit trail"))

st.header(_("Public bodies"))
register = list_bodies(actor)
st.caption(_("{n} bodies", n=len(register)))
register_table = register_frame(register, lang)
# Sized to fit the page: the name gets room, the short codes and yes/no columns little.
narrow = {column: 80 for column in register_table.columns[2:]}
show_grid(register_table, widths={_("Name"): "medium", _("Kind"): 110, **narrow})
