"""How long a click on a level takes, measured in a real browser against a real server.

Seeds a national-scale database (600 bodies, 5 rounds), starts the app (serve.py) and a bare page
with the same widgets and no storage (bench/bare_page.py), and times each click on a level twice:

- server time: from the moment the server starts handling the click to the moment the page is
  rendered (for the app: the answer stored by the widget's callback, then the fragments that redraw;
  for the bare page: its whole script run), from the servers' own IOA_TIMING lines;
- round trip: from the browser sending the widget change on the websocket to the server's
  "script finished" message. The browser's own work before it sends is left out, as it is the same
  for any server.

Two kinds of click are measured, as a participant makes both: a first answer to each question
(the counts in the navigation change, so it is redrawn too) and a changed answer.
The two pages are clicked in turn, so that both see the same machine load. Prints medians, the 90th
percentile and the ratios.

    .venv/bin/python bench/answer_click.py [--changes 40]
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

WARM_UP = 3  # clicks left out at the start of each kind: the first ones warm caches and connections


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


def _is_script_finished(payload: bytes | str) -> bool:
    if not isinstance(payload, bytes):
        return False
    return ForwardMsg.FromString(payload).WhichOneof("type") == "script_finished"


class ServerLog:
    """The IOA_TIMING lines a server printed since the last look: (label, start s, end s)."""

    def __init__(self, path: Path):
        self.path = path
        self.position = 0

    def new_blocks(self) -> list[tuple[str, float, float]]:
        with self.path.open("rb") as log:
            log.seek(self.position)
            text = log.read().decode("utf-8", "replace")
        complete = text[: text.rfind("\n") + 1]
        self.position += len(complete.encode("utf-8"))
        blocks = []
        for line in complete.splitlines():
            if line.startswith("IOA_TIMING "):
                _, label, elapsed_ms, started = line.split()
                blocks.append((label, float(started), float(started) + float(elapsed_ms) / 1000))
        return blocks


class Clicker:
    """Clicks on one page and times each click, in the browser and on the server."""

    def __init__(self, page: Page, log: ServerLog):
        self.page = page
        self.log = log
        self.ws = None
        self.sent_at = 0.0
        self.finished_at = 0.0
        page.on("websocket", self._watch)

    def _watch(self, ws) -> None:  # type: ignore[no-untyped-def]
        self.ws = ws
        ws.on("framesent", self._sent)
        ws.on("framereceived", self._received)

    def _sent(self, _payload: bytes | str) -> None:
        self.sent_at = time.perf_counter()

    def _received(self, payload: bytes | str) -> None:
        if _is_script_finished(payload):
            self.finished_at = time.perf_counter()

    def untimed(self, key: str) -> None:
        by_key(self.page, key, "button").click()
        settle(self.page)
        self.log.new_blocks()

    def level(self, question_id: str, level: int) -> tuple[float, float]:
        """(round trip, server time) of one click on a level, in seconds."""
        self.log.new_blocks()
        # Wait on the event itself, not by polling: polling would load the two cores being measured.
        with self.ws.expect_event("framereceived", predicate=_is_script_finished):
            by_key(self.page, f"answer-{question_id}", "[role='radiogroup'] label").nth(level - 1).click()
        round_trip = self.finished_at - self.sent_at
        settle(self.page, pause=0.05)
        blocks = self.log.new_blocks()
        if not blocks:
            raise RuntimeError("the server printed no timings: is IOA_TIMING set?")
        return round_trip, max(end for _, _, end in blocks) - min(start for _, start, _ in blocks)


def bare_server(log: Path):  # type: ignore[no-untyped-def]
    port = free_port()
    command = [sys.executable, "-m", "streamlit", "run", "bench/bare_page.py"]
    command += ["--server.port", str(port), "--server.headless", "true"]
    process = subprocess.Popen(command, cwd=PROJECT, stdout=log.open("wb"), stderr=subprocess.STDOUT)
    wait_for_port(port)
    return process, f"http://127.0.0.1:{port}"


def describe(name: str, times: list[float]) -> float:
    ordered = sorted(times)
    median = statistics.median(ordered) * 1000
    p90 = ordered[int(0.9 * (len(ordered) - 1))] * 1000
    print(f"  {name:<10} n={len(ordered):>3}  median {median:7.1f} ms   p90 {p90:7.1f} ms")
    return median


def report(kind: str, app: list[tuple[float, float]], bare: list[tuple[float, float]]) -> None:
    app, bare = app[WARM_UP:], bare[WARM_UP:]
    print(f"{kind}")
    for index, measure, target in ((1, "server time", " (target <= 1.5x)"), (0, "round trip", "")):
        print(f" {measure}")
        app_median = describe("app", [t[index] for t in app])
        bare_median = describe("bare page", [t[index] for t in bare])
        print(f"  ratio app / bare page (medians): {app_median / bare_median:.2f}x{target}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--changes", type=int, default=40, help="clicks that change an answer")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="ioa-bench-"))
    url = seed(folder / "ioa.db")
    use_database(url)
    from ioa_assess.questionnaire import load_questionnaire
    from ioa_assess.services.accounts import issue_invitation
    from ioa_assess.services.actor import SYSTEM
    from ioa_assess.services.cohort import completion, network_info
    from ioa_assess.storage.engine import session_scope

    open_round = network_info(SYSTEM).rounds[-1]
    body_id = next(r.body_id for r in completion(SYSTEM, open_round.id) if r.status == "not_started")
    with session_scope(write=True) as session:
        _, code = issue_invitation(session, SYSTEM, body_id, open_round.id)
    questionnaire = load_questionnaire(open_round.questionnaire_version)  # what the app shows
    bare_questions = [q.id for q in questionnaire.questions_in(questionnaire.dimensions[0].id)]
    os.environ["IOA_TIMING"] = "1"  # both servers log their own time per block
    bare, bare_url = bare_server(folder / "bare.log")
    try:
        with app_server(url, folder / "app.log") as base, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            app_page = browser.new_page(viewport={"width": 1300, "height": 900})
            app = Clicker(app_page, ServerLog(folder / "app.log"))
            open_page(app_page, base + "/")
            by_key(app_page, "invite-code", "input").fill(code)
            by_key(app_page, "invite-submit", "button").click()
            settle(app_page)
            bare_page = browser.new_page(viewport={"width": 1300, "height": 900})
            bare_clicker = Clicker(bare_page, ServerLog(folder / "bare.log"))
            open_page(bare_page, bare_url)

            first_app, first_bare = [], []
            for number, dimension in enumerate(questionnaire.dimensions):
                app.untimed(f"dimension-{dimension.id}")
                for index, question in enumerate(questionnaire.questions_in(dimension.id)):
                    first_app.append(app.level(question.id, 1 + (number + index) % 5))
                for index, question_id in enumerate(bare_questions):
                    first_bare.append(bare_clicker.level(question_id, 1 + (number + index) % 5))

            changed_app, changed_bare = [], []
            app.untimed(f"dimension-{questionnaire.dimensions[0].id}")
            for turn in range(args.changes):
                index = turn % len(bare_questions)
                level = 1 + (index + 1 + turn // len(bare_questions)) % 5  # always another level
                changed_app.append(app.level(bare_questions[index], level))
                changed_bare.append(bare_clicker.level(bare_questions[index], level))
            browser.close()
    finally:
        bare.terminate()
    report("first answers (the navigation's counts change)", first_app, first_bare)
    report("changed answers", changed_app, changed_bare)


if __name__ == "__main__":
    main()
