# ruff: noqa: F811 - the smtp_server fixture is imported, then named as a parameter
"""Invitations and reminders by e-mail, through a real SMTP server on a free port."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta

import pytest
from sqlalchemy import select

from ioa_assess.services import contacts, mail_log, mailing
from ioa_assess.services.accounts import redeem_invitation
from ioa_assess.services.actor import InvalidInput
from ioa_assess.services.network_admin import ImportRejected
from ioa_assess.storage.engine import session_scope
from ioa_assess.storage.models import AuditEvent, Round, SentMessage
from tests.conftest import PROJECT
from tests.factories import body_ids_by_name, put_in_state
from tests.smtp_support import Inbox, link_in, smtp_server, text_of  # noqa: F401 - fixture
from tests.test_pages import demo_actor


def open_round() -> int:
    with session_scope() as session:
        return session.scalar(select(Round.id).where(Round.closed_at.is_(None)))


@pytest.fixture
def round_with_contacts(demo_db: str) -> int:
    """The demo's open round with contacts for Sveio (nynorsk, in progress), Øygarden (nynorsk, not
    started), Kinn (submitted) and Bergen (bokmål, in progress)."""
    facilitator = demo_actor("facilitator")
    round_id = open_round()
    sveio, oygarden, kinn, bergen = body_ids_by_name("Sveio", "Øygarden", "Kinn", "Bergen")
    for body_id, state in (
        (sveio, "in_progress"),
        (oygarden, "not_started"),
        (kinn, "submitted"),
        (bergen, "in_progress"),
    ):
        put_in_state(body_id, round_id, state)
    contacts.set_contact(facilitator, round_id, sveio, "Siri Sveio", "siri@sveio.example")
    contacts.set_contact(facilitator, round_id, oygarden, "Ola Øygarden", "ola@oygarden.example")
    contacts.set_contact(facilitator, round_id, kinn, "Kari Kinn", "kari@kinn.example")
    contacts.set_contact(facilitator, round_id, bergen, "Berit Bergen", "berit@bergen.example")
    return round_id


def sent_rows() -> list[tuple[int, str, str]]:
    with session_scope() as session:
        rows = session.execute(select(SentMessage.body_id, SentMessage.kind, SentMessage.email))
        return sorted((b, k, e) for b, k, e in rows)


def age_messages(days: int) -> None:
    """Move every recorded message `days` days into the past."""
    with session_scope(write=True) as session:
        for message in session.scalars(select(SentMessage)):
            message.sent_at -= timedelta(days=days)


def test_invitations_go_out_in_each_bodys_language_with_a_working_link(
    round_with_contacts: int, smtp_server: Inbox
) -> None:
    facilitator = demo_actor("facilitator")
    report = mailing.send_invitations(facilitator, round_with_contacts)
    assert not report.failed and len(report.sent) == 4
    nynorsk = smtp_server.to("siri@sveio.example")[0]
    bokmal = smtp_server.to("berit@bergen.example")[0]
    assert "Invitasjon" in nynorsk["Subject"] and "Oppfølging 2026" in nynorsk["Subject"]
    assert "Hei Siri Sveio" in text_of(nynorsk)
    assert "vert invitert" in text_of(nynorsk) and "blir invitert" in text_of(bokmal)
    assert nynorsk["From"] == "nettverk@ioa.example"
    link = link_in(nynorsk)
    assert link.startswith("https://ioa.example/?code=")
    # the mail says until when the link works, as a Norwegian date
    assert "verkar til" in text_of(nynorsk)
    actor = redeem_invitation(link.split("code=")[1])
    assert actor.body_id == body_ids_by_name("Sveio")[0] and actor.round_id == round_with_contacts
    assert len(sent_rows()) == 4
    with session_scope() as session:
        audited = session.scalars(
            select(AuditEvent.target).where(AuditEvent.action == "mail.invitation")
        ).all()
    assert len(audited) == 4


def test_a_refused_recipient_is_reported_and_not_recorded_and_its_code_is_void(
    round_with_contacts: int, smtp_server: Inbox
) -> None:
    smtp_server.refuse.add("ola@oygarden.example")
    report = mailing.send_invitations(demo_actor("facilitator"), round_with_contacts)
    assert [o.email for o in report.failed] == ["ola@oygarden.example"]
    assert "550" in (report.failed[0].error or "")
    assert len(report.sent) == 3 and len(smtp_server.messages) == 3
    assert "ola@oygarden.example" not in [e for _, _, e in sent_rows()]
    with session_scope() as session:
        failed = session.scalar(
            select(AuditEvent.detail).where(AuditEvent.action == "mail.invitation_failed")
        )
    assert failed is not None and "550" in failed


def test_an_unreachable_server_sends_and_records_nothing(
    round_with_contacts: int, smtp_server: Inbox
) -> None:
    from tests.conftest import free_port

    os.environ["IOA_SMTP_URL"] = f"smtp://127.0.0.1:{free_port()}"  # nothing listens there
    report = mailing.send_invitations(demo_actor("facilitator"), round_with_contacts)
    assert len(report.failed) == 4 and not report.sent
    assert sent_rows() == []


def test_without_a_mail_server_sending_is_refused_with_one_clear_message(round_with_contacts: int) -> None:
    os.environ.pop("IOA_SMTP_URL", None)
    with pytest.raises(InvalidInput) as refused:
        mailing.send_invitations(demo_actor("facilitator"), round_with_contacts)
    assert refused.value.msgid == mailing.NOT_SET_UP  # "E-mail is not set up on this server. ..."
    assert sent_rows() == []


def test_reminders_skip_submitted_bodies_and_respect_the_interval(
    round_with_contacts: int, smtp_server: Inbox
) -> None:
    facilitator = demo_actor("facilitator")
    sveio, oygarden = body_ids_by_name("Sveio", "Øygarden")
    mailing.send_invitations(facilitator, round_with_contacts, [sveio])
    first = mailing.send_reminders(facilitator, round_with_contacts)
    # Sveio was invited today (interval), Kinn has submitted: Øygarden and Bergen are reminded.
    assert sorted(o.body for o in first.sent) == ["Bergen", "Øygarden"]
    reminder = smtp_server.to("ola@oygarden.example")[0]
    assert "Påminning" in reminder["Subject"] and "har svart på 0 av" in text_of(reminder)
    assert link_in(reminder)
    assert not mailing.send_reminders(facilitator, round_with_contacts).outcomes  # all within the interval
    age_messages(8)
    again = mailing.send_reminders(facilitator, round_with_contacts)
    assert sorted(o.body for o in again.sent) == ["Bergen", "Sveio", "Øygarden"]
    assert not [m for m in smtp_server.messages if "kari@kinn.example" in str(m["To"])]
    assert oygarden in {b for b, k, _ in sent_rows() if k == "reminder"}


def test_remind_list_says_when_a_body_was_last_reminded(round_with_contacts: int, smtp_server: Inbox) -> None:
    from ioa_assess.services.dashboard import remind_list

    facilitator = demo_actor("facilitator")
    mailing.send_reminders(facilitator, round_with_contacts)
    age_messages(3)
    rows = {r.body: r for r in remind_list(facilitator, round_with_contacts)}
    assert mail_log.days_ago_text(rows["Øygarden"].last_email, "en") == "reminded 3 days ago"
    assert mail_log.days_ago_text(rows["Øygarden"].last_email, "nn") == "fekk påminning for 3 dagar sidan"
    assert rows["Fjaler"].last_email is None if "Fjaler" in rows else True


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ioa_assess", *args],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        env=os.environ,
    )


def test_send_reminders_command_dry_run_then_for_real(round_with_contacts: int, smtp_server: Inbox) -> None:
    dry = cli("send-reminders", "--round", str(round_with_contacts), "--dry-run")
    assert dry.returncode == 0, dry.stderr
    lines = dry.stdout.strip().splitlines()
    assert len(lines) == 4  # Sveio, Øygarden, Bergen and the total; never Kinn (submitted)
    assert "kari@kinn.example" not in dry.stdout and "ola@oygarden.example" in dry.stdout
    assert "3" in lines[-1] and "dry run" in lines[-1]
    assert smtp_server.messages == [] and sent_rows() == []
    smtp_server.refuse.add("berit@bergen.example")
    real = cli("send-reminders", "--round", str(round_with_contacts))
    assert real.returncode == 1  # a refused recipient makes the run fail, for cron to notice
    assert "FAILED" in real.stdout and "berit@bergen.example" in real.stdout
    assert len(smtp_server.messages) == 2 and len(sent_rows()) == 2
    smtp_server.refuse.clear()
    again = cli("send-reminders", "--round", str(round_with_contacts))
    unknown = cli("send-reminders", "--round", "999")
    assert unknown.returncode == 1 and "no round with id 999" in unknown.stderr
    assert again.returncode == 0 and "berit@bergen.example" in again.stdout  # the failed one is still due
    assert "total: 1 reminders sent" in again.stdout


def test_contacts_from_csv_are_all_or_nothing(demo_db: str) -> None:
    facilitator = demo_actor("facilitator")
    round_id = open_round()
    bad = "body;name;email\nSveio;Siri;siri@sveio.example\nNowhere;X;x@x.example\nKinn;Kari;not-an-email\n"
    with pytest.raises(ImportRejected) as rejected:
        contacts.import_contacts(facilitator, round_id, bad.encode())
    assert len(rejected.value.problems) == 2
    assert all(r.email is None for r in contacts.list_contacts(facilitator, round_id))
    good = "\ufeffbody,name,email\nSveio,Siri Sveio,Siri@Sveio.example\nKinn,Kari Kinn,kari@kinn.example\n"
    assert contacts.import_contacts(facilitator, round_id, good.encode()) == 2
    stored = {r.body: r.email for r in contacts.list_contacts(facilitator, round_id) if r.email}
    assert stored == {"Sveio": "siri@sveio.example", "Kinn": "kari@kinn.example"}


def test_a_network_writes_its_own_texts_with_placeholders(
    round_with_contacts: int, smtp_server: Inbox
) -> None:
    facilitator = demo_actor("facilitator")
    network_id = facilitator.network_id
    assert network_id is not None
    with pytest.raises(InvalidInput):
        mailing.save_template(facilitator, network_id, "invitation", "nn", "Hei", "Hei {kontakt}")
    shown = mailing.preview(facilitator, network_id, "invitation", "nn", "Til {body}", "Lenkje: {link}")
    assert shown.subject == "Til Voss herad" and "?code=ABCD-EFGH-JKLM" in shown.body
    mailing.save_template(facilitator, network_id, "invitation", "nn", "Til {body}", "Hei {contact}: {link}")
    sveio, bergen = body_ids_by_name("Sveio", "Bergen")
    mailing.send_invitations(facilitator, round_with_contacts, [sveio, bergen])
    assert smtp_server.to("siri@sveio.example")[0]["Subject"] == "Til Sveio"
    assert "Invitasjon" in smtp_server.to("berit@bergen.example")[0]["Subject"]  # bokmål keeps the default


def test_sending_and_the_reminder_rules_on_both_backends(any_db: str, smtp_server: Inbox) -> None:
    from ioa_assess.services.actor import SYSTEM
    from ioa_assess.storage.models import Body
    from tests.factories import answer_all, make_cohort

    cohort = make_cohort(["Sveio", "Bergen", "Kinn"])
    sveio, bergen, kinn = cohort.body_ids
    answer_all(kinn, cohort.round_id, 3)  # submitted
    for body_id, email in (
        (sveio, "s@sveio.example"),
        (bergen, "b@bergen.example"),
        (kinn, "k@kinn.example"),
    ):
        contacts.set_contact(SYSTEM, cohort.round_id, body_id, "Kontakt", email)
    invited = mailing.send_invitations(SYSTEM, cohort.round_id)
    assert len(invited.sent) == 3
    with session_scope() as session:
        standards = {
            b.id: b.written_standard
            for b in session.scalars(select(Body).where(Body.id.in_(cohort.body_ids)))
        }
        languages = dict(session.execute(select(SentMessage.body_id, SentMessage.language)).all())
    assert languages == {b: ("nn" if s == "nynorsk" else "nb") for b, s in standards.items()}
    assert not mailing.send_reminders(SYSTEM, cohort.round_id).outcomes  # all invited today
    age_messages(8)
    reminded = mailing.send_reminders(SYSTEM, cohort.round_id)
    assert sorted(o.body_id for o in reminded.sent) == sorted([sveio, bergen])
    assert len(sent_rows()) == 5
