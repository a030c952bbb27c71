"""A real app server on a free port, and Chromium driven by Playwright, for the browser tests."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import Browser, Page

from tests.conftest import PROJECT, free_port, wait_for_port

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"


@contextmanager
def new_page(browser: Browser, locale: str, width: int = 1300, height: int = 1000) -> Iterator[Page]:
    """A page in a context of its own (cookies, language, window size), closed afterwards."""
    context = browser.new_context(viewport={"width": width, "height": height}, locale=locale)
    yield context.new_page()
    context.close()


@contextmanager
def app_server(database_url: str, log: Path) -> Iterator[str]:
    """`streamlit run serve.py` exactly as `make run` starts it, on a free port."""
    port = free_port()
    env = {**os.environ, "IOA_DATABASE_URL": database_url}
    command = [sys.executable, "-m", "streamlit", "run", "serve.py", "--server.port", str(port)]
    command += ["--server.headless", "true", "--browser.gatherUsageStats", "false"]
    with log.open("wb") as out:
        process = subprocess.Popen(command, cwd=PROJECT, env=env, stdout=out, stderr=subprocess.STDOUT)
        try:
            wait_for_port(port, timeout=60)
            _wait_healthy(f"http://127.0.0.1:{port}/_stcore/health")
            yield f"http://127.0.0.1:{port}"
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


def _wait_healthy(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - our own local server
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise TimeoutError(url)


def settle(page: Page, pause: float = 0.4) -> None:
    """Wait until Streamlit has finished running the script for the last interaction."""
    time.sleep(pause)
    page.wait_for_selector(IDLE, timeout=30_000)
    page.wait_for_load_state("networkidle")


def open_page(page: Page, url: str) -> None:
    page.goto(url)
    page.wait_for_selector(IDLE, timeout=30_000)
    settle(page)


def by_key(page: Page, key: str, inner: str = ""):  # type: ignore[no-untyped-def]
    return page.locator(f".st-key-{key} {inner}".strip())


def sign_in(page: Page, base: str, email: str, password: str) -> None:
    open_page(page, base + "/")
    by_key(page, "signin-email", "input").fill(email)
    by_key(page, "signin-password", "input").fill(password)
    by_key(page, "signin-submit", "button").click()
    settle(page)
    wait_for_session_cookie(page)


def wait_for_session_cookie(page: Page, timeout: float = 10.0) -> None:
    """The page posts the sign-in handoff right after the rerun; wait until the cookie is set."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if any(c["name"] == "ioa_session" for c in page.context.cookies()):
            return
        time.sleep(0.1)
    raise AssertionError("the session cookie was never set")


def choose_language(page: Page, name: str) -> None:
    """Pick a language in the sidebar's language menu, as a user would."""
    by_key(page, "language-picker", "[role='combobox']").click()
    page.get_by_role("option", name=name).click()
    settle(page)
