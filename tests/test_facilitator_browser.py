"""The facilitator in a real Chromium: the dashboard of the demo network, a code issued on the page,
used in a second browser to start the assessment, and the body's completion state changing."""

from __future__ import annotations

import math
import re
import time
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect
from sqlalchemy import select

from ioa_assess.questionnaire import load_questionnaire, newest_version
from ioa_assess.services.actor import SYSTEM
from ioa_assess.services.cohort import completion, network_info
from ioa_assess.storage.engine import dispose_all, session_scope
from ioa_assess.storage.models import Body
from tests.browser_support import by_key, open_page, settle, sign_in
from tests.conftest import use_database

pytestmark = pytest.mark.browser
CODE = re.compile(r"^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$")


def _context(browser: Browser) -> BrowserContext:
    return browser.new_context(
        viewport={"width": 1300, "height": 1000}, locale="en-GB", accept_downloads=True
    )


def _signed_in(page: Page, base: str, email: str, password: str) -> None:
    """Sign in, and wait until the session cookie is set (so that opening a page keeps us in)."""
    sign_in(page, base, email, password)
    deadline = time.monotonic() + 15
    while not any(c["name"] == "ioa_session" for c in page.context.cookies()):
        assert time.monotonic() < deadline, "the session cookie was never set"
        time.sleep(0.1)


def _open_tab(page: Page, name: str) -> None:
    page.get_by_role("tab", name=name).click()
    settle(page)


def _not_started_body(database_url: str) -> str:
    """A member body that has not started the open round, and whose pages follow the browser's
    language (a body that writes nynorsk or bokmål gets its own)."""
    use_database(database_url)
    try:
        open_round = network_info(SYSTEM).rounds[-1]
        candidates = [r.body for r in completion(SYSTEM, open_round.id) if r.status == "not_started"]
        with session_scope() as session:
            neutral = set(session.scalars(select(Body.name).where(Body.written_standard == "neutral")))
        return [name for name in candidates if name in neutral][-1]
    finally:
        dispose_all()


def _completion_row(page: Page, body: str):  # type: ignore[no-untyped-def]
    """The body's row in the completion table (its grid is drawn on a canvas, with an accessible table)."""
    by_key(page, "completion-search", "input").fill(body)
    by_key(page, "completion-search", "input").press("Enter")
    settle(page)
    table = page.locator("[data-testid='stDataFrame']").nth(1)
    cell = page.locator("td[role='gridcell']").filter(has_text=re.compile(f"^{re.escape(body)}$"))
    return table.locator("tr").filter(has=cell)


def test_a_facilitator_issues_a_code_and_sees_the_body_start(
    demo_server: tuple[str, str], browser: Browser
) -> None:
    base, database_url = demo_server
    body = _not_started_body(database_url)
    facilitator_context = _context(browser)
    page = facilitator_context.new_page()
    _signed_in(page, base, "facilitator@demo.ioa.no", "demo-facilitator-42")

    # The dashboard of the demo network.
    open_page(page, base + "/cohort")
    expect(page.get_by_text("IOA-nettverk Sør-Vest: 72 member bodies")).to_be_visible()
    expect(_completion_row(page, body)).to_contain_text("Not started")
    _open_tab(page, "Dashboard")
    expect(page.locator("[data-testid='stVegaLiteChart']").first).to_be_visible()
    expect(page.locator("[data-testid='stVegaLiteChart']")).to_have_count(3)
    with page.expect_download() as png:  # drawn by vl-convert on the server when clicked
        by_key(page, "chart-heatmap-png", "button").click()
    assert Path(png.value.path()).read_bytes().startswith(b"\x89PNG")
    with page.expect_download() as svg:
        by_key(page, "chart-heatmap-svg", "button").click()
    assert "<svg" in Path(svg.value.path()).read_text(encoding="utf-8")[:500]

    # A code for the body, shown once.
    open_page(page, base + "/network")
    _open_tab(page, "Invitation codes")
    chooser = by_key(page, "codes-bodies", "input")
    chooser.click()
    chooser.fill(body)
    page.get_by_role("option", name=re.compile("^" + re.escape(body) + r" \(")).click()
    page.keyboard.press("Escape")
    by_key(page, "codes-issue", "button").click()
    settle(page)
    issued = by_key(page, "issued-codes", "code").inner_text()
    code = issued.split()[0]
    assert CODE.match(code) and body in issued
    expect(page.get_by_text("shown only this once")).to_be_visible()
    hint = page.locator("td[role='gridcell']").filter(has_text=re.compile(f"^…{code[-4:]}$"))
    expect(hint).to_have_count(1)  # the list of codes shows only the last characters

    # The code starts the assessment in a second browser.
    participant_context = _context(browser)
    other = participant_context.new_page()
    open_page(other, base + "/")
    by_key(other, "invite-code", "input").fill(code)
    by_key(other, "invite-submit", "button").click()
    settle(other)
    expect(other.get_by_role("heading", name=f"Assessment: {body}")).to_be_visible()
    by_key(other, "answer-str-01", "[role='radiogroup'] label").nth(0).click()
    settle(other)
    total = len(load_questionnaire(newest_version()).questions)  # a new round takes the newest version
    expect(other.get_by_text(f"1 of {total} questions answered")).to_be_visible()
    participant_context.close()

    # Back with the facilitator: the code is no longer shown, and the body is in progress.
    open_page(page, base + "/cohort")
    expect(page.get_by_text(code)).to_have_count(0)
    expect(_completion_row(page, body)).to_contain_text(f"In progress ({math.floor(100 / total + 0.5)} %)")
    facilitator_context.close()
