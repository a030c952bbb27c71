"""How long a click on a level takes, measured in a real browser against a real server.

Seeds a national-scale database (600 bodies, 5 rounds), starts the app (serve.py) and a bare page
with the same widgets and no storage (bench/bare_page.py), and times, for each click on a level,
the server's part: from the browser sending the widget change on the websocket to the server's
"script finished" message (the answer is stored and the page is rendered by then). The browser's
own work before it sends is left out, as it is the same for any server. Prints medians, the 90th
percentile and the ratio.

    .venv/bin/python bench/answer_click.py [--clicks 40]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import Page, sync_playwright
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from tests.browser_support import CHROMIUM, CHROMIUM_ARGS, app_server, by_key, open_page, settle  # noqa: E402
from tests.conftest import free_port, use_database, wait_for_port  # noqa: E402


def seed(database: Path) -> str:
    url = f"sqlite:///{database}"
    env = {**os.environ, "IOA_DATABASE_URL": url}
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "ioa_assess", "seed-demo", "--agencies", "600", "--rounds", "5"],
        cwd=PROJECT,
        env=env,
        check=True,
        capture_output=True,
    )
    print(f"seeded 600 bodies x 5 rounds in {time.perf_counter() - started:.1f} s")
    return url


class RunTimer:
    """Times the rerun request sent -> script_finished received, from the websocket frames."""

    def __init__(self, page: Page):
        self.finished = 0
        self.sent_at = 0.0
        self.finished_at = 0.0
        page.on("websocket", self._watch)

    def _watch(self, ws) -> None:  # type: ignore[no-untyped-def]
        ws.on("framesent", self._sent)
        ws.on("framereceived", self._received)

    def _sent(self, _payload: bytes | str) -> None:
        self.sent_at = time.perf_counter()

    def _received(self, payload: bytes | str) -> None:
        if isinstance(payload, bytes):
            message = ForwardMsg.FromString(payload)
            if message.WhichOneof("type") == "script_finished":
                self.finished_at = time.perf_counter()
                self.finished += 1

    def click(self, page: Page, locator) -> float:  # type: ignore[no-untyped-def]
        before = self.finished
        locator.click()
        while self.finished == before:
            page.wait_for_timeout(1)
        elapsed = self.finished_at - self.sent_at
        settle(page, pause=0.05)
        return elapsed


def clicks_on(page: Page, timer: RunTimer, question_ids: list[str], count: int) -> list[float]:
    times = []
    for index in range(count):
        question = question_ids[index % len(question_ids)]
        level = 1 + (index // len(question_ids)) % 5
        times.append(
            timer.click(page, by_key(page, f"answer-{question}", "[role='radiogroup'] label").nth(level - 1))
        )
    return times[2:]  # the first clicks warm caches and connections


def bare_server(log: Path):  # type: ignore[no-untyped-def]
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        "bench/bare_page.py",
        "--server.port",
        str(port),
        "--server.headless",
        "true",
    ]
    process = subprocess.Popen(command, cwd=PROJECT, stdout=log.open("wb"), stderr=subprocess.STDOUT)
    wait_for_port(port)
    return process, f"http://127.0.0.1:{port}"


def server_times(log: Path, labels: tuple[str, ...], clicks: int) -> list[float]:
    """Per click, the server's own time (IOA_TIMING lines): for the app the callback that stores
    the answer plus the fragment that renders; for the bare page its whole script run."""
    rows = [line.split() for line in log.read_text().splitlines() if line.startswith("IOA_TIMING")]
    values = [float(r[2]) / 1000 for r in rows if r[1] in labels]
    if labels == ("save", "render"):
        saves = [float(r[2]) / 1000 for r in rows if r[1] == "save"]
        renders = [float(r[2]) / 1000 for r in rows if r[1] == "render"]
        values = [s + r for s, r in zip(saves[-clicks:], renders[-clicks:], strict=True)]
    return values[-clicks:]


def describe(name: str, times: list[float]) -> float:
    ordered = sorted(times)
    median = statistics.median(ordered) * 1000
    p90 = ordered[int(0.9 * (len(ordered) - 1))] * 1000
    print(f"{name:<12} n={len(ordered):>3}  median {median:7.1f} ms   p90 {p90:7.1f} ms")
    return median


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clicks", type=int, default=40)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="ioa-bench-"))
    url = seed(folder / "ioa.db")
    use_database(url)
    from ioa_assess.services.accounts import issue_invitation
    from ioa_assess.services.actor import SYSTEM
    from ioa_assess.services.cohort import completion, network_info
    from ioa_assess.storage.engine import session_scope

    open_round = network_info(SYSTEM).rounds[-1]
    body_id = next(r.body_id for r in completion(SYSTEM, open_round.id) if r.status == "not_started")
    with session_scope(write=True) as session:
        _, code = issue_invitation(session, SYSTEM, body_id, open_round.id)
    questions = [f"str-0{n}" for n in range(1, 6)]
    os.environ["IOA_TIMING"] = "1"  # both servers log their own time per run
    bare, bare_url = bare_server(folder / "bare.log")
    try:
        with app_server(url, folder / "app.log") as base, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            app_page = browser.new_page(viewport={"width": 1300, "height": 900})
            app_timer = RunTimer(app_page)
            open_page(app_page, base + "/")
            by_key(app_page, "invite-code", "input").fill(code)
            by_key(app_page, "invite-submit", "button").click()
            settle(app_page)
            bare_page = browser.new_page(viewport={"width": 1300, "height": 900})
            bare_timer = RunTimer(bare_page)
            open_page(bare_page, bare_url)
            # Interleave the two, so that both see the same machine load.
            app_times, bare_times = [], []
            for _ in range(4):
                app_times += clicks_on(app_page, app_timer, questions, args.clicks // 4 + 2)
                bare_times += clicks_on(bare_page, bare_timer, questions, args.clicks // 4 + 2)
            browser.close()
    finally:
        bare.terminate()
    print("round trip: rerun request sent -> script finished received, in the browser")
    app_median = describe("app", app_times)
    bare_median = describe("bare page", bare_times)
    print(f"ratio app / bare page (medians): {app_median / bare_median:.2f}x")
    print("server time: answer stored + page rendered (app), script run (bare page)")
    clicks = len(app_times) + 8
    app_server_median = describe(
        "app", server_times(folder / "app.log", ("save", "render"), clicks)[-len(app_times) :]
    )
    bare_server_median = describe(
        "bare page", server_times(folder / "bare.log", ("bare",), clicks)[-len(bare_times) :]
    )
    print(f"ratio app / bare page (medians): {app_server_median / bare_server_median:.2f}x  (target <= 1.5x)")


if __name__ == "__main__":
    main()
