# ruff: noqa: F811 - the smtp_server fixture is imported, then named as a parameter
"""In Chromium: the personal link from a received invitation opens the assessment, and a returning
participant lands where the work stopped."""

from __future__ import annotations

import os
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from ioa_assess.services import contacts, mailing
from ioa_assess.services.actor import SYSTEM
from ioa_assess.services.cohort import completion, network_info
from ioa_assess.storage.engine import session_scope
from ioa_assess.storage.models import Body
from tests.browser_support import by_key, open_page, settle, sign_in
from tests.conftest import use_database
from tests.smtp_support import Inbox, link_in, smtp_server, text_of  # noqa: F401 - fixture

pytestmark = pytest.mark.browser


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1300, "height": 900}, locale="en-GB")
    page = context.new_page()
    yield page
    context.close()


def test_the_link_in_an_invitation_opens_the_assessment(
    demo_server: tuple[str, str], page: Page, smtp_server: Inbox
) -> None:
    base, database_url = demo_server
    use_database(database_url)
    os.environ["IOA_PUBLIC_URL"] = base
    open_round = network_info(SYSTEM).rounds[-1]
    with session_scope() as session:
        nynorsk = dict(
            session.execute(select(Body.name, Body.id).where(Body.written_standard == "nynorsk")).all()
        )
    body = next(
        r.body for r in completion(SYSTEM, open_round.id) if r.status == "not_started" and r.body in nynorsk
    )
    contacts.set_contact(SYSTEM, open_round.id, nynorsk[body], "Nils Nynorsk", "nils@kommune.example")
    report = mailing.send_invitations(SYSTEM, open_round.id, [nynorsk[body]])
    assert len(report.sent) == 1

    (message,) = smtp_server.to("nils@kommune.example")
    assert "vert invitert" in text_of(message)
    link = link_in(message)
    code = link.split("code=")[1]
    open_page(page, link)
    expect(by_key(page, "invite-code", "input")).to_have_value(code)
    by_key(page, "invite-submit", "button").click()
    settle(page)
    expect(page.get_by_role("heading", name=f"Eigenvurdering: {body}")).to_be_visible()
    by_key(page, "answer-str-01", "[role='radiogroup'] label").nth(2).click()
    settle(page)
    page.reload()
    settle(page)
    expect(by_key(page, "answer-str-01", "input[type='radio']").nth(2)).to_be_checked()


def test_a_returning_participant_lands_where_the_work_stopped(
    demo_server: tuple[str, str], page: Page
) -> None:
    base, _ = demo_server
    sign_in(page, base, "participant@demo.ioa.no", "demo-participant-42")
    expect(page.get_by_role("heading", name="Assessment: Gjesdal")).to_be_visible()
    open_page(page, base + "/")  # the app's address, in a new browser session with the cookie
    expect(page.get_by_role("heading", name="Assessment: Gjesdal")).to_be_visible()
    assert urlsplit(page.url).path.rstrip("/").endswith("/assess")  # the dimension may follow in the query
    page.get_by_test_id("stSidebar").get_by_role("link", name="Start").click()
    settle(page)
    expect(page.get_by_role("heading", name="Your assessment")).to_be_visible()
    expect(by_key(page, "start-continue", "button")).to_contain_text("Continue where you stopped")
    by_key(page, "start-continue", "button").click()
    settle(page)
    expect(page.get_by_role("heading", name="Assessment: Gjesdal")).to_be_visible()
