"""Invitations and reminders by e-mail, in each body's language, with a personal link.

A message is recorded as sent (sent_messages and the audit trail) only after the mail server
accepted it. An invitation's code is issued before sending and revoked again if the server refuses
the message, so no code goes unaccounted for. Reminders reach only bodies that have not submitted,
and a body gets at most one e-mail every IOA_REMINDER_DAYS days.
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ioa_assess.config import public_url, reminder_interval_days
from ioa_assess.i18n import N_, fmt_date, translate
from ioa_assess.mail import Mail, Mailer, SendFailed, is_configured
from ioa_assess.services import audit
from ioa_assess.services.accounts import DEFAULT_CODE_DAYS, issue_invitation, revoke_invitation
from ioa_assess.services.actor import Actor, InvalidInput, PermissionDenied, is_id, now
from ioa_assess.services.cohort import completion
from ioa_assess.services.contacts import round_run_by
from ioa_assess.services.mail_log import LastMessage, aware, last_messages
from ioa_assess.storage.engine import session_scope
from ioa_assess.storage.models import Body, Contact, MailText, Network, Round, SentMessage

KINDS = ("invitation", "reminder")
MAIL_LANGUAGES = ("nb", "nn")
MAX_SUBJECT = 200
MAX_BODY = 5000
PLACEHOLDERS = (
    "contact",
    "body",
    "network",
    "round",
    "link",
    "code",
    "expires",
    "deadline",
    "answered",
    "total",
)
NOT_SET_UP = N_("E-mail is not set up on this server. Hand out the codes as before.")

DEFAULT_SUBJECTS = {
    "invitation": N_("Invitation: self-assessment of innovative procurement ({round})"),
    "reminder": N_("Reminder: self-assessment of innovative procurement ({round})"),
}
DEFAULT_BODIES = {
    "invitation": N_(
        "Hello {contact},\n\n"
        "{body} is invited to assess its maturity in innovative public procurement in the "
        "network {network}, round {round}.\n\n"
        "Open your personal link to start:\n{link}\n\n"
        "The link works until {expires}; the code in it is {code}. Please answer by {deadline}. "
        "Colleagues from {body} may use the same link; the answers are saved as you go.\n\n"
        "Best regards,\nthe network's facilitators"
    ),
    "reminder": N_(
        "Hello {contact},\n\n"
        "{body} has answered {answered} of {total} questions in the self-assessment of the network "
        "{network} ({round}). The deadline is {deadline}.\n\n"
        "Continue here:\n{link}\n\n"
        "The link works until {expires}; the code in it is {code}.\n\n"
        "Best regards,\nthe network's facilitators"
    ),
}


def mail_language(written_standard: str | None) -> str:
    """Nynorsk for a nynorsk body, bokmål otherwise (as the app chooses a body's language)."""
    return "nn" if written_standard == "nynorsk" else "nb"


def invitation_link(code: str) -> str:
    return f"{public_url()}/?code={code}"


# --- texts --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MailTemplate:
    kind: str
    language: str
    subject: str
    body: str
    custom: bool  # the network's own wording, not the built-in one


def _check_kind(kind: str, language: str) -> None:
    if kind not in KINDS or language not in MAIL_LANGUAGES:
        raise InvalidInput("Unknown kind of e-mail.")


def _network_run_by(session: Session, actor: Actor, network_id: int) -> Network:
    network = session.get(Network, network_id) if is_id(network_id) else None
    if network is None or not actor.runs_network(network.id):
        raise PermissionDenied("Only the network's facilitators can change it.")
    return network


def template(session: Session, network_id: int, kind: str, language: str) -> MailTemplate:
    stored = session.scalar(
        select(MailText).where(
            MailText.network_id == network_id, MailText.kind == kind, MailText.language == language
        )
    )
    if stored is not None:
        return MailTemplate(kind, language, stored.subject, stored.body, True)
    subject, body = translate(language, DEFAULT_SUBJECTS[kind]), translate(language, DEFAULT_BODIES[kind])
    return MailTemplate(kind, language, subject, body, False)


def mail_template(actor: Actor, network_id: int, kind: str, language: str) -> MailTemplate:
    _check_kind(kind, language)
    with session_scope() as session:
        _network_run_by(session, actor, network_id)
        return template(session, network_id, kind, language)


def render(text: str, values: dict[str, str]) -> str:
    """`text` with its {placeholders} filled; an unknown or broken placeholder is refused."""
    for _literal, name, _spec, _conversion in _parse(text):
        if name is not None and name not in PLACEHOLDERS:
            raise InvalidInput("The text uses an unknown placeholder: {name}.", name="{" + name + "}")
    return text.format_map(values)


def _parse(text: str) -> list[tuple[str, str | None, str | None, str | None]]:
    try:
        return list(string.Formatter().parse(text))
    except ValueError:
        raise InvalidInput(
            "A curly bracket in the text is not closed: write {{ and }} for brackets."
        ) from None


def save_template(actor: Actor, network_id: int, kind: str, language: str, subject: str, body: str) -> None:
    """The network's own wording of one e-mail; checked by rendering it with sample values."""
    _check_kind(kind, language)
    subject, body = subject.strip(), body.strip()
    if not subject or not body:
        raise InvalidInput("Give the e-mail a subject and a text.")
    if len(subject) > MAX_SUBJECT or "\n" in subject or len(body) > MAX_BODY:
        raise InvalidInput(
            "The subject is one line of at most {s} characters, the text at most {b}.",
            s=MAX_SUBJECT,
            b=MAX_BODY,
        )
    sample = sample_values(language)
    render(subject, sample), render(body, sample)
    with session_scope(write=True) as session:
        _network_run_by(session, actor, network_id)
        stored = session.scalar(
            select(MailText).where(
                MailText.network_id == network_id, MailText.kind == kind, MailText.language == language
            )
        )
        if stored is None:
            session.add(
                MailText(
                    network_id=network_id,
                    kind=kind,
                    language=language,
                    subject=subject,
                    body=body,
                    updated_at=now(),
                )
            )
        else:
            stored.subject, stored.body, stored.updated_at = subject, body, now()
        audit.record(session, actor, "mail.text", f"network:{network_id}", f"{kind} {language}")


def reset_template(actor: Actor, network_id: int, kind: str, language: str) -> None:
    _check_kind(kind, language)
    with session_scope(write=True) as session:
        _network_run_by(session, actor, network_id)
        stored = session.scalar(
            select(MailText).where(
                MailText.network_id == network_id, MailText.kind == kind, MailText.language == language
            )
        )
        if stored is not None:
            session.delete(stored)
            audit.record(session, actor, "mail.text_reset", f"network:{network_id}", f"{kind} {language}")


def sample_values(language: str) -> dict[str, str]:
    """Values for a preview: what a real message would carry, with a made-up code."""
    expires = now() + timedelta(days=DEFAULT_CODE_DAYS)
    return {
        "contact": "Kari Nordmann",
        "body": "Bergen kommune" if language == "nb" else "Voss herad",
        "network": "Innkjøpsnettverket Vest",
        "round": "Haust 2026" if language == "nn" else "Høst 2026",
        "link": invitation_link("ABCD-EFGH-JKLM"),
        "code": "ABCD-EFGH-JKLM",
        "expires": fmt_date(expires.date(), language),
        "deadline": fmt_date((expires - timedelta(days=30)).date(), language),
        "answered": "23",
        "total": "40",
    }


@dataclass(frozen=True)
class Preview:
    subject: str
    body: str


def preview(actor: Actor, network_id: int, kind: str, language: str, subject: str, body: str) -> Preview:
    """The e-mail as a contact would read it, with sample values; refuses a broken text."""
    _check_kind(kind, language)
    with session_scope() as session:
        _network_run_by(session, actor, network_id)
    sample = sample_values(language)
    return Preview(render(subject, sample), render(body, sample))


# --- sending ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    body_id: int
    body: str
    contact: str
    email: str
    language: str
    error: str | None  # the server's reason when it refused the message

    @property
    def sent(self) -> bool:
        return self.error is None


@dataclass(frozen=True)
class SendReport:
    kind: str
    dry_run: bool
    outcomes: list[Outcome]

    @property
    def sent(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.sent]

    @property
    def failed(self) -> list[Outcome]:
        return [o for o in self.outcomes if not o.sent]


@dataclass(frozen=True)
class _Prepared:
    body_id: int
    body: str
    contact: str
    email: str
    language: str
    invitation_id: int | None
    mail: Mail


def _require_mail() -> None:
    if not is_configured():
        raise InvalidInput(NOT_SET_UP)


def _open_round(session: Session, actor: Actor, round_id: int) -> Round:
    rnd = round_run_by(session, actor, round_id)
    if rnd.closed_at is not None:
        raise InvalidInput("The round is closed.")
    return rnd


def _prepare(
    session: Session,
    actor: Actor,
    rnd: Round,
    contact: Contact,
    kind: str,
    progress: tuple[int, int],
    valid_days: int,
    issue: bool,
) -> _Prepared:
    body = session.get(Body, contact.body_id)
    assert body is not None
    language = mail_language(body.written_standard)
    invitation_id, code, expires = None, "XXXX-XXXX-XXXX", now() + timedelta(days=valid_days)
    if issue:
        invitation, code = issue_invitation(session, actor, body.id, rnd.id, valid_days)
        invitation_id, expires = invitation.id, invitation.expires_at
    network = session.get(Network, rnd.network_id)
    values = {
        "contact": contact.name,
        "body": body.name,
        "network": network.name if network else "",
        "round": rnd.name,
        "link": invitation_link(code),
        "code": code,
        "expires": fmt_date(expires.date(), language),
        "deadline": fmt_date(rnd.closes_on, language),
        "answered": str(progress[0]),
        "total": str(progress[1]),
    }
    text = template(session, rnd.network_id, kind, language)
    mail = Mail(contact.name, contact.email, render(text.subject, values), render(text.body, values))
    return _Prepared(body.id, body.name, contact.name, contact.email, language, invitation_id, mail)


def _deliver(actor: Actor, rnd_id: int, kind: str, prepared: list[_Prepared]) -> SendReport:
    """Send each message; record the accepted ones, revoke the codes of the refused ones."""
    outcomes: list[Outcome] = []
    errors: dict[int, str] = {}
    try:
        with Mailer() as mailer:
            for item in prepared:
                try:
                    mailer.send(item.mail)
                except SendFailed as exc:
                    errors[item.body_id] = str(exc)
                    continue
                with session_scope(write=True) as session:
                    session.add(
                        SentMessage(
                            round_id=rnd_id,
                            body_id=item.body_id,
                            kind=kind,
                            email=item.email,
                            language=item.language,
                            sent_at=now(),
                            sent_by=actor.label[:254],
                        )
                    )
                    audit.record(
                        session,
                        actor,
                        f"mail.{kind}",
                        f"body:{item.body_id}",
                        f"round={rnd_id} to={item.email}",
                    )
    except SendFailed as exc:  # no connection at all: nothing after this point went out
        for item in prepared:
            errors.setdefault(item.body_id, str(exc))
    with session_scope(write=True) as session:
        for item in prepared:
            if item.body_id in errors:
                if item.invitation_id is not None:
                    revoke_invitation(session, actor, item.invitation_id)
                audit.record(
                    session,
                    actor,
                    f"mail.{kind}_failed",
                    f"body:{item.body_id}",
                    f"round={rnd_id} to={item.email}: {errors[item.body_id]}"[:2000],
                )
    for item in prepared:
        outcomes.append(
            Outcome(
                item.body_id, item.body, item.contact, item.email, item.language, errors.get(item.body_id)
            )
        )
    return SendReport(kind, False, outcomes)


def _progress(actor: Actor, round_id: int) -> dict[int, tuple[str, int, int]]:
    return {r.body_id: (r.status, r.answered, r.total) for r in completion(actor, round_id)}


def send_invitations(
    actor: Actor, round_id: int, body_ids: list[int] | None = None, valid_days: int = DEFAULT_CODE_DAYS
) -> SendReport:
    """One e-mail with a new personal code to the contact of each chosen body (every contact when
    none are chosen) in an open round."""
    _require_mail()
    progress = _progress(actor, round_id)
    with session_scope(write=True) as session:
        rnd = _open_round(session, actor, round_id)
        query = select(Contact).where(Contact.round_id == rnd.id).order_by(Contact.id)
        if body_ids is not None:
            if not body_ids:
                raise InvalidInput("Choose at least one body.")
            query = query.where(Contact.body_id.in_([b for b in body_ids if is_id(b)]))
        contacts = list(session.scalars(query))
        if not contacts:
            raise InvalidInput("None of the chosen bodies has a contact person in this round.")
        prepared = [
            _prepare(
                session,
                actor,
                rnd,
                c,
                "invitation",
                progress.get(c.body_id, ("", 0, 0))[1:],
                valid_days,
                True,
            )
            for c in contacts
        ]
    return _deliver(actor, round_id, "invitation", prepared)


def reminders_due(actor: Actor, round_id: int, at: datetime | None = None) -> list[int]:
    """The bodies with a contact that have not submitted and got no e-mail in the last N days."""
    at = at or now()
    progress = _progress(actor, round_id)
    with session_scope() as session:
        rnd = round_run_by(session, actor, round_id)
        last = dict(
            session.execute(
                select(SentMessage.body_id, func.max(SentMessage.sent_at))
                .where(SentMessage.round_id == rnd.id)
                .group_by(SentMessage.body_id)
            ).all()
        )
        contacts = session.scalars(select(Contact.body_id).where(Contact.round_id == rnd.id))
        quiet_since = at - timedelta(days=reminder_interval_days())
        return [
            b
            for b in contacts
            if progress.get(b, ("submitted",))[0] in ("not_started", "in_progress")
            and (b not in last or aware(last[b]) <= quiet_since)
        ]


def send_reminders(actor: Actor, round_id: int, dry_run: bool = False) -> SendReport:
    """A reminder with a new personal link to every body that is due one (see reminders_due)."""
    if not dry_run:
        _require_mail()
    due = reminders_due(actor, round_id)
    progress = _progress(actor, round_id)
    with session_scope(write=not dry_run) as session:
        rnd = _open_round(session, actor, round_id)
        contacts = list(
            session.scalars(
                select(Contact)
                .where(Contact.round_id == rnd.id, Contact.body_id.in_(due))
                .order_by(Contact.id)
            )
        )
        prepared = [
            _prepare(
                session,
                actor,
                rnd,
                c,
                "reminder",
                progress[c.body_id][1:],
                DEFAULT_CODE_DAYS,
                issue=not dry_run,
            )
            for c in contacts
        ]
    if dry_run:
        outcomes = [Outcome(p.body_id, p.body, p.contact, p.email, p.language, None) for p in prepared]
        return SendReport("reminder", True, outcomes)
    return _deliver(actor, round_id, "reminder", prepared)


def last_emails(actor: Actor, round_id: int) -> dict[int, LastMessage]:
    """body id -> the latest e-mail it got in the round (for those who run the network)."""
    with session_scope() as session:
        rnd = round_run_by(session, actor, round_id)
        return last_messages(session, rnd.id)
