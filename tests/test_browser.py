"""The app in a real Chromium: sign-in, the participant journey with a code, reloads, downloads."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from ioa_assess.questionnaire import load_questionnaire, newest_version
from ioa_assess.reports.questionnaire_doc import answer_options
from ioa_assess.services.actor import SYSTEM
from ioa_assess.services.cohort import completion, network_info
from ioa_assess.storage.engine import session_scope
from ioa_assess.storage.models import Body
from tests.browser_support import (
    by_key,
    choose_language,
    open_page,
    settle,
    sign_in,
)
from tests.conftest import PROJECT, use_database

OPEN = load_questionnaire(newest_version())  # the questionnaire of the demo's open round
TOTAL = len(OPEN.questions)
STRATEGY = [q.id for q in OPEN.questions_in("str")]
ORGANISATION = [q.id for q in OPEN.questions_in("org")]

pytestmark = pytest.mark.browser


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(
        viewport={"width": 1300, "height": 900}, accept_downloads=True, locale="en-GB"
    )
    page = context.new_page()
    yield page
    context.close()


def _invite(database_url: str) -> tuple[str, str]:
    """A code from the CLI for a nynorsk municipality that has not started the open round."""
    use_database(database_url)
    network = network_info(SYSTEM)
    open_round = network.rounds[-1]
    with session_scope() as session:
        nynorsk = set(session.scalars(select(Body.name).where(Body.written_standard == "nynorsk")))
    body = next(
        r.body for r in completion(SYSTEM, open_round.id) if r.status == "not_started" and r.body in nynorsk
    )
    result = subprocess.run(
        [sys.executable, "-m", "ioa_assess", "invite", "--agency", body],
        cwd=PROJECT,
        env={"IOA_DATABASE_URL": database_url, "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=True,
    )
    return body, result.stdout.strip().splitlines()[-1]


def _enter_with_a_new_code(page: Page, base: str, database_url: str) -> str:
    """Enter the app with a fresh code from the CLI, as a participant would; returns the body's name."""
    body, code = _invite(database_url)
    open_page(page, base + "/")
    by_key(page, "invite-code", "input").fill(code)
    by_key(page, "invite-submit", "button").click()
    settle(page)
    return body


def _level_inputs(page: Page, question_id: str):  # type: ignore[no-untyped-def]
    return by_key(page, f"answer-{question_id}", "input[type='radio']")


def _choose_level(page: Page, question_id: str, level: int) -> None:
    by_key(page, f"answer-{question_id}", "[role='radiogroup'] label").nth(level - 1).click()
    settle(page)


def _comment(page: Page, question_id: str, text: str) -> None:
    area = by_key(page, f"comment-{question_id}", "textarea")
    area.fill(text)
    area.press("Tab")  # a text area is saved when it loses focus
    settle(page)


def _open_dimension(page: Page, dimension_id: str) -> None:
    by_key(page, f"dimension-{dimension_id}", "button").click()
    settle(page)


def test_demo_sign_in_shows_demo_data_and_survives_a_reload(demo_server: tuple[str, str], page: Page) -> None:
    base, _ = demo_server
    sign_in(page, base, "participant@demo.ioa.no", "demo-participant-42")
    expect(page.get_by_text("Gjesdal").first).to_be_visible()
    open_page(page, base + "/assess")  # a new Streamlit session: the cookie keeps us in
    expect(page.get_by_role("heading", name="Assessment: Gjesdal")).to_be_visible()
    page.reload()
    settle(page)
    expect(_level_inputs(page, "str-01")).to_have_count(len(answer_options(OPEN, OPEN.question("str-01"))))


def test_participant_journey_with_a_code(demo_server: tuple[str, str], page: Page, browser: Browser) -> None:
    base, database_url = demo_server
    body = _enter_with_a_new_code(page, base, database_url)
    # A nynorsk municipality gets nynorsk by default, whatever the browser says ...
    expect(page.get_by_role("heading", name=f"Eigenvurdering: {body}")).to_be_visible()
    # ... and the participant can choose another language.
    choose_language(page, "English")
    expect(page.get_by_role("heading", name=f"Assessment: {body}")).to_be_visible()

    _choose_level(page, "str-01", 3)
    _comment(page, "str-01", "Vedtatt i <b>kommunestyret</b> 2026")
    _open_dimension(page, "org")
    _choose_level(page, "org-02", 4)
    expect(page.get_by_text(f"2 of {TOTAL} questions answered")).to_be_visible()

    page.reload()
    settle(page)
    expect(_level_inputs(page, "org-02").nth(3)).to_be_checked()  # the reload stays where it was
    _open_dimension(page, "str")
    expect(_level_inputs(page, "str-01").nth(2)).to_be_checked()
    expect(by_key(page, "comment-str-01", "textarea")).to_have_value("Vedtatt i <b>kommunestyret</b> 2026")

    by_key(page, "submit-assessment", "button").click()
    settle(page)
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_text(f"{TOTAL - 2} questions are not answered")).to_be_visible()
    by_key(page, "confirm-submit", "button").click()
    settle(page)
    expect(page.get_by_text("This assessment was submitted and is read-only")).to_be_visible()
    expect(_level_inputs(page, "str-01").nth(0)).to_be_disabled()

    open_page(page, base + "/results")
    expect(page.get_by_role("heading", name=f"Results: {body}")).to_be_visible()
    expect(page.locator("[data-testid='stVegaLiteChart']").first).to_be_visible()
    with page.expect_download() as download_info:
        by_key(page, "download-csv", "button").click()
    rows = list(csv.DictReader(io.StringIO(Path(download_info.value.path()).read_text(encoding="utf-8-sig"))))
    by_question = {row["Question id"]: row for row in rows}
    assert len(rows) == TOTAL
    assert by_question["str-01"]["Level"] == "3"
    assert by_question["str-01"]["Comment"] == "Vedtatt i <b>kommunestyret</b> 2026"
    assert by_question["org-02"]["Level"] == "4"

    stranger = browser.new_context(locale="en-GB")
    other = stranger.new_page()
    open_page(other, base + "/results")
    expect(other.get_by_text(body)).to_have_count(0)
    expect(other.locator("[data-testid='stVegaLiteChart']")).to_have_count(0)
    stranger.close()


def test_a_click_redraws_its_question_and_the_counts(demo_server: tuple[str, str], page: Page) -> None:
    """Each question reruns on its own: the counts, the jump and "last changed" follow every click."""
    base, database_url = demo_server
    body = _enter_with_a_new_code(page, base, database_url)
    choose_language(page, "English")
    second, strategy = STRATEGY[1], OPEN.dimension("str").name.get("en")
    progress = page.get_by_text(f"of {TOTAL} questions answered")
    expect(progress).to_have_text(f"0 of {TOTAL} questions answered")
    expect(by_key(page, f"question-{second}").get_by_text("Last changed")).to_have_count(0)
    expect(by_key(page, f"question-{second}").get_by_text("Not answered yet")).to_be_visible()

    _choose_level(page, second, 2)  # a first answer: the counts change
    expect(by_key(page, f"question-{second}").get_by_text("Not answered yet")).to_have_count(0)
    expect(progress).to_have_text(f"1 of {TOTAL} questions answered")
    expect(by_key(page, "dimension-str", "button")).to_contain_text(f"1/{len(STRATEGY)} · {strategy}")
    expect(by_key(page, f"question-{second}").get_by_text("Last changed")).to_contain_text(
        f"by {body} (code …"
    )
    expect(by_key(page, "question-str-01").get_by_text("Last changed")).to_have_count(0)

    _choose_level(page, second, 4)  # a changed answer: the counts stay
    expect(progress).to_have_text(f"1 of {TOTAL} questions answered")
    expect(_level_inputs(page, second).nth(3)).to_be_checked()
    for question_id in (q for q in STRATEGY if q != second):
        _choose_level(page, question_id, 3)
    expect(by_key(page, "dimension-str", "button")).to_contain_text(
        f"✓ {len(STRATEGY)}/{len(STRATEGY)} · {strategy}"
    )

    by_key(page, "jump-unanswered", "button").click()  # the next unanswered is in the second dimension
    settle(page)
    expect(page.get_by_role("heading", name="Organisation and competence")).to_be_visible()
    expect(by_key(page, "dimension-org", "button")).to_contain_text(f"▸ 0/{len(ORGANISATION)}")

    # A second tab of the same person sees the stored answers, and its change shows up here after a reload.
    other_tab = page.context.new_page()
    open_page(other_tab, base + "/assess")
    _open_dimension(other_tab, "str")
    expect(_level_inputs(other_tab, second).nth(3)).to_be_checked()
    _choose_level(other_tab, second, 5)
    other_tab.close()
    page.reload()
    settle(page)
    # A new visit opens where the work stopped: the first dimension with an unanswered question.
    expect(page.get_by_role("heading", name="Organisation and competence")).to_be_visible()
    expect(page.get_by_text(f"{len(STRATEGY)} of {TOTAL} questions answered")).to_be_visible()
    _open_dimension(page, "str")
    expect(_level_inputs(page, second).nth(4)).to_be_checked()


def test_leader_sees_the_leadership_page_and_downloads_the_pdf(
    demo_server: tuple[str, str], page: Page
) -> None:
    from pypdf import PdfReader

    base, _ = demo_server
    sign_in(page, base, "leader@demo.ioa.no", "demo-leader-42")
    open_page(page, base + "/leadership")
    expect(page.get_by_role("heading", name="Leadership: Sandnes")).to_be_visible()
    expect(page.locator("[data-testid='stVegaLiteChart']")).to_have_count(2)
    with page.expect_download() as download_info:
        by_key(page, "download-pdf", "button").click()
    reader = PdfReader(download_info.value.path())
    text = " ".join(reader.pages[0].extract_text().split())
    assert len(reader.pages) == 3  # the maturity picture, the plan, the answers and their evidence
    assert "Sandnes" in text and "Oppfølging 2026" in text and "Market dialogue" in text


def test_sign_out_ends_the_session_on_the_server(
    demo_server: tuple[str, str], page: Page, browser: Browser
) -> None:
    base, _ = demo_server
    sign_in(page, base, "agency-lead@demo.ioa.no", "demo-agency_lead-42")  # lands on the start page
    page.get_by_test_id("stSidebar").get_by_role("link", name="Start").click()
    settle(page)
    expect(page.get_by_text("Signed in as agency-lead@demo.ioa.no")).to_be_visible()
    cookie = next(c for c in page.context.cookies() if c["name"] == "ioa_session")
    by_key(page, "signout", "button").click()
    settle(page)
    expect(by_key(page, "signin-email", "input")).to_be_visible()
    page.reload()
    settle(page)
    expect(by_key(page, "signin-email", "input")).to_be_visible()
    expect(page.get_by_text("Signed in as")).to_have_count(0)
    open_page(page, base + "/assess")
    expect(page.get_by_text("Page not found")).to_be_visible()
    expect(by_key(page, "answer-str-01")).to_have_count(0)
    # The old cookie, kept by someone who copied it before the sign-out, no longer works either.
    thief = browser.new_context(locale="en-GB")
    thief.add_cookies([cookie])
    other = thief.new_page()
    open_page(other, base + "/")
    expect(by_key(other, "signin-email", "input")).to_be_visible()
    expect(other.get_by_text("Signed in as")).to_have_count(0)
    thief.close()


def test_an_administrator_erases_a_person_after_confirming(demo_server: tuple[str, str], page: Page) -> None:
    base, _ = demo_server
    sign_in(page, base, "admin@demo.ioa.no", "demo-admin-42")
    open_page(page, base + "/admin")
    by_key(page, "admin-person").click()
    page.get_by_role("option", name="regional-leader@demo.ioa.no (Regional leader)").click()
    settle(page)
    with page.expect_download() as download_info:
        by_key(page, "export-person-json", "button").click()
    assert "regional-leader@demo.ioa.no" in Path(download_info.value.path()).read_text(encoding="utf-8")
    by_key(page, "delete-person", "button").click()
    settle(page)
    dialog = page.get_by_role("dialog")
    by_key(page, "delete-confirm-email", "input").fill("someone@demo.ioa.no")
    by_key(page, "confirm-delete", "button").click()
    settle(page)
    expect(dialog.get_by_text("The e-mail address does not match.")).to_be_visible()
    by_key(page, "delete-confirm-email", "input").fill("regional-leader@demo.ioa.no")
    by_key(page, "confirm-delete", "button").click()
    settle(page)
    expect(page.get_by_text("The account was erased")).to_be_visible()
    expect(page.get_by_role("dialog")).to_have_count(0)
    stranger = page.context.browser.new_context(locale="en-GB")
    other = stranger.new_page()
    open_page(other, base + "/")
    by_key(other, "signin-email", "input").fill("regional-leader@demo.ioa.no")
    by_key(other, "signin-password", "input").fill("demo-regional_leader-42")
    by_key(other, "signin-submit", "button").click()
    settle(other)
    expect(other.get_by_text("Wrong e-mail or password.")).to_be_visible()
    stranger.close()


def test_an_open_tab_follows_a_role_change_and_an_erasure(demo_server: tuple[str, str], page: Page) -> None:
    """No reload needed: the next click in the open tab uses the new role, or signs the tab out."""
    from ioa_assess.services.accounts import change_role
    from ioa_assess.services.privacy import delete_person
    from tests.factories import make_user

    base, database_url = demo_server
    use_database(database_url)
    with session_scope() as session:
        gjesdal = session.scalar(select(Body.id).where(Body.name == "Gjesdal"))
    email = "open-tab@gjesdal.kommune.no"
    make_user(email, "participant", body_id=gjesdal)
    sign_in(page, base, email, "correct horse battery")
    sidebar = page.get_by_test_id("stSidebar")
    sidebar.get_by_role("link", name="Assessment").click()
    settle(page)
    expect(page.get_by_role("heading", name="Assessment: Gjesdal")).to_be_visible()

    change_role(SYSTEM, email, "leader", body_id=gjesdal)
    sidebar.get_by_role("link", name="Start").click()  # the same tab, the same Streamlit session
    settle(page)
    expect(sidebar.get_by_role("link", name="Leadership")).to_be_visible()
    expect(sidebar.get_by_role("link", name="Assessment")).to_have_count(0)

    delete_person(SYSTEM, email)
    sidebar.get_by_role("link", name="My results").click()
    settle(page)
    expect(page.get_by_text("Your sign-in has ended")).to_be_visible()
    expect(by_key(page, "signin-email", "input")).to_be_visible()
    expect(page.get_by_text("Gjesdal")).to_have_count(0)
    expect(sidebar.get_by_role("link", name="My results")).to_have_count(0)
