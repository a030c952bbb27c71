# ruff: noqa: F811 - the smtp_server fixture is imported, then named as a parameter
"""The network page's contacts and e-mail tab, and the Region page's open data, as a facilitator."""

from __future__ import annotations

import io
import zipfile

from ioa_assess.services import contacts
from ioa_assess.services.cohort import network_info
from tests.factories import body_ids_by_name, put_in_state
from tests.smtp_support import Inbox, smtp_server, text_of  # noqa: F401 - fixture
from tests.test_facilitator_pages import open_tab
from tests.test_pages import app_for, demo_actor, texts


def mail_tab() -> object:
    return open_tab(demo_actor("facilitator"), "pages/network.py", "network-tab", "Contacts and e-mail")


def test_without_a_mail_server_the_tab_says_so_and_sending_is_off(demo_db: str) -> None:
    at = mail_tab()
    assert "E-mail is not set up on this server" in texts(at)
    assert at.button(key="mail-send-invitations").disabled


def test_a_facilitator_adds_a_contact_previews_the_nynorsk_text_and_sends(
    demo_db: str, smtp_server: Inbox
) -> None:
    (sveio,) = body_ids_by_name("Sveio")
    put_in_state(sveio, network_info(demo_actor("facilitator")).rounds[-1].id, "in_progress")
    at = mail_tab()
    assert "E-mail is not set up" not in texts(at)
    at.selectbox(key="contact-body").set_value(sveio)
    at.text_input(key="contact-name").input("Siri Sveio")
    at.text_input(key="contact-email").input("siri@sveio.example")
    at.button(key="contact-save").click().run()
    assert not at.exception
    assert any("Siri Sveio" in list(d.value.iloc[:, 1]) for d in at.dataframe)
    at.session_state["mail-language"] = "nn"
    at.run()
    preview = [c.value for c in at.code]
    assert any("vert invitert" in text and "?code=ABCD-EFGH-JKLM" in text for text in preview)
    assert at.multiselect(key="mail-invite-bodies").value == [sveio]
    at.button(key="mail-send-invitations").click().run()
    assert not at.exception
    assert [s.value for s in at.success] == ["Invitations sent: 1."]
    (message,) = smtp_server.to("siri@sveio.example")
    assert "vert invitert" in text_of(message)
    rows = contacts.list_contacts(demo_actor("facilitator"), at.session_state["mail-round"].id)
    assert [r.email for r in rows if r.email] == ["siri@sveio.example"]


def test_region_page_offers_the_open_data_as_a_zip(demo_db: str) -> None:
    at = open_tab(demo_actor("regional_leader"), "pages/regional.py")
    assert "Open data" in texts(at)
    button = at.get("download_button")
    assert button, "no download button"
    from ioa_assess.reports.open_data_files import FILES, zip_bytes
    from ioa_assess.services.open_data import open_data

    archive = zipfile.ZipFile(io.BytesIO(zip_bytes(open_data(demo_actor("regional_leader"), 2), "nb")))
    assert sorted(archive.namelist()) == sorted(FILES)


def test_the_facilitator_reminds_from_the_start_page(demo_db: str, smtp_server: Inbox) -> None:
    facilitator = demo_actor("facilitator")
    round_id = network_info(facilitator).rounds[-1].id
    oygarden, kinn = body_ids_by_name("Øygarden", "Kinn")
    put_in_state(oygarden, round_id, "not_started")
    put_in_state(kinn, round_id, "submitted")
    contacts.set_contact(facilitator, round_id, oygarden, "Ola Øygarden", "ola@oygarden.example")
    contacts.set_contact(facilitator, round_id, kinn, "Kari Kinn", "kari@kinn.example")  # submitted
    at = app_for(facilitator).run()
    at.button(key="start-send-reminders").click().run()
    assert not at.exception
    assert [s.value for s in at.success] == ["Reminders sent: 1."]
    assert [str(m["To"]) for m in smtp_server.messages] == ["Ola Øygarden <ola@oygarden.example>"]
    remind = next(d.value for d in at.dataframe if "Last e-mail" in d.value.columns)
    assert "reminded today" in list(remind["Last e-mail"]) or "Øygarden" not in list(remind["Body"])
