"""In Chromium, on the demo: the agency lead of Gjesdal compares the three colleagues' answers and agrees
the body's answers; a colleague says how sure an answer is, and says when their part is done."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser_support import by_key, new_page, open_page, settle, sign_in
from tests.conftest import PROJECT
from tests.test_presentation_browser import SIDEWAYS

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 900}
REFERENCE = "Rutine for markedsdialog, versjon 2"


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    with new_page(browser, "nb-NO", **DESKTOP) as page:
        yield page


def _to_agree(page: Page) -> int:
    metric = page.locator("[data-testid='stMetric']", has_text="Spørsmål å bli enige om")
    return int(metric.locator("[data-testid='stMetricValue']").inner_text())


def test_the_lead_compares_and_agrees(demo_server: tuple[str, str], page: Page) -> None:
    base, _ = demo_server
    sign_in(page, base, "agency-lead@demo.ioa.no", "demo-agency_lead-42")
    page.get_by_test_id("stSidebarNav").get_by_role("link", name="Sammenlign og bli enige").click()
    settle(page)
    expect(page.get_by_role("heading", name="Sammenlign og bli enige: Gjesdal")).to_be_visible()

    # At a glance: the people, the counts, the overview and the questions, each apart one marked.
    people = page.locator("[data-testid='stTable']").first
    for name in ("Innkjøper, Gjesdal", "Kommunalsjef helse og omsorg, Gjesdal", "Respondent C"):
        expect(people).to_contain_text(name)
    expect(page.get_by_text("Rådgiver økonomi")).to_have_count(0)  # not named: a letter only
    expect(page.get_by_role("heading", name="Oversikt")).to_be_visible()
    expect(page.locator("[data-testid='stTable']", has_text="Lavest · median · høyest")).to_be_visible()
    apart_cards = page.locator(
        "[class*='st-key-agree-question-']", has_text="nivåer fra hverandre: snakk sammen"
    )
    expect(apart_cards.first).to_be_visible()
    apart = apart_cards.count()
    assert apart >= 2
    assert page.evaluate(SIDEWAYS) == []  # nothing scrolls sideways at 1280 px
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")

    # One click agrees every question where they agree or are within one level.
    before = _to_agree(page)
    accept = by_key(page, "accept-medians", "button")
    settled = int(re.search(r"de (\d+) spørsmålene", accept.inner_text()).group(1))  # type: ignore[union-attr]
    assert settled > 0
    accept.click()
    settle(page)
    expect(page.get_by_text(f"Medianen er nå det omforente svaret på {settled} spørsmål.")).to_be_visible()
    assert _to_agree(page) == before - settled == apart  # only the questions that need a talk are left
    expect(by_key(page, "accept-medians", "button")).to_be_disabled()

    # An apart question: without a reason nothing is stored; with one, it leaves the list.
    card = apart_cards.first
    title = card.locator("h4").inner_text()
    card.locator("[class*='st-key-agreed-'] [role='radiogroup'] label").nth(2).click()  # 3 – Etablert
    card.get_by_role("button", name="Lagre det omforente svaret").click()
    settle(page)
    expect(card.get_by_text("hvorfor dere ble enige om dette nivået")).to_be_visible()
    assert _to_agree(page) == apart
    card.locator("[class*='st-key-agreed-reason-'] input").fill(
        "Vi ble enige i ledermøtet, rutinen er i bruk."
    )
    card.get_by_role("button", name="Lagre det omforente svaret").click()
    settle(page)
    expect(page.get_by_text(f"Det omforente svaret på «{title}» er lagret.")).to_be_visible()
    assert _to_agree(page) == apart - 1
    expect(page.locator("[class*='st-key-agree-question-']", has_text=title)).to_have_count(0)

    # Every answered question: the agreed answer with its reason, as typed.
    by_key(page, "agree-filter").get_by_text("Alle besvarte spørsmål").click()
    settle(page)
    agreed_card = page.locator(
        "[class*='st-key-agree-question-']", has=page.get_by_role("heading", name=title)
    )
    expect(agreed_card).to_contain_text("Omforent svar: 3 – Etablert")
    expect(agreed_card).to_contain_text("Begrunnelse: Vi ble enige i ledermøtet, rutinen er i bruk.")

    # Submitting still waits for the questions left: one clear message, nothing submitted.
    open_page(page, base + "/assess")
    by_key(page, "submit-assessment", "button").click()
    settle(page)
    dialog = page.get_by_role("dialog")
    expect(
        dialog.get_by_text(f"{apart - 1} besvarte spørsmål mangler fortsatt et omforent svar.")
    ).to_be_visible()
    by_key(page, "confirm-submit", "button").click()
    settle(page)
    expect(dialog.locator("[data-testid='stAlertContentError']")).to_have_count(1)
    expect(
        dialog.get_by_text(f"{apart - 1} besvarte spørsmål har ennå ikke et omforent svar.")
    ).to_be_visible()


def test_a_colleague_documents_an_answer_and_says_they_are_done(
    demo_server: tuple[str, str], page: Page
) -> None:
    base, _ = demo_server
    sign_in(page, base, "participant@demo.ioa.no", "demo-participant-42")
    open_page(page, base + "/assess")
    expect(page.get_by_text("Kollegaene dine ser ikke svarene dine mens du svarer")).to_be_visible()
    evidence = page.locator("[class*='st-key-evidence-']:not([class*='st-key-evidence-ref-'])").first
    key = next(c for c in evidence.get_attribute("class").split() if c.startswith("st-key-evidence-"))  # type: ignore[union-attr]
    question_id = key.removeprefix("st-key-evidence-")
    by_key(page, f"evidence-{question_id}").get_by_text("Dokumentert").click()
    settle(page)
    reference = by_key(page, f"evidence-ref-{question_id}", "input")
    expect(by_key(page, f"evidence-ref-{question_id}")).to_contain_text("Dokument eller lenke")
    reference.fill(REFERENCE)
    reference.press("Tab")
    settle(page)

    page.reload()
    settle(page)
    expect(by_key(page, f"evidence-{question_id}", "input[type='radio']").nth(1)).to_be_checked()
    expect(by_key(page, f"evidence-ref-{question_id}", "input")).to_have_value(REFERENCE)

    by_key(page, "respondent-done", "button").click()
    settle(page)
    expect(page.get_by_text("Du meldte at din del var ferdig")).to_be_visible()
    expect(by_key(page, "respondent-not-done", "button")).to_be_visible()


def test_a_new_colleague_gets_the_consent_and_done_with_the_first_answer(
    demo_server: tuple[str, str], page: Page
) -> None:
    """A colleague who comes with a new code answers beside the three in Gjesdal: from their first
    answer on, the page offers the consent and "I am done" without a reload."""
    base, database_url = demo_server
    code = (
        subprocess.run(
            [sys.executable, "-m", "ioa_assess", "invite", "--agency", "Gjesdal"],
            cwd=PROJECT,
            env={"IOA_DATABASE_URL": database_url, "PATH": "/usr/bin:/bin"},
            capture_output=True,
            text=True,
            check=True,
        )
        .stdout.strip()
        .splitlines()[-1]
    )
    open_page(page, base + "/")
    by_key(page, "invite-code", "input").fill(code)
    by_key(page, "invite-submit", "button").click()
    settle(page)
    open_page(page, base + "/assess")
    expect(by_key(page, "respondent-done")).to_have_count(0)
    by_key(page, "answer-str-01", "[role='radiogroup'] label").nth(2).click()
    settle(page)
    expect(by_key(page, "respondent-done", "button")).to_be_visible()
    expect(by_key(page, "named-to-colleagues")).to_be_visible()
