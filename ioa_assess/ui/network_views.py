"""The sections of the network administration page: rounds, members, invitation codes, reopening.

Actions run in button callbacks, so the page that follows already shows their result; what they
have to say is kept as a message for that next run (flash)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import streamlit as st

from ioa_assess.config import reminder_interval_days
from ioa_assess.i18n import N_, fmt_date
from ioa_assess.mail import is_configured
from ioa_assess.questionnaire import newest_version, usable_versions
from ioa_assess.reports import cohort_tables as tables
from ioa_assess.services import contacts, mailing
from ioa_assess.services import network_admin as admin
from ioa_assess.services.accounts import DEFAULT_CODE_DAYS
from ioa_assess.services.actor import Actor, ServiceError
from ioa_assess.services.cohort import CompletionRow, NetworkInfo, completion, network_info
from ioa_assess.services.mail_log import LastMessage, days_ago_text
from ioa_assess.ui.downloads import table_downloads
from ioa_assess.ui.i18n import _, current_language
from ioa_assess.ui.text import plain

FLASH_KEY = "network-flash"
ISSUED_KEY = "network-issued-codes"
PROBLEMS_KEY = "network-import-problems"


def _flash(kind: str, text: str) -> None:
    st.session_state.setdefault(FLASH_KEY, []).append((kind, text))


def show_flash() -> None:
    for kind, text in st.session_state.pop(FLASH_KEY, []):
        getattr(st, kind)(text)
    problems = st.session_state.pop(PROBLEMS_KEY, None)
    if problems:
        st.dataframe({_("Problem"): problems}, hide_index=True)


def _run(action: Callable[[], str | None]) -> None:
    """Run a service call from a callback; its success text (or refusal) is shown on the next run."""
    try:
        message = action()
    except admin.ImportRejected as exc:
        _flash("error", _(exc.msgid))
        st.session_state[PROBLEMS_KEY] = exc.problems
        return
    except ServiceError as exc:
        _flash("error", _(exc.msgid, **exc.values))
        return
    if message:
        _flash("success", message)


# --- network ----------------------------------------------------------------------------------


def _create_network(actor: Actor) -> None:
    def action() -> str:
        admin.create_network(actor, st.session_state["network-name"], st.session_state["network-description"])
        st.session_state["network-name"] = st.session_state["network-description"] = ""
        return _("The network was created.")

    _run(action)


def choose_network(actor: Actor) -> NetworkInfo | None:
    """The network to run: an administrator picks one (or creates one); a facilitator has its own."""
    networks = admin.list_networks(actor)
    if actor.is_admin:
        with st.expander(_("Create a network")):
            st.text_input(_("Name"), key="network-name", max_chars=admin.MAX_NAME_LENGTH)
            st.text_area(
                _("Description (optional)"), key="network-description", max_chars=admin.MAX_DESCRIPTION_LENGTH
            )
            st.button(_("Create the network"), key="network-create", on_click=_create_network, args=(actor,))
    if not networks:
        st.info(_("There is no network yet."))
        return None
    chosen = networks[0]
    if len(networks) > 1:
        chosen = st.selectbox(
            _("Network"), networks, format_func=lambda n: n.name, key="network-picker", width=480
        )
    return network_info(actor, chosen.id)


# --- rounds -----------------------------------------------------------------------------------


def _create_round(actor: Actor, network_id: int) -> None:
    def action() -> str:
        s = st.session_state
        admin.create_round(
            actor, network_id, s["round-name"], s["round-opens"], s["round-closes"], s["round-version"]
        )
        s["round-name"] = ""
        return _("The round was created.")

    _run(action)


def _close_round(actor: Actor) -> None:
    def action() -> str | None:
        if not st.session_state.get("round-close-confirm"):
            _flash("warning", _("Tick the box to confirm that the round should be closed."))
            return None
        rnd = st.session_state["round-close-pick"]
        admin.close_round(actor, rnd.id)
        st.session_state["round-close-confirm"] = False
        return _("The round {name} is closed.", name=plain(rnd.name))

    _run(action)


def _fill_round_form(network: NetworkInfo) -> None:
    """Put the picked round's name and dates into the change form."""
    s = st.session_state
    rnd = next(r for r in network.rounds if r.id == s["round-edit-pick"])
    s["round-edit-name"] = rnd.name
    s["round-edit-opens"], s["round-edit-closes"] = rnd.opens_on, rnd.closes_on


def _change_round(actor: Actor) -> None:
    def action() -> str:
        s = st.session_state
        admin.change_round(
            actor, s["round-edit-pick"], s["round-edit-name"], s["round-edit-opens"], s["round-edit-closes"]
        )
        return _("The round was changed.")

    _run(action)


def _round_form(actor: Actor, network: NetworkInfo) -> None:
    names = {r.id: r.name for r in network.rounds}
    if st.session_state.get("round-edit-pick") not in names:
        st.session_state["round-edit-pick"] = network.rounds[-1].id
        _fill_round_form(network)
    with st.container(border=True):
        st.markdown("**" + _("Change a round") + "**")
        st.caption(_("Rename a round or move its dates, for example to give more time to answer."))
        st.selectbox(
            _("Round"),
            list(names),
            format_func=names.__getitem__,
            key="round-edit-pick",
            on_change=_fill_round_form,
            args=(network,),
        )
        st.text_input(_("Name"), key="round-edit-name", max_chars=admin.MAX_NAME_LENGTH)
        opens, closes = st.columns(2)
        opens.date_input(_("Opens"), key="round-edit-opens", format="DD.MM.YYYY")
        closes.date_input(_("Closes"), key="round-edit-closes", format="DD.MM.YYYY")
        st.button(_("Save the changes"), key="round-edit-save", on_click=_change_round, args=(actor,))


def rounds_section(actor: Actor, network: NetworkInfo) -> None:
    lang = current_language()
    if network.rounds:
        st.dataframe(
            {
                _("Round"): [r.name for r in network.rounds],
                _("Opens"): [fmt_date(r.opens_on, lang) for r in network.rounds],
                _("Closes"): [fmt_date(r.closes_on, lang) for r in network.rounds],
                _("Questionnaire"): [r.questionnaire_version for r in network.rounds],
                _("Status"): [_("closed") if r.closed else _("open") for r in network.rounds],
            },
            hide_index=True,
        )
    else:
        st.info(_("The network has no rounds yet."))
    with st.container(border=True):
        st.markdown("**" + _("New round") + "**")
        st.text_input(
            _("Name"), key="round-name", max_chars=admin.MAX_NAME_LENGTH, placeholder="Oppfølging 2027"
        )
        opens, closes, version = st.columns(3)
        opens.date_input(_("Opens"), value=date.today(), key="round-opens", format="DD.MM.YYYY")
        closes.date_input(
            _("Closes"), value=date.today() + timedelta(days=90), key="round-closes", format="DD.MM.YYYY"
        )
        versions = usable_versions()
        newest = newest_version()
        version.selectbox(
            _("Questionnaire version"),
            versions,
            index=versions.index(newest) if newest in versions else 0,
            help=_("A round keeps its version. The newest is chosen unless you pick an older one."),
            key="round-version",
        )
        st.button(_("Create the round"), key="round-create", on_click=_create_round, args=(actor, network.id))
    if network.rounds:
        _round_form(actor, network)
    open_rounds = [r for r in network.rounds if not r.closed]
    if open_rounds:
        with st.container(border=True):
            st.markdown("**" + _("Close a round") + "**")
            st.selectbox(_("Round"), open_rounds, format_func=lambda r: r.name, key="round-close-pick")
            st.checkbox(
                _("Nobody can change answers in a closed round. Close it."), key="round-close-confirm"
            )
            st.button(_("Close the round"), key="round-close", on_click=_close_round, args=(actor,))


# --- members ----------------------------------------------------------------------------------


def _add_members(actor: Actor, network_id: int) -> None:
    def action() -> str:
        added = admin.add_members(
            actor, network_id, [c.id for c in st.session_state.get("member-add-pick", [])]
        )
        st.session_state["member-add-pick"] = []
        return _("{n} bodies were added to the network.", n=added)

    _run(action)


def _import_members(actor: Actor, network_id: int) -> None:
    def action() -> str | None:
        upload = st.session_state.get("member-csv")
        if upload is None:
            _flash("warning", _("Choose a CSV file first."))
            return None
        outcome = admin.import_members(actor, network_id, upload.getvalue())
        return _(
            "Imported: {joined} new members ({created} bodies new to the register), "
            "{already} already members.",
            joined=outcome.joined,
            created=outcome.created,
            already=outcome.already,
        )

    _run(action)


def _remove_member(actor: Actor, network_id: int, names: dict[int, str]) -> None:
    def action() -> str | None:
        s = st.session_state
        if not s.get("member-remove-confirm"):
            _flash("warning", _("Tick the box to confirm that the body should leave the network."))
            return None
        body_id = s["member-remove-pick"]
        admin.remove_member(actor, network_id, body_id)
        s["member-remove-confirm"] = False
        return _("{body} is no longer a member of the network.", body=plain(names[body_id]))

    _run(action)


def _removal_form(actor: Actor, network: NetworkInfo, current: list[admin.BodyChoice]) -> None:
    names = {c.id: c.name for c in current}
    with st.container(border=True):
        st.markdown("**" + _("Remove a body from the network") + "**")
        st.caption(
            _(
                "Only a body that has not started an assessment in the network can leave it; "
                "its unused codes are revoked."
            )
        )
        st.selectbox(_("Body"), list(names), format_func=names.__getitem__, key="member-remove-pick")
        st.checkbox(_("Remove this body from the network."), key="member-remove-confirm")
        st.button(_("Remove"), key="member-remove", on_click=_remove_member, args=(actor, network.id, names))


def members_section(actor: Actor, network: NetworkInfo) -> None:
    lang = current_language()
    current = admin.members(actor, network.id)
    st.caption(_("{n} member bodies", n=len(current)))
    st.dataframe(tables.bodies_frame(current, lang), hide_index=True)
    with st.container(border=True):
        st.markdown("**" + _("Add bodies from the reference list") + "**")
        text = st.text_input(_("Search by name or municipality number"), key="member-search", max_chars=100)
        found = [c for c in admin.search_bodies(actor, network.id, text) if not c.member]
        if text.strip() and not found:
            st.caption(_("No body outside the network matches."))
        st.multiselect(
            _("Bodies to add"),
            found,
            format_func=lambda c: (
                f"{c.name} ({c.county}{', ' + c.municipality_number if c.municipality_number else ''})"
            ),
            key="member-add-pick",
        )
        st.button(_("Add to the network"), key="member-add", on_click=_add_members, args=(actor, network.id))
    with st.container(border=True):
        st.markdown("**" + _("Import bodies from a CSV file") + "**")
        st.caption(
            _(
                "Columns: name, kind, county_number, municipality_number, population, "
                "official_written_standard, org_number. Any bad row rejects the whole file."
            )
        )
        st.file_uploader(_("CSV file"), type=["csv"], key="member-csv")
        st.button(_("Import"), key="member-import", on_click=_import_members, args=(actor, network.id))
    if current:
        _removal_form(actor, network, current)


# --- invitation codes -------------------------------------------------------------------------


def _issue(actor: Actor, round_id: int) -> None:
    def action() -> None:
        s = st.session_state
        issued = admin.issue_codes(actor, round_id, list(s.get("codes-bodies", [])), int(s["codes-days"]))
        s[ISSUED_KEY] = issued
        s["codes-bodies"] = []

    _run(action)


def _revoke(actor: Actor) -> None:
    def action() -> str:
        row = st.session_state["codes-revoke-pick"]
        admin.revoke_code(actor, row.id)
        return _("The code ending in {hint} for {body} is revoked.", hint=row.hint, body=plain(row.body))

    _run(action)


def _issued_codes(actor: Actor, issued: list[admin.IssuedCode]) -> None:
    lang = current_language()
    with st.container(border=True, key="issued-codes"):
        st.warning(_("The new codes are shown only this once: print them or download them now."))
        width = max(len(c.code) for c in issued)
        st.code("\n".join(f"{c.code.ljust(width)}  {c.body}" for c in issued), language=None)
        frame = tables.issued_codes_frame(issued, lang)
        what = f"new invitation codes ({len(issued)})"
        table_downloads(frame, "ioa-codes", "codes", sheet=_("Codes"), audit=(actor, what))


def codes_section(actor: Actor, network: NetworkInfo, issued: list[admin.IssuedCode] | None) -> None:
    lang = current_language()
    if issued:
        _issued_codes(actor, issued)
    open_rounds = [r for r in reversed(network.rounds) if not r.closed]
    if not open_rounds:
        st.info(_("Codes are for open rounds, and the network has none."))
        return
    rnd = st.selectbox(_("Round"), open_rounds, format_func=lambda r: r.name, key="codes-round")
    status = {r.body_id: r for r in completion(actor, rnd.id)}
    statuses = {k: _(v) for k, v in tables.STATUS_NAMES.items()}
    with st.container(border=True):
        st.markdown("**" + _("New codes") + "**")
        st.multiselect(
            _("Bodies"),
            sorted(status, key=lambda b: status[b].body),
            format_func=lambda b: f"{status[b].body} ({statuses[status[b].status]})",
            key="codes-bodies",
        )
        not_started = [b for b, r in status.items() if r.status == "not_started"]
        st.button(
            _("Choose every body that has not started ({n})", n=len(not_started)),
            key="codes-not-started",
            on_click=lambda: st.session_state.update(
                {"codes-bodies": sorted(not_started, key=lambda b: status[b].body)}
            ),
            type="tertiary",
        )
        st.number_input(
            _("Valid for (days)"),
            min_value=1,
            max_value=365,
            value=DEFAULT_CODE_DAYS,
            step=1,
            key="codes-days",
            width=220,
        )
        st.button(_("Issue codes"), key="codes-issue", on_click=_issue, args=(actor, rnd.id), type="primary")

    st.markdown("**" + _("Codes issued for this round") + "**")
    rows = admin.list_invitations(actor, rnd.id)
    if not rows:
        st.caption(_("No codes yet."))
        return
    st.caption(_("Only the last four characters of a code are kept; the code itself cannot be shown again."))
    frame = tables.invitations_frame(rows, lang)
    st.dataframe(frame, hide_index=True)
    what = f"invitation list, round:{rnd.id}"
    table_downloads(frame, "ioa-code-list", "codes-list", sheet=_("Codes"), audit=(actor, what))
    active = [r for r in rows if r.status == "active"]
    if active:
        with st.container(horizontal=True, vertical_alignment="bottom"):
            st.selectbox(
                _("Revoke a code"),
                active,
                format_func=lambda r: f"{r.body} · …{r.hint}",
                key="codes-revoke-pick",
            )
            st.button(_("Revoke"), key="codes-revoke", on_click=_revoke, args=(actor,))


# --- reopening --------------------------------------------------------------------------------


def _reopen(actor: Actor, round_id: int) -> None:
    def action() -> str:
        s = st.session_state
        row = s["reopen-body"]
        admin.reopen_for_body(actor, round_id, row.body_id, s.get("reopen-reason", ""))
        s["reopen-reason"] = ""
        return _("The assessment of {body} is open for changes again.", body=plain(row.body))

    _run(action)


def reopen_section(actor: Actor, network: NetworkInfo) -> None:
    open_rounds = [r for r in reversed(network.rounds) if not r.closed]
    if not open_rounds:
        st.info(_("Only assessments in an open round can be reopened, and the network has none."))
        return
    rnd = st.selectbox(_("Round"), open_rounds, format_func=lambda r: r.name, key="reopen-round")
    submitted = [r for r in completion(actor, rnd.id) if r.status == "submitted"]
    if not submitted:
        st.caption(_("No body has submitted in this round yet."))
        return
    st.selectbox(_("Body"), submitted, format_func=lambda r: r.body, key="reopen-body")
    st.text_area(_("Reason (kept in the audit trail)"), key="reopen-reason", max_chars=500, height=80)
    st.button(_("Reopen the assessment"), key="reopen-submit", on_click=_reopen, args=(actor, rnd.id))
    st.caption(_("Until it is submitted again, the body's answers are left out of the cohort statistics."))


# --- contacts and e-mail ----------------------------------------------------------------------

MAIL_KIND_NAMES = {"invitation": N_("Invitation"), "reminder": N_("Reminder")}
MAIL_LANGUAGE_NAMES = {"nb": N_("Bokmål"), "nn": N_("Nynorsk")}


def _set_contact(actor: Actor, round_id: int, names: dict[int, str]) -> None:
    def action() -> str:
        s = st.session_state
        body_id = s["contact-body"]
        contacts.set_contact(actor, round_id, body_id, s.get("contact-name", ""), s.get("contact-email", ""))
        s["contact-name"] = s["contact-email"] = ""
        return _("The contact person of {body} is saved.", body=plain(names[body_id]))

    _run(action)


def _remove_contact(actor: Actor, round_id: int, names: dict[int, str]) -> None:
    def action() -> str:
        body_id = st.session_state["contact-body"]
        contacts.remove_contact(actor, round_id, body_id)
        return _("The contact person of {body} is removed.", body=plain(names[body_id]))

    _run(action)


def _import_contacts(actor: Actor, round_id: int) -> None:
    def action() -> str | None:
        upload = st.session_state.get("contact-csv")
        if upload is None:
            _flash("warning", _("Choose a CSV file first."))
            return None
        stored = contacts.import_contacts(actor, round_id, upload.getvalue())
        return _("{n} contact persons were saved.", n=stored)

    _run(action)


def _report(report: mailing.SendReport) -> str | None:
    """The outcome of a sending: how many went out; each refused recipient listed with the reason."""
    if report.failed:
        st.session_state[PROBLEMS_KEY] = [f"{o.body} <{o.email}>: {o.error}" for o in report.failed]
        _flash(
            "error",
            _(
                "E-mails not sent: {n} (listed below); nothing was recorded for them.",
                n=len(report.failed),
            ),
        )
    if report.kind == "invitation":
        return _("Invitations sent: {n}.", n=len(report.sent)) if report.sent else None
    return _("Reminders sent: {n}.", n=len(report.sent)) if report.sent or not report.failed else None


def _send_invitations(actor: Actor, round_id: int) -> None:
    def action() -> str | None:
        s = st.session_state
        report = mailing.send_invitations(
            actor, round_id, list(s.get("mail-invite-bodies", [])), int(s["mail-invite-days"])
        )
        s["mail-invite-bodies"] = []
        return _report(report)

    _run(action)


def _send_reminders(actor: Actor, round_id: int) -> None:
    _run(lambda: _report(mailing.send_reminders(actor, round_id)))


def _load_text(actor: Actor, network_id: int) -> None:
    s = st.session_state
    text = mailing.mail_template(actor, network_id, s["mail-kind"], s["mail-language"])
    s["mail-subject"], s["mail-body"] = text.subject, text.body
    s["mail-text-for"] = (network_id, text.kind, text.language)


def _save_text(actor: Actor, network_id: int) -> None:
    def action() -> str:
        s = st.session_state
        mailing.save_template(
            actor, network_id, s["mail-kind"], s["mail-language"], s["mail-subject"], s["mail-body"]
        )
        return _("The text is saved for the network.")

    _run(action)


def _reset_text(actor: Actor, network_id: int) -> None:
    def action() -> str:
        s = st.session_state
        mailing.reset_template(actor, network_id, s["mail-kind"], s["mail-language"])
        _load_text(actor, network_id)
        return _("The built-in text is used again.")

    _run(action)


def _contacts_table(
    rows: list[contacts.ContactRow],
    progress: dict[int, CompletionRow],
    last: dict[int, LastMessage],
    lang: str,
) -> None:
    st.dataframe(
        {
            _("Body"): [r.body for r in rows],
            _("Contact person"): [r.name or "–" for r in rows],
            _("E-mail"): [r.email or "–" for r in rows],
            _("Status"): [
                _(tables.STATUS_NAMES[progress[r.body_id].status]) if r.body_id in progress else "–"
                for r in rows
            ],
            _("Last e-mail"): [days_ago_text(last.get(r.body_id), lang) for r in rows],
        },
        hide_index=True,
        key="contacts-table",
    )


def _texts_editor(actor: Actor, network: NetworkInfo) -> None:
    s = st.session_state
    with st.container(border=True, key="mail-texts"):
        st.markdown("**" + _("The e-mails' texts") + "**")
        st.caption(
            _(
                "Each body gets its e-mail in its own written language (nynorsk or bokmål). "
                "Placeholders: {names}.",
                names=", ".join("{" + p + "}" for p in mailing.PLACEHOLDERS),
            )
        )
        kind_col, lang_col = st.columns(2)
        kind_col.radio(
            _("E-mail"),
            list(MAIL_KIND_NAMES),
            format_func={k: _(v) for k, v in MAIL_KIND_NAMES.items()}.__getitem__,
            key="mail-kind",
            horizontal=True,
        )
        lang_col.radio(
            _("Language"),
            list(MAIL_LANGUAGE_NAMES),
            format_func={k: _(v) for k, v in MAIL_LANGUAGE_NAMES.items()}.__getitem__,
            key="mail-language",
            horizontal=True,
        )
        if s.get("mail-text-for") != (network.id, s["mail-kind"], s["mail-language"]):
            _load_text(actor, network.id)
        edit_col, preview_col = st.columns(2, gap="medium")
        with edit_col:
            st.text_input(_("Subject"), key="mail-subject", max_chars=mailing.MAX_SUBJECT)
            st.text_area(_("Text"), key="mail-body", height=320, max_chars=mailing.MAX_BODY)
            with st.container(horizontal=True):
                st.button(
                    _("Save the text"), key="mail-text-save", on_click=_save_text, args=(actor, network.id)
                )
                st.button(
                    _("Use the built-in text"),
                    key="mail-text-reset",
                    on_click=_reset_text,
                    args=(actor, network.id),
                    type="tertiary",
                )
        with preview_col:
            st.markdown("**" + _("Preview") + "**")
            try:
                shown = mailing.preview(
                    actor, network.id, s["mail-kind"], s["mail-language"], s["mail-subject"], s["mail-body"]
                )
            except ServiceError as exc:
                st.error(_(exc.msgid, **exc.values))
            else:
                st.text(_("Subject: {subject}", subject=shown.subject))
                st.code(shown.body, language=None, wrap_lines=True)


def mail_section(actor: Actor, network: NetworkInfo) -> None:
    lang = current_language()
    ready = is_configured()
    if not ready:
        st.info(_(mailing.NOT_SET_UP))
    open_rounds = [r for r in reversed(network.rounds) if not r.closed]
    if not open_rounds:
        st.info(_("Contacts and e-mails are for open rounds, and the network has none."))
        return
    rnd = st.selectbox(_("Round"), open_rounds, format_func=lambda r: r.name, key="mail-round")
    rows = contacts.list_contacts(actor, rnd.id)
    progress = {r.body_id: r for r in completion(actor, rnd.id)}
    last = mailing.last_emails(actor, rnd.id)
    with_contact = [r for r in rows if r.email]
    st.caption(
        _("{n} of {m} member bodies have a contact person in this round.", n=len(with_contact), m=len(rows))
    )
    _contacts_table(rows, progress, last, lang)
    names = {r.body_id: r.body for r in rows}
    with st.container(border=True):
        st.markdown("**" + _("Contact person") + "**")
        st.selectbox(_("Body"), list(names), format_func=names.__getitem__, key="contact-body")
        name_col, email_col = st.columns(2)
        name_col.text_input(_("Name"), key="contact-name", max_chars=contacts.MAX_CONTACT_NAME)
        email_col.text_input(_("E-mail"), key="contact-email", max_chars=254)
        with st.container(horizontal=True):
            st.button(
                _("Save the contact person"),
                key="contact-save",
                on_click=_set_contact,
                args=(actor, rnd.id, names),
            )
            st.button(
                _("Remove the contact person"),
                key="contact-remove",
                on_click=_remove_contact,
                args=(actor, rnd.id, names),
                type="tertiary",
            )
    with st.container(border=True):
        st.markdown("**" + _("Import contact persons from a CSV file") + "**")
        st.caption(
            _(
                "Columns: body (name, municipality or organisation number), name, email; separated by "
                "commas or semicolons. Any bad row rejects the whole file."
            )
        )
        st.file_uploader(_("CSV file"), type=["csv"], key="contact-csv")
        st.button(_("Import"), key="contact-import", on_click=_import_contacts, args=(actor, rnd.id))
    _texts_editor(actor, network)
    with st.container(border=True, key="mail-invite"):
        st.markdown("**" + _("Send invitations") + "**")
        st.caption(
            _(
                "Each contact person gets a personal link with a new code for the body; "
                "the e-mail says when it expires."
            )
        )
        not_invited = [
            r.body_id
            for r in with_contact
            if r.body_id not in last and getattr(progress.get(r.body_id), "status", "") != "submitted"
        ]
        if st.session_state.get("mail-invite-for") != (rnd.id, not_invited):
            # Preselect the bodies not invited yet, again whenever that set changes.
            st.session_state["mail-invite-for"] = (rnd.id, not_invited)
            st.session_state["mail-invite-bodies"] = not_invited
        if not with_contact:
            st.caption(_("No body has a contact person in this round yet: add them above."))
            no_contacts = True
        else:
            no_contacts = False
            st.multiselect(
                _("Bodies"),
                [r.body_id for r in with_contact],
                format_func=names.__getitem__,
                key="mail-invite-bodies",
                placeholder=_("Choose bodies"),
            )
        st.number_input(
            _("Valid for (days)"),
            min_value=1,
            max_value=365,
            value=DEFAULT_CODE_DAYS,
            step=1,
            key="mail-invite-days",
            width=220,
        )
        st.button(
            _("Send invitations"),
            key="mail-send-invitations",
            on_click=_send_invitations,
            args=(actor, rnd.id),
            type="primary",
            disabled=not ready or no_contacts,
            icon=":material/mail:",
        )
    with st.container(border=True, key="mail-remind"):
        st.markdown("**" + _("Send reminders") + "**")
        due = mailing.reminders_due(actor, rnd.id)
        st.caption(
            _(
                "To the contact persons of bodies that have not submitted, at most every {n} days. "
                "Due now: {due}.",
                n=reminder_interval_days(),
                due=len(due),
            )
        )
        st.button(
            _("Send reminders"),
            key="mail-send-reminders",
            on_click=_send_reminders,
            args=(actor, rnd.id),
            disabled=not ready or not due,
            icon=":material/notifications:",
        )
