"""What users see in a real Chromium: tables that fit at 1280 px, no request to a third party, the
assessment and results on a phone, the place kept in the address, and a typed comment never lost
without a warning."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlparse

import pytest
from playwright.sync_api import Browser, Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from ioa_assess.questionnaire import load_questionnaire
from tests.browser_support import by_key, open_page, settle, sign_in

pytestmark = pytest.mark.browser

QUESTIONNAIRE = load_questionnaire()
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
ACCOUNTS = {
    "participant": ("participant@demo.ioa.no", "demo-participant-42"),
    "leader": ("leader@demo.ioa.no", "demo-leader-42"),
    "facilitator": ("facilitator@demo.ioa.no", "demo-facilitator-42"),
    "admin": ("admin@demo.ioa.no", "demo-admin-42"),
}
# The main pages of each role, and how many tabs each has.
MAIN_PAGES = {
    "participant": {"results": 1},
    "leader": {"results": 1, "leadership": 1},
    "facilitator": {"cohort": 4, "agenda": 1, "network": 4, "regional": 1},
    "admin": {"admin": 1},
}
# Tables whose content is wider than their box (a scrollbar sideways), or that stick out of the page.
SIDEWAYS = """() => {
  const main = document.querySelector("[data-testid='stMainBlockContainer']").getBoundingClientRect();
  const found = [];
  for (const table of document.querySelectorAll("[data-testid='stTable'], [data-testid='stDataFrame']")) {
    if (!table.offsetParent) continue;  // in a tab that is not shown
    const box = table.getBoundingClientRect();
    const heading = (table.querySelector("th, [role='columnheader']") || table).textContent.slice(0, 40);
    if (box.right > main.right + 1) found.push("sticks out: " + heading);
    for (const el of [table, ...table.querySelectorAll("*")]) {
      const overflow = getComputedStyle(el).overflowX;
      if ((overflow === "auto" || overflow === "scroll") && el.scrollWidth > el.clientWidth + 1) {
        found.push("scrolls sideways: " + heading);
        break;
      }
    }
  }
  return found;
}"""
# Headings in which a word does not fit the heading's width, so the browser breaks it mid-word.
BROKEN_WORDS = """() => {
  const canvas = document.createElement("canvas").getContext("2d");
  const found = [];
  for (const h of document.querySelectorAll("h1, h2, h3")) {
    if (!h.offsetParent) continue;
    const style = getComputedStyle(h);
    canvas.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
    for (const word of h.textContent.split(/\\s+/)) {
      if (word && canvas.measureText(word).width > h.clientWidth) found.push(word);
    }
  }
  return found;
}"""


@pytest.fixture
def context_for(browser: Browser) -> Iterator:  # type: ignore[type-arg]
    contexts = []

    def make(viewport: dict[str, int], lang: str = "nb"):  # type: ignore[no-untyped-def]
        context = browser.new_context(viewport=viewport, locale="nb-NO")
        contexts.append((context, lang))
        return context

    yield make
    for context, _ in contexts:
        context.close()


def _signed_in(context, base: str, role: str, lang: str = "nb") -> Page:  # type: ignore[no-untyped-def]
    context.add_cookies([{"name": "ioa_lang", "value": lang, "url": base}])
    page = context.new_page()
    sign_in(page, base, *ACCOUNTS[role])
    return page


def test_no_table_scrolls_sideways_and_nothing_is_fetched_from_another_host(
    demo_server: tuple[str, str], context_for
) -> None:  # type: ignore[no-untyped-def]
    base, _ = demo_server
    app_host = urlparse(base).netloc
    hosts: set[str] = set()
    problems: list[str] = []
    for role, pages in MAIN_PAGES.items():
        page = _signed_in(context_for(DESKTOP), base, role, "nn")
        page.on("request", lambda request: hosts.add(urlparse(request.url).netloc or request.url[:20]))
        for name, tabs in pages.items():
            open_page(page, f"{base}/{name}")
            for index in range(tabs):
                if index:
                    page.get_by_role("tab").nth(index).click()
                    settle(page)
                problems += [f"{role} {name} tab {index}: {p}" for p in page.evaluate(SIDEWAYS)]
    assert (problems, hosts - {app_host}) == ([], set())


def test_on_a_phone_the_assessment_opens_with_a_question(demo_server: tuple[str, str], context_for) -> None:  # type: ignore[no-untyped-def]
    base, _ = demo_server
    page = _signed_in(context_for(PHONE), base, "participant")
    open_page(page, f"{base}/assess")
    assert not by_key(page, "dimension-buttons").is_visible()  # nine buttons would fill the screen
    assert by_key(page, "dimension-compact").is_visible()
    shown = page.url.split("dimension=")[-1]
    first = QUESTIONNAIRE.questions_in(shown)[0]
    question = by_key(page, f"question-{first.id}").bounding_box()
    assert question is not None and question["y"] < PHONE["height"] - 100  # its title is on the first screen
    assert page.evaluate(BROKEN_WORDS) == []

    # The compact choice moves to another dimension, and the address keeps it for a reload.
    target = QUESTIONNAIRE.dimensions[3]
    by_key(page, "dimension-picker", "[role='combobox']").click()
    page.get_by_role("option", name=target.name.get("nb"), exact=False).click()
    settle(page)
    assert f"dimension={target.id}" in page.url
    page.reload()
    settle(page)
    assert page.locator("h2", has_text=target.name.get("nb")).first.is_visible()


def test_on_a_phone_the_results_break_no_word(demo_server: tuple[str, str], context_for) -> None:  # type: ignore[no-untyped-def]
    base, _ = demo_server
    for lang in ("nb", "nn"):
        page = _signed_in(context_for(PHONE, lang), base, "participant", lang)
        open_page(page, f"{base}/results")
        assert page.evaluate(BROKEN_WORDS) == [], lang


def test_a_reload_opens_the_dimension_you_were_on(demo_server: tuple[str, str], context_for) -> None:  # type: ignore[no-untyped-def]
    base, _ = demo_server
    page = _signed_in(context_for(DESKTOP), base, "participant")
    open_page(page, f"{base}/assess")
    target = QUESTIONNAIRE.dimensions[5]
    by_key(page, f"dimension-{target.id}", "button").click()
    settle(page)
    page.reload()
    settle(page)
    assert page.locator("h2", has_text=target.name.get("nb")).first.is_visible()
    assert "▸" in by_key(page, f"dimension-{target.id}", "button").inner_text()


def test_a_typed_comment_is_not_lost_on_a_reload_without_a_warning(
    demo_server: tuple[str, str], context_for
) -> None:  # type: ignore[no-untyped-def]
    base, _ = demo_server
    page = _signed_in(context_for(DESKTOP), base, "participant")
    open_page(page, f"{base}/assess")
    shown = page.url.split("dimension=")[-1]
    question = QUESTIONNAIRE.questions_in(shown)[0]
    field = by_key(page, f"comment-{question.id}", "textarea")
    warnings: list[str] = []

    def stay(dialog) -> None:  # type: ignore[no-untyped-def]
        warnings.append(dialog.type)
        dialog.dismiss()  # "stay on the page"

    page.on("dialog", stay)
    field.click()
    field.press_sequentially("Vi har en plan fra 2025")
    with pytest.raises(PlaywrightTimeout):  # the reload is held up by the question "leave the page?"
        page.reload(timeout=3000)
    assert warnings == ["beforeunload"]
    assert field.input_value() == "Vi har en plan fra 2025"  # still there, not yet left

    # Leaving the field saves it: nothing is pending any more, and a new visit shows the comment.
    page.locator("[data-testid='stCaptionContainer']").first.click()
    settle(page)
    assert page.evaluate("window.ioaUnsavedComment") is False
    again = page.context.new_page()
    open_page(again, f"{base}/assess?dimension={shown}")
    expect(by_key(again, f"comment-{question.id}", "textarea")).to_have_value(
        "Vi har en plan fra 2025", timeout=15_000
    )


def test_choose_every_body_that_has_not_started_looks_like_a_button(
    demo_server: tuple[str, str], context_for
) -> None:  # type: ignore[no-untyped-def]
    base, _ = demo_server
    page = _signed_in(context_for(DESKTOP), base, "facilitator")
    open_page(page, f"{base}/network")
    page.get_by_role("tab", name="Invitasjonskoder").click()
    settle(page)
    button = by_key(page, "codes-not-started", "button")
    border = button.evaluate("b => getComputedStyle(b).borderTopWidth")
    assert border not in ("0px", ""), border
