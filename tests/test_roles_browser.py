"""Each role in a real Chromium opens every page by its address: a page outside the role shows no data."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from ioa_assess.seed import DEMO_ROLES, demo_sign_ins
from ioa_assess.ui.navigation import PAGE_ROLES
from tests.browser_support import open_page, settle, sign_in

pytestmark = pytest.mark.browser

URLS = ("home", "assess", "agree", "results", "leadership", "cohort", "regional", "admin", "privacy")
DATA = "[data-testid='stDataFrame'], [data-testid='stTable'], [data-testid='stVegaLiteChart']"
CRASH = "[data-testid='stException']"


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1300, "height": 900}, locale="en-GB")
    yield context.new_page()
    context.close()


def _may_open(role: str, url: str) -> bool:
    return url in ("home", "privacy") or role in PAGE_ROLES[url]


@pytest.mark.parametrize("role", DEMO_ROLES)
def test_pages_outside_the_role_show_no_data(demo_server: tuple[str, str], page: Page, role: str) -> None:
    server, _ = demo_server
    account = next(s for s in demo_sign_ins(42) if s.role == role)
    sign_in(page, server, account.email, account.password)
    # An unknown address answers "Page not found" and runs the default page: the role's own start
    # (a respondent with work under way is taken on to the assessment). What it shows is the baseline.
    open_page(page, f"{server}/no-such-page")
    expect(_own_default_page(page)).to_be_visible()
    baseline = page.locator(DATA).count()
    for url in URLS:
        open_page(page, f"{server}/{url}")
        assert page.locator(CRASH).count() == 0, (role, url)
        not_found = page.get_by_text("Page not found")
        if url == "home":
            # The default page lives at "/": Streamlit answers /home with "Page not found" and then
            # runs that same default page.
            expect(_own_default_page(page)).to_be_visible()
        elif _may_open(role, url):
            expect(not_found, f"{role} may open /{url}").to_have_count(0)
        else:
            expect(not_found, f"{role} may not open /{url}").to_be_visible()
            assert page.locator(DATA).count() == baseline, (role, url)  # nothing beyond the own start
    open_page(page, f"{server}/")  # after all that, still signed in as the same account
    page.get_by_test_id("stSidebar").get_by_role("link", name="Start").click()
    settle(page)
    expect(page.get_by_text(f"Signed in as {account.email}")).to_be_visible()


def _own_default_page(page: Page):  # type: ignore[no-untyped-def]
    return page.get_by_text("Signed in as").or_(
        page.get_by_role("heading", name=re.compile(r"^Assessment: "))
    )
