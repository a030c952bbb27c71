"""In Chromium: the demo agency lead makes an action from the results page and finds it in the plan."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser_support import by_key, new_page, open_page, settle, sign_in


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    with new_page(browser, "nb-NO") as page:
        yield page


def test_an_action_made_from_the_results_page_is_in_the_plan(
    demo_server: tuple[str, str], page: Page
) -> None:
    base, _ = demo_server
    sign_in(page, base, "agency-lead@demo.ioa.no", "demo-agency_lead-42")
    open_page(page, base + "/results")
    make = page.locator("[class*='st-key-plan-from-'] button").first
    expect(make).to_have_text("Lag et tiltak av dette")
    make.click()
    settle(page)
    expect(page.get_by_role("heading", name="Handlingsplan: Gjesdal")).to_be_visible()
    title = by_key(page, "action-title", "input")
    expect(title).to_have_value(re.compile(r"^Nå nivå \d på «.+»$"))  # started from the question's next level
    by_key(page, "action-owner", "input").fill("Prosjektleder markedsdialog")
    by_key(page, "action-due", "[data-type='day']").click()
    page.keyboard.type("15032027")  # day, month and year, as one types into the date field
    by_key(page, "action-add", "button").click()
    settle(page)
    expect(page.get_by_text("Tiltaket er lagt inn i planen.")).to_be_visible()
    made = title.input_value()
    page.reload()
    settle(page)
    card = page.locator("[class*='st-key-plan-action-']", has_text="Ansvarlig: Prosjektleder markedsdialog")
    expect(card.first).to_contain_text("Frist: 15. mars 2027")
    assert made == ""  # the form is empty again for the next action
