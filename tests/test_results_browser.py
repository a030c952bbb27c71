"""In Chromium, as the demo agency lead of Gjesdal (three people answer, one question agreed): the
results say once which answers are provisional, how much of the score rests on evidence, and where
the people disagreed most, naming nobody."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser_support import new_page, open_page, sign_in


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    with new_page(browser, "nb-NO") as page:
        yield page


def test_the_results_show_provisional_answers_evidence_and_disagreement(
    demo_server: tuple[str, str], page: Page
) -> None:
    base, _ = demo_server
    sign_in(page, base, "agency-lead@demo.ioa.no", "demo-agency_lead-42")
    open_page(page, base + "/results")
    expect(page.get_by_role("heading", name="Resultater: Gjesdal")).to_be_visible()
    note = page.get_by_text("foreløpige: medianen av kollegenes svar")
    expect(note).to_have_count(1)
    expect(page.get_by_text("svar i skåren bygger på dokumentert eller verifisert grunnlag")).to_be_visible()
    expect(page.get_by_role("heading", name="Der folkene deres var mest uenige")).to_be_visible()
    table = page.locator("[data-testid='stTable']").last
    expect(table).to_contain_text("Lavest")
    expect(table).to_contain_text("Høyest")
    body = page.locator("[data-testid='stMain']")
    for name in ("Kommunalsjef helse og omsorg", "Rådgiver økonomi", "Respondent A"):
        expect(body).not_to_contain_text(name)
    page.get_by_text("Svarene deres og grunnlaget for dem").click()
    expect(page.locator("[data-testid='stDataFrame']")).to_be_visible()
