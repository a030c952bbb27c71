"""Two app servers on one PostgreSQL, as behind a reverse proxy: a sign-in started on one holds on
the other, and a submission on one is seen on the other under the publication rule."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from ioa_assess.seed import seed_demo
from ioa_assess.services.actor import Actor
from ioa_assess.services.assessments import open_assessment, submit_assessment
from ioa_assess.storage.engine import session_scope
from ioa_assess.storage.models import Assessment, Body, PublishedSnapshot, Round, User
from tests.browser_support import app_server, by_key, open_page, settle, sign_in
from tests.conftest import PROJECT, PostgresServer, free_port, use_database, wait_for_port
from tests.factories import T0
from tests.test_pages import agree_everything, demo_actor

pytestmark = pytest.mark.browser
K = 3
PEERS = re.compile(r"The whole network \((\d+)\)")


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1300, "height": 900}, locale="en-GB")
    yield context.new_page()
    context.close()


def _open_round_state() -> tuple[int, int | None, list[int]]:
    """(open round id, its latest snapshot id, the draft assessments of bodies other than Gjesdal)."""
    with session_scope() as session:
        round_id = session.scalar(select(Round.id).where(Round.closed_at.is_(None)))
        snapshot = session.scalar(
            select(PublishedSnapshot.id)
            .where(PublishedSnapshot.round_id == round_id)
            .order_by(PublishedSnapshot.sequence.desc())
        )
        drafts = session.scalars(
            select(Assessment.id)
            .join(Body, Body.id == Assessment.body_id)
            .where(Assessment.round_id == round_id, Assessment.status == "draft", Body.name != "Gjesdal")
            .order_by(Assessment.id)
        ).all()
    assert round_id is not None
    return round_id, snapshot, list(drafts)


def _submit_elsewhere(assessment_id: int) -> None:
    """Another body submits (through the service, as its own participant would)."""
    with session_scope(write=True) as session:
        body_id = session.scalar(select(Assessment.body_id).where(Assessment.id == assessment_id))
        user = User(email=f"p{assessment_id}@test.no", role="participant", body_id=body_id, created_at=T0)
        session.add(user)
        session.flush()
        actor = Actor(role="participant", label=user.email, user_id=user.id, body_id=body_id)
    submit_assessment(actor, assessment_id)


def _peers_shown(page: Page) -> int:
    """The size of the peer group the results page compares with, as its picker shows it."""
    picker = by_key(page, "peer-group", "input[role='combobox']")
    expect(picker).to_be_visible()
    found = PEERS.search(picker.input_value())
    assert found is not None
    return int(found.group(1))


def test_two_servers_share_sign_ins_and_published_statistics(
    postgres: PostgresServer, page: Page, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("IOA_K_ANONYMITY", str(K))  # the servers inherit it
    # Servers behind one proxy share Streamlit's cookie secret (it signs the XSRF cookie).
    monkeypatch.setenv("STREAMLIT_SERVER_COOKIE_SECRET", "one-secret-for-every-server")
    url = postgres.new_database()
    use_database(url)
    seed_demo(seed=42, agencies=24, rounds=2)
    with app_server(url, tmp_path / "a.log") as first, app_server(url, tmp_path / "b.log") as second:
        sign_in(page, first, "participant@demo.ioa.no", "demo-participant-42")
        open_page(page, first + "/results")
        peers_before = _peers_shown(page)

        # The cookie goes to the other server (as a proxy would send it): the sign-in holds there.
        open_page(page, second + "/assess")
        expect(page.get_by_role("heading", name="Assessment: Gjesdal")).to_be_visible()
        page.reload()
        settle(page)
        expect(page.get_by_role("heading", name="Assessment: Gjesdal")).to_be_visible()

        _, snapshot_before, drafts = _open_round_state()
        # Three of Gjesdal's people answered: its agency lead agrees the answers before the submit.
        agree_everything(open_assessment(demo_actor("agency_lead")).id)
        by_key(page, "submit-assessment", "button").click()
        settle(page)
        by_key(page, "confirm-submit", "button").click()
        settle(page)
        expect(page.get_by_text("This assessment was submitted and is read-only")).to_be_visible()

        # On the first server: the body's own results are final at once ...
        open_page(page, first + "/results")
        expect(page.get_by_role("heading", name="Results: Gjesdal")).to_be_visible()
        expect(page.get_by_text("The assessment is not submitted yet")).to_have_count(0)
        # ... and what peers see is not republished for one new body.
        assert _peers_shown(page) == peers_before
        assert _open_round_state()[1] == snapshot_before

        # k - 1 more bodies submit: the statistics are republished, and both servers show them.
        assert len(drafts) >= K - 1
        for assessment_id in drafts[: K - 1]:
            _submit_elsewhere(assessment_id)
        assert _open_round_state()[1] != snapshot_before
        for server in (second, first):
            open_page(page, server + "/results")
            assert _peers_shown(page) == peers_before + K - 1


@contextmanager
def nginx(upstreams: list[str], folder: Path) -> Iterator[str]:
    """nginx from Debian with deploy/nginx.conf, its servers replaced by `upstreams`; its address."""
    port = free_port()
    conf = (PROJECT / "deploy" / "nginx.conf").read_text(encoding="utf-8")
    servers = "".join(f"    server {u.removeprefix('http://')};\n" for u in upstreams)
    conf = re.sub(r"(    server 127\.0\.0\.1:\d+;\n)+", servers, conf).replace(
        "listen 8080;", f"listen 127.0.0.1:{port};"
    )
    (folder / "ioa.conf").write_text(conf, encoding="utf-8")
    main = (
        f"pid {folder}/nginx.pid; error_log {folder}/error.log; daemon off;\n"
        f"events {{}}\nhttp {{ access_log {folder}/access.log; client_body_temp_path {folder}; "
        f"proxy_temp_path {folder}; include {folder}/ioa.conf; }}\n"
    )
    (folder / "nginx.conf").write_text(main, encoding="utf-8")
    process = subprocess.Popen(
        [shutil.which("nginx") or "/usr/sbin/nginx", "-c", str(folder / "nginx.conf"), "-p", str(folder)]
    )
    try:
        wait_for_port(port)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_through_nginx_a_sign_in_survives_the_loss_of_its_server(
    postgres: PostgresServer, page: Page, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STREAMLIT_SERVER_COOKIE_SECRET", "one-secret-for-every-server")
    monkeypatch.setenv("IOA_TIMING", "1")  # the server that draws the assessment page says so
    url = postgres.new_database()
    use_database(url)
    seed_demo(seed=42, agencies=12, rounds=1)
    logs = [tmp_path / "a.log", tmp_path / "b.log"]
    with ExitStack() as first, ExitStack() as second:
        bases = [
            first.enter_context(app_server(url, logs[0])),
            second.enter_context(app_server(url, logs[1])),
        ]
        proxy = ExitStack()
        base = proxy.enter_context(nginx(bases, tmp_path))
        with proxy:
            sign_in(page, base, "participant@demo.ioa.no", "demo-participant-42")
            open_page(page, base + "/assess")
            expect(page.get_by_role("heading", name="Assessment: Gjesdal")).to_be_visible()
            serving = [i for i, log in enumerate(logs) if "IOA_TIMING" in log.read_text(errors="replace")]
            assert len(serving) == 1  # sticky: one server drew it
            (first if serving[0] == 0 else second).close()  # that server goes away
            page.reload()
            settle(page)
            expect(page.get_by_role("heading", name="Assessment: Gjesdal")).to_be_visible()
            other = logs[1 - serving[0]].read_text(errors="replace")
            assert "IOA_TIMING" in other  # the other server drew it, from the cookie and the database
