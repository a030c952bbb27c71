"""The web server as an attacker meets it: framing, the security headers, the session routes'
Origin check; and in Chromium that the app still works under its Content-Security-Policy."""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, expect
from sqlalchemy import select

from ioa_assess.services.accounts import actor_for_user
from ioa_assess.services.web_sessions import begin
from ioa_assess.storage.engine import session_scope
from ioa_assess.storage.models import User
from ioa_assess.ui.text import WORD_JOINER
from tests.browser_support import by_key, open_page, settle, sign_in
from tests.conftest import use_database


def _request(url: str, method: str = "GET", headers: dict[str, str] | None = None, body: bytes | None = None):  # type: ignore[no-untyped-def]
    request = urllib.request.Request(url, method=method, headers=headers or {}, data=body)  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - our own local server
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def _assert_no_framing(headers) -> None:  # type: ignore[no-untyped-def]
    assert headers["X-Frame-Options"] == "DENY"
    policy = headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in policy
    assert "default-src 'self'" in policy


def test_the_page_and_its_static_files_forbid_framing(demo_server: tuple[str, str]) -> None:
    base, _ = demo_server
    status, headers, html = _request(base + "/")
    assert status == 200
    _assert_no_framing(headers)
    scripts = re.findall(r'src="(\.?/?static/[^"]+\.js)"', html.decode())
    assert scripts, "the page names no static script"
    status, headers, _ = _request(base + "/" + scripts[0].lstrip("./"))
    assert status == 200
    _assert_no_framing(headers)
    status, headers, _ = _request(base + "/_stcore/health")
    _assert_no_framing(headers)


def _handoff(database_url: str) -> str:
    use_database(database_url)
    with session_scope() as session:
        user = session.scalar(select(User).where(User.email == "participant@demo.ioa.no"))
        actor = actor_for_user(user)
    return begin(actor)[1]


@pytest.mark.parametrize(
    "origin",
    [None, "https://{host}", "http://{host_other_port}", "http://evil.example", "null", "http://{host}:x"],
)
def test_the_session_route_refuses_another_origin(demo_server: tuple[str, str], origin: str | None) -> None:
    base, database_url = demo_server
    host = base.removeprefix("http://")
    port = int(host.rsplit(":", 1)[1])
    headers = {"Content-Type": "application/json"}
    if origin is not None:
        headers["Origin"] = origin.format(host=host, host_other_port=f"127.0.0.1:{port + 1}")
    body = json.dumps({"handoff": _handoff(database_url)}).encode()
    status, response_headers, _ = _request(base + "/auth/session", "POST", headers, body)
    assert status == 403
    assert "set-cookie" not in {k.lower() for k in response_headers}
    status, _, _ = _request(base + "/auth/signout", "POST", headers, b"{}")
    assert status == 403


def test_the_session_route_accepts_its_own_origin(demo_server: tuple[str, str]) -> None:
    base, database_url = demo_server
    headers = {"Content-Type": "application/json", "Origin": base}
    body = json.dumps({"handoff": _handoff(database_url)}).encode()
    status, response_headers, _ = _request(base + "/auth/session", "POST", headers, body)
    assert status == 204
    assert "ioa_session=" in response_headers["set-cookie"]


# --- in Chromium ---------------------------------------------------------------------------------


@pytest.fixture
def page(browser: Browser) -> Iterator[tuple[Page, list[str]]]:
    context = browser.new_context(locale="en-GB")
    page = context.new_page()
    problems: list[str] = []

    def watch(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            problems.append(message.text)

    page.on("console", watch)
    yield page, problems
    context.close()


def test_the_app_signs_in_and_answers_under_its_security_policy(
    demo_server: tuple[str, str], page: tuple[Page, list[str]]
) -> None:
    base, _ = demo_server
    tab, violations = page
    sign_in(tab, base, "agency-lead@demo.ioa.no", "demo-agency_lead-42")
    open_page(tab, base + "/assess")
    expect(tab.get_by_role("heading", name=re.compile("Assessment"))).to_be_visible()
    by_key(tab, "answer-str-01", "[role='radiogroup'] label").nth(2).click()
    settle(tab)
    tab.reload()
    settle(tab)
    expect(by_key(tab, "answer-str-01", "input[type='radio']").nth(2)).to_be_checked()
    open_page(tab, base + "/results")
    expect(tab.locator("canvas, svg").first).to_be_visible()
    assert violations == [], "\n".join(violations)


def test_another_site_cannot_frame_the_app(
    demo_server: tuple[str, str], page: tuple[Page, list[str]]
) -> None:
    base, _ = demo_server
    tab, _ = page
    tab.set_content(f'<iframe id="framed" src="{base}/" width="800" height="600"></iframe>')
    tab.wait_for_timeout(3000)
    framed = tab.frames[1]
    assert framed.locator("[data-testid='stApp']").count() == 0


def test_names_with_markdown_show_as_typed_in_the_browser(
    demo_server: tuple[str, str], page: tuple[Page, list[str]]
) -> None:
    """Issue 13, item 3: a round named like a sign-in link and a body named with Markdown."""
    from tests.test_rendering import BODY_NAME, ROUND_NAME, rename_demo_names

    base, database_url = demo_server
    use_database(database_url)
    rename_demo_names()
    tab, _ = page
    sign_in(tab, base, "participant@demo.ioa.no", "demo-participant-42")
    # "/" lands a participant with work under way in the assessment; either page shows the names.
    for path, heading in (
        ("/", "Your assessment|Assessment: "),
        ("/assess", "Assessment: "),
        ("/results", "Results: "),
    ):
        open_page(tab, base + path)
        main = tab.locator("[data-testid='stMain']")
        expect(main.get_by_role("heading", name=re.compile(f"^({heading})")).first).to_be_visible()
        assert main.locator("a[href*='evil.example'], a[href^='javascript']").count() == 0, path
        assert main.locator(".katex, strong:text-is('bold'), em:text-is('Vest')").count() == 0, path
        assert main.locator("b:text-is('tag')").count() == 0, path
        values = main.locator("input").evaluate_all("inputs => inputs.map(i => i.value).join('\\n')")
        shown = (main.inner_text() + "\n" + values).replace(WORD_JOINER, "")
        assert BODY_NAME in shown, path
        if path != "/":
            assert ROUND_NAME in shown, path
