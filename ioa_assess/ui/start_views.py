"""The start page after sign-in: what each role should do now, with the figures it needs."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ioa_assess.config import k_anonymity, reminder_interval_days
from ioa_assess.i18n import fmt_date, fmt_number
from ioa_assess.questionnaire import DEFAULT_VERSION, load_questionnaire
from ioa_assess.reports.cohort_tables import REASON_NAMES, STATUS_NAMES
from ioa_assess.services import mailing, start
from ioa_assess.services.actor import Actor, ServiceError
from ioa_assess.services.mail_log import days_ago_text
from ioa_assess.ui.i18n import _, current_language
from ioa_assess.ui.session import RESUMED_KEY
from ioa_assess.ui.tables import show_table
from ioa_assess.ui.text import plain, plain_values
from ioa_assess.ui.widgets import show_error


def _signed(value: float | None, lang: str) -> str:
    if value is None:
        return "–"
    shown = round(value, 1)
    text = fmt_number(abs(shown), lang)
    return ("+" if shown > 0 else "-" if shown < 0 else "±") + text


def _days_left(days: int | None) -> str:
    if days is None:
        return "–"
    if days < 0:
        return _("the deadline has passed")
    if days == 0:
        return _("closes today")
    return _("{n} days left", n=days)


def show(actor: Actor) -> None:
    """The role's own start: participants and agency leads, leaders, facilitators, regional leaders,
    administrators."""
    try:
        if actor.answers_for_body:
            _answerer(actor)
        elif actor.role == "leader":
            _leader(actor)
        elif actor.role == "facilitator":
            _facilitator(actor)
        elif actor.role == "regional_leader":
            _regional(actor)
        elif actor.is_admin:
            _admin(actor)
    except ServiceError as exc:
        show_error(exc)


def landing_page(actor: Actor) -> str | None:
    """The assessment for a respondent whose own answers are under way; None for the start page."""
    if not actor.answers_for_body:
        return None
    try:
        state = start.answerer_start(actor)
    except ServiceError:
        return None
    # Only the person's own work under way: someone who has not begun, or said they are done, and
    # the agency lead with colleagues' answers to agree, start from the start page's figures.
    if state.status == "in_progress" and state.answered and not state.done and not state.to_agree:
        return "pages/assess.py"
    return None


def land_where_the_work_stopped(actor: Actor) -> None:
    """A respondent who comes back (the sign-in resumed from the cookie in this very run) goes
    straight back to the assessment under way; opening the start page later shows it as usual."""
    if st.session_state.pop(RESUMED_KEY, False) and (target := landing_page(actor)):
        st.switch_page(target)


# --- participant and agency lead ----------------------------------------------------------------


def _answerer(actor: Actor) -> None:
    lang = current_language()
    state = start.answerer_start(actor)
    st.header(_("Your assessment"))
    if state.round_name is None:
        st.info(_("There is no open round for your organisation now. Your results stay available."))
        st.page_link("pages/results.py", label=_("See your results"), icon=":material/insights:")
        return
    st.caption(
        _(
            "Round: {round} · closes {date} ({left})",
            round=plain(state.round_name),
            date=fmt_date(state.closes_on, lang),
            left=_days_left(state.days_left),
        )
    )
    with st.container(horizontal=True, key="start-figures"):
        st.metric(_("Answered"), _("{a} of {t}", a=state.answered, t=state.total), border=True)
        st.metric(_("Status"), _(STATUS_NAMES.get(state.status, state.status)), border=True)
        st.metric(_("Deadline"), fmt_date(state.closes_on, lang), border=True)
    st.progress(state.answered / state.total if state.total else 0.0)
    if state.status == "submitted":
        st.success(_("Your organisation has submitted its assessment. Thank you!"))
        st.page_link("pages/results.py", label=_("See your results"), icon=":material/insights:")
    else:
        if state.answered and state.next_dimension and state.questionnaire_version:
            questionnaire = load_questionnaire(state.questionnaire_version)
            where = questionnaire.dimension(state.next_dimension).name.get(lang)
            st.write(_("The work stopped at: {dimension}.", dimension=where))
        label = _("Continue where you stopped") if state.answered else _("Start the assessment")
        # With colleagues' answers to agree, agreeing is the lead's first task; answering is the second.
        kind = "secondary" if state.to_agree else "primary"
        if st.button(label, key="start-continue", type=kind, icon=":material/arrow_forward:"):
            st.switch_page("pages/assess.py")
    if state.respondents:
        _colleagues(state, lang)


def _colleagues(state: start.AnswererStart, lang: str) -> None:
    """The agency lead's view of the body's people: who has answered, and what is left to agree."""
    st.subheader(_("Your colleagues' answers"))
    if state.status != "submitted":
        if state.to_agree:
            st.write(
                _(
                    "{n} answered questions need an agreed answer; on {apart} of them your people are two "
                    "or more levels apart.",
                    n=state.to_agree,
                    apart=state.apart,
                )
            )
            if st.button(_("Compare and agree"), key="start-agree", type="primary", icon=":material/groups:"):
                st.switch_page("pages/agree.py")
        else:
            st.write(_("Every answered question has an agreed answer."))
            st.page_link("pages/agree.py", label=_("Compare and agree"), icon=":material/groups:")
    show_table(
        pd.DataFrame(
            {
                _("Person"): [  # a table cell is text, so names need no escaping here
                    p.label if p.label else _("Respondent {letter}", letter=p.letter)
                    for p in state.respondents
                ],
                _("Answers"): [fmt_number(p.answered, lang, digits=0) for p in state.respondents],
                _("Done"): [
                    _("Done {date}", date=fmt_date(p.done_at.astimezone().date(), lang))
                    if p.done_at
                    else _("Not yet")
                    for p in state.respondents
                ],
            }
        )
    )


# --- leader -------------------------------------------------------------------------------------


def _leader(actor: Actor) -> None:
    from ioa_assess.reports.leadership_pdf import leadership_pdf
    from ioa_assess.services.leadership import leadership_summary
    from ioa_assess.ui.downloads import DownloadFile, download_row

    lang = current_language()
    state = start.leader_start(actor)
    st.header(_("Where your organisation stands"))
    if state.round_name is None:
        st.info(_("Your organisation has not submitted an assessment yet."))
        return
    st.caption(_("Latest submitted round: {round}", round=plain(state.round_name)))
    with st.container(horizontal=True, key="start-figures"):
        st.metric(
            _("Overall maturity"),
            fmt_number(state.overall, lang),
            delta=_signed(state.change, lang) if state.change is not None else None,
            delta_color="off" if state.change is None or round(state.change, 1) == 0 else "normal",
            border=True,
            help=_("Change since {round}", round=plain(state.previous_round))
            if state.previous_round
            else None,
        )
        peers = state.peers
        st.metric(
            _("Network median"),
            fmt_number(peers.median, lang) if peers else _("too few"),
            border=True,
            help=_("Median of at least {k} bodies", k=k_anonymity()),
        )
    if state.position and state.peers:
        text = {
            "above": _("You are above the middle half of the network ({q1}–{q3})."),
            "within": _("You are within the middle half of the network ({q1}–{q3})."),
            "below": _("You are below the middle half of the network ({q1}–{q3})."),
        }[state.position]
        st.write(text.format(q1=fmt_number(state.peers.q1, lang), q3=fmt_number(state.peers.q3, lang)))
    elif state.peers is None:
        st.caption(_("Too few bodies to compare (fewer than {k}).", k=k_anonymity()))
    st.page_link("pages/leadership.py", label=_("Open the leadership summary"), icon=":material/trending_up:")
    pdf = DownloadFile(
        _("One-page report (PDF)"),
        lambda: leadership_pdf(leadership_summary(actor), lang),
        "ioa-leadership.pdf",
        "application/pdf",
    )
    download_row("start-report", [pdf])


# --- facilitator --------------------------------------------------------------------------------


def _send_reminders(actor: Actor, round_id: int) -> None:
    try:
        report = mailing.send_reminders(actor, round_id)
    except ServiceError as exc:
        st.session_state["start-mail-result"] = ("error", _(exc.msgid, **plain_values(exc.values)), [])
        return
    failed = [f"{o.body}: {o.email}: {o.error}" for o in report.failed]
    text = _("Reminders sent: {n}.", n=len(report.sent))
    st.session_state["start-mail-result"] = ("warning" if failed else "success", text, failed)


def _facilitator(actor: Actor) -> None:
    lang = current_language()
    state = start.facilitator_start(actor)
    if result := st.session_state.pop("start-mail-result", None):
        kind, text, failed = result
        getattr(st, kind)(text)
        if failed:
            st.dataframe({_("Not sent"): failed}, hide_index=True)
    st.header(_("The open round"))
    if state.round_id is None:
        st.info(_("The network has no open round. Create one on the network page."))
        st.page_link("pages/network.py", label=_("Network administration"), icon=":material/hub:")
        return
    st.caption(
        _(
            "{round} · closes {date} ({left})",
            round=plain(state.round_name or ""),
            date=fmt_date(state.closes_on, lang),
            left=_days_left(state.days_left),
        )
    )
    with st.container(horizontal=True, key="start-figures"):
        for status, label in STATUS_NAMES.items():
            st.metric(_(label), state.counts.get(status, 0), border=True)
        st.metric(_("Days left"), state.days_left if state.days_left is not None else "–", border=True)
    st.subheader(_("Who to remind"))
    if not state.to_remind:
        st.success(_("Every member body has submitted."))
    else:
        st.dataframe(
            {
                _("Body"): [r.body for r in state.to_remind],
                _("Status"): [_(STATUS_NAMES[r.status]) for r in state.to_remind],
                _("Answered"): [f"{r.answered}/{r.total}" for r in state.to_remind],
                _("Last e-mail"): [days_ago_text(r.last_email, lang) or "–" for r in state.to_remind],
            },
            hide_index=True,
            key="start-remind",
        )
        if state.to_remind_total > len(state.to_remind):
            st.caption(_("and {n} more", n=state.to_remind_total - len(state.to_remind)))
        if state.mail_ready:
            st.button(
                _("Send reminders"),
                key="start-send-reminders",
                on_click=_send_reminders,
                args=(actor, state.round_id),
                icon=":material/mail:",
                help=_(
                    "To the contact persons of bodies that have not submitted, at most every {n} days.",
                    n=reminder_interval_days(),
                ),
            )
        else:
            st.caption(_(mailing.NOT_SET_UP))
        st.page_link("pages/cohort.py", label=_("The full completion list"), icon=":material/groups:")
    st.subheader(_("Top of the workshop agenda"))
    if not state.agenda:
        st.caption(_("Too few submitted assessments to show (fewer than {k}).", k=k_anonymity()))
    else:
        questionnaire = load_questionnaire(state.questionnaire_version or DEFAULT_VERSION)
        st.dataframe(
            {
                _("Question"): [questionnaire.question(i.question_id).title.get(lang) for i in state.agenda],
                _("Reason"): [_(REASON_NAMES[i.reason]) for i in state.agenda],
                _("Median"): [fmt_number(i.median, lang) for i in state.agenda],
            },
            hide_index=True,
        )
        st.page_link("pages/agenda.py", label=_("Workshop agenda"), icon=":material/event_note:")


# --- regional leader ----------------------------------------------------------------------------


def _regional(actor: Actor) -> None:
    lang = current_language()
    state = start.regional_start(actor)
    k = k_anonymity()
    st.header(_("The region at a glance"))
    st.caption(_("Aggregates only. A group of fewer than {k} bodies is not shown.", k=k))
    if state.round_name:
        st.caption(_("Latest round with submitted assessments: {round}", round=plain(state.round_name)))
    with st.container(horizontal=True, key="start-figures"):
        st.metric(_("Member bodies"), state.members, border=True)
        st.metric(
            _("Submitted"), state.submitted if state.submitted is not None else _("too few"), border=True
        )
        st.metric(
            _("Median overall maturity"),
            fmt_number(state.overall.median, lang) if state.overall else _("too few"),
            border=True,
        )
    st.dataframe(
        {
            _("County"): [c for c, _m, _s in state.counties],
            _("Members"): [str(m) for _c, m, _s in state.counties],
            _("Bodies"): [str(s.n) if s else _("too few") for _c, _m, s in state.counties],
            _("Median"): [fmt_number(s.median, lang) if s else "–" for _c, _m, s in state.counties],
        },
        hide_index=True,
    )
    st.page_link("pages/regional.py", label=_("Region"), icon=":material/map:")


# --- administrator ------------------------------------------------------------------------------


def _admin(actor: Actor) -> None:
    lang = current_language()
    state = start.admin_start(actor)
    st.header(_("The installation"))
    st.caption(
        _(
            "Database: {backend}, {name} · schema {revision} · e-mail {mail}",
            backend={"sqlite": "SQLite", "postgresql": "PostgreSQL"}.get(state.backend, state.backend),
            name=plain(state.database),
            revision=state.revision or "–",
            mail=_("set up") if state.mail_ready else _("not set up"),
        )
    )
    names = {
        "bodies": _("Bodies"),
        "networks": _("Networks"),
        "rounds": _("Rounds"),
        "users": _("Accounts"),
        "assessments": _("Assessments"),
        "answers": _("Answers"),
    }
    with st.container(horizontal=True, key="start-figures"):
        for key, label in names.items():
            st.metric(label, fmt_number(state.counts[key], lang, digits=0), border=True)
    purge = state.purge
    if purge.days == 0:
        st.write(_("Retention: answers are kept (no retention period is set)."))
    elif purge.responses or purge.own_answers:
        st.warning(
            _(
                "{n} answers are due for deletion under the retention rule ({days} days). Delete them "
                "with `python -m ioa_assess purge`.",
                n=fmt_number(purge.responses + purge.own_answers, lang, digits=0),
                days=purge.days,
            )
        )
    else:
        st.write(_("Retention: no answers are due for deletion ({days} days).", days=purge.days))
    st.subheader(_("Failed sign-ins in the last 7 days: {n}", n=state.failures))
    if state.recent_failures:
        st.dataframe(
            {
                _("When"): [fmt_date(f.at, lang) for f in state.recent_failures],
                _("Who"): [f.who for f in state.recent_failures],
                _("What"): [f.action for f in state.recent_failures],
            },
            hide_index=True,
        )
    st.page_link("pages/admin.py", label=_("Administration"), icon=":material/admin_panel_settings:")
