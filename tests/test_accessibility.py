"""Universal design in a real Chromium: an axe-core scan of every page for every role, and a whole
assessment completed with the keyboard only."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, expect

from ioa_assess.questionnaire import load_questionnaire
from ioa_assess.services.accounts import issue_invitation
from ioa_assess.services.actor import SYSTEM
from ioa_assess.services.cohort import completion, network_info
from ioa_assess.storage.engine import session_scope
from ioa_assess.ui.navigation import PAGE_ROLES
from tests.browser_support import open_page, settle, sign_in
from tests.conftest import use_database

pytestmark = pytest.mark.browser
ROLES = ("participant", "agency_lead", "leader", "facilitator", "regional_leader", "admin")
COMMON_PAGES = ("", "privacy", "accessibility")  # "" is the start page
BLOCKING = ("serious", "critical")


def _blocking_violations(page: Page) -> list[str]:
    result = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['nodes'][0]['target']}"
        for v in result.response["violations"]
        if v["impact"] in BLOCKING
    ]


def test_start_page_has_no_serious_violation(demo_server: tuple[str, str], browser: Browser) -> None:
    context = browser.new_context(locale="nb-NO")
    page = context.new_page()
    open_page(page, demo_server[0] + "/")
    assert _blocking_violations(page) == []
    context.close()


@pytest.mark.parametrize("role", ROLES)
def test_every_page_of_a_role_has_no_serious_violation(
    demo_server: tuple[str, str], browser: Browser, role: str
) -> None:
    base, _ = demo_server
    context = browser.new_context(viewport={"width": 1300, "height": 900}, locale="nb-NO")
    page = context.new_page()
    sign_in(page, base, f"{role.replace('_', '-')}@demo.ioa.no", f"demo-{role}-42")
    pages = [name for name, roles in PAGE_ROLES.items() if role in roles] + list(COMMON_PAGES)
    found = {}
    for name in pages:
        open_page(page, f"{base}/{name}")
        page.wait_for_timeout(300)  # charts render after the script has finished
        if violations := _blocking_violations(page):
            found[name] = violations
    context.close()
    assert found == {}


def _focused_key(page: Page) -> str:
    return page.evaluate(
        """() => {
            const holder = document.activeElement && document.activeElement.closest("[class*='st-key-']");
            return holder ? [...holder.classList].find(c => c.startsWith("st-key-")).slice(7) : "";
        }"""
    )


def _tab_to(page: Page, key: str, limit: int = 120) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if _focused_key(page) == key:
            return
    seen = [_focused_key(page) for _ in range(3)]
    raise AssertionError(f"Tab never reached {key}; focus at {seen}")


def test_a_whole_assessment_with_the_keyboard_only(demo_server: tuple[str, str], browser: Browser) -> None:
    base, url = demo_server
    use_database(url)
    open_round = network_info(SYSTEM).rounds[-1]
    body = next(r for r in completion(SYSTEM, open_round.id) if r.status == "not_started")
    with session_scope(write=True) as session:
        _, code = issue_invitation(session, SYSTEM, body.body_id, open_round.id)
    questionnaire = load_questionnaire(open_round.questionnaire_version)
    context = browser.new_context(viewport={"width": 1300, "height": 900}, locale="en-GB")
    page = context.new_page()
    open_page(page, base + "/")
    _tab_to(page, "invite-code")
    page.keyboard.type(code)
    page.keyboard.press("Enter")
    settle(page)
    for index, dimension in enumerate(questionnaire.dimensions):
        if index:
            _tab_to(page, f"dimension-{dimension.id}")
            page.keyboard.press("Enter")
            settle(page)
        for question in questionnaire.questions_in(dimension.id):
            _tab_to(page, f"answer-{question.id}")
            page.keyboard.press("Space")  # level 1 ...
            settle(page, pause=0.2)
            page.keyboard.press("ArrowDown")  # ... then level 2
            settle(page, pause=0.2)
    expect(page.get_by_role("progressbar")).to_have_attribute("aria-valuenow", "100")
    _tab_to(page, "submit-assessment")
    page.keyboard.press("Enter")
    settle(page)
    expect(page.get_by_role("dialog")).to_be_visible()
    expect(page.get_by_role("dialog").get_by_role("listitem")).to_have_count(0)  # nothing unanswered
    _tab_to(page, "confirm-submit")
    page.keyboard.press("Enter")
    settle(page)
    expect(page.locator(".st-key-submit-assessment")).to_have_count(0)  # read-only now
    context.close()
    rows = {r.body_id: r for r in completion(SYSTEM, open_round.id)}
    assert rows[body.body_id].status == "submitted" and rows[body.body_id].answered == len(
        questionnaire.questions
    )
