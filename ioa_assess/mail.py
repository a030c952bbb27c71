"""Sending e-mail over SMTP (standard library only): one connection for a batch of messages.

IOA_SMTP_URL decides how: smtp://user:password@host:587 logs in after STARTTLS (a password is never
sent in the clear), smtps://user:password@host:465 speaks TLS from the start, and smtp://host:25
without credentials hands messages to a local relay as they are.
"""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formataddr, make_msgid
from types import TracebackType
from urllib.parse import unquote, urlsplit

from ioa_assess.config import mail_from, smtp_url

TIMEOUT_SECONDS = 30


class MailNotConfigured(RuntimeError):
    """IOA_SMTP_URL is empty or not an smtp:// or smtps:// address."""


class SendFailed(Exception):
    """The server did not accept one message; the reason is the server's own words."""


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    user: str | None
    password: str | None
    tls: bool  # TLS from the first byte (smtps)

    @property
    def starttls(self) -> bool:
        return not self.tls and self.user is not None


def smtp_settings(url: str | None = None) -> SmtpSettings | None:
    """The parsed IOA_SMTP_URL, or None when e-mail is not set up."""
    raw = smtp_url() if url is None else url
    if not raw:
        return None
    parts = urlsplit(raw)
    if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
        raise MailNotConfigured("IOA_SMTP_URL must look like smtp://user:password@host:587")
    tls = parts.scheme == "smtps"
    user = unquote(parts.username) if parts.username else None
    password = unquote(parts.password) if parts.password else None
    return SmtpSettings(parts.hostname, parts.port or (465 if tls else 25), user, password, tls)


def is_configured() -> bool:
    try:
        return smtp_settings() is not None
    except MailNotConfigured:
        return False


@dataclass(frozen=True)
class Mail:
    to_name: str
    to_address: str
    subject: str
    body: str

    def message(self, sender: str) -> EmailMessage:
        message = EmailMessage()
        message["From"] = sender
        message["To"] = formataddr((self.to_name, self.to_address))
        message["Subject"] = self.subject
        message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
        message.set_content(self.body)  # UTF-8 text: æøå arrive as written
        return message


class Mailer:
    """`with Mailer() as mailer: mailer.send(mail)`; each send raises SendFailed on its own."""

    def __init__(self, settings: SmtpSettings | None = None, sender: str | None = None):
        found = settings or smtp_settings()
        if found is None:
            raise MailNotConfigured("IOA_SMTP_URL is not set")
        self.settings = found
        self.sender = sender or mail_from()
        self._smtp: smtplib.SMTP | None = None

    def __enter__(self) -> Mailer:
        s = self.settings
        try:
            if s.tls:
                smtp: smtplib.SMTP = smtplib.SMTP_SSL(
                    s.host, s.port, timeout=TIMEOUT_SECONDS, context=ssl.create_default_context()
                )
            else:
                smtp = smtplib.SMTP(s.host, s.port, timeout=TIMEOUT_SECONDS)
                if s.starttls:
                    smtp.starttls(context=ssl.create_default_context())
            if s.user is not None:
                smtp.login(s.user, s.password or "")
        except (OSError, smtplib.SMTPException) as exc:
            raise SendFailed(f"cannot reach the mail server {s.host}:{s.port}: {exc}") from None
        self._smtp = smtp
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._smtp is not None:
            try:
                self._smtp.quit()
            except (OSError, smtplib.SMTPException):
                self._smtp.close()
            self._smtp = None

    def send(self, mail: Mail) -> None:
        assert self._smtp is not None, "use Mailer as a context manager"
        try:
            refused = self._smtp.send_message(mail.message(self.sender))
        except smtplib.SMTPRecipientsRefused as exc:
            reasons = [f"{code} {text.decode(errors='replace')}" for code, text in exc.recipients.values()]
            raise SendFailed("; ".join(reasons) or "refused") from None
        except smtplib.SMTPResponseException as exc:
            raise SendFailed(f"{exc.smtp_code} {exc.smtp_error.decode(errors='replace')}") from None
        except (OSError, smtplib.SMTPException) as exc:
            raise SendFailed(str(exc) or type(exc).__name__) from None
        if refused:
            raise SendFailed(
                "; ".join(f"{code} {text.decode(errors='replace')}" for code, text in refused.values())
            )
