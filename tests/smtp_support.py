"""A real SMTP server (aiosmtpd) on a free port that keeps what it receives, for the e-mail tests."""

from __future__ import annotations

import email
import email.policy
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller

from tests.conftest import free_port


@dataclass
class Inbox:
    """What the server accepted; addresses in `refuse` are turned away at RCPT TO."""

    messages: list[EmailMessage] = field(default_factory=list)
    refuse: set[str] = field(default_factory=set)
    url: str = ""

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # type: ignore[no-untyped-def]  # noqa: N802
        if address in self.refuse:
            return "550 5.1.1 No such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]  # noqa: N802
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        self.messages.append(message)
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if address in str(m["To"])]


def text_of(message: EmailMessage) -> str:
    part = message.get_body(("plain",))
    assert part is not None
    return part.get_content()


def link_in(message: EmailMessage) -> str:
    found = re.search(r"https?://\S+\?code=[A-Z0-9-]+", text_of(message))
    assert found, text_of(message)
    return found.group(0)


@pytest.fixture
def smtp_server() -> Iterator[Inbox]:
    """A local SMTP server without authentication, set as IOA_SMTP_URL for the test."""
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    before = {k: os.environ.get(k) for k in ("IOA_SMTP_URL", "IOA_MAIL_FROM", "IOA_PUBLIC_URL")}
    inbox.url = f"smtp://127.0.0.1:{port}"
    os.environ.update(
        IOA_SMTP_URL=inbox.url, IOA_MAIL_FROM="nettverk@ioa.example", IOA_PUBLIC_URL="https://ioa.example"
    )
    try:
        yield inbox
    finally:
        controller.stop()
        for key, value in before.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
