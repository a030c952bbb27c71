"""Shared fixtures: throwaway SQLite files, a real PostgreSQL server, a seeded demo database."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from ioa_assess.storage.engine import dispose_all

PROJECT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def use_database(url: str) -> None:
    """Point the whole process (services, CLI helpers, Streamlit) at `url`."""
    dispose_all()
    os.environ["IOA_DATABASE_URL"] = url


@pytest.fixture(autouse=True)
def _restore_database_url() -> Iterator[None]:
    before = os.environ.get("IOA_DATABASE_URL")
    yield
    dispose_all()
    if before is None:
        os.environ.pop("IOA_DATABASE_URL", None)
    else:
        os.environ["IOA_DATABASE_URL"] = before


# --- PostgreSQL --------------------------------------------------------------------------


def _pg_bin() -> Path:
    candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    if not candidates:
        pytest.fail("PostgreSQL server binaries are missing: run `make test`, which installs them")
    return candidates[-1].parent


def _as_postgres(args: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *args] if os.geteuid() == 0 else args


class PostgresServer:
    def __init__(self, root: Path):
        self.bin = _pg_bin()
        self.root = root
        self.data = root / "data"
        self.port = free_port()
        self._counter = 0

    def start(self) -> None:
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres")
        subprocess.run(
            _as_postgres([str(self.bin / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres"]),
            check=True,
            capture_output=True,
        )
        options = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off"
        subprocess.run(
            # -l: the server must not inherit our pipes, or run() would wait for it to exit.
            _as_postgres(
                [
                    str(self.bin / "pg_ctl"),
                    "-D",
                    str(self.data),
                    "-l",
                    str(self.root / "server.log"),
                    "-o",
                    options,
                    "-w",
                    "start",
                ]
            ),
            check=True,
            capture_output=True,
        )

    def stop(self) -> None:
        subprocess.run(
            _as_postgres([str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "fast", "stop"]),
            capture_output=True,
        )

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def new_database(self) -> str:
        import psycopg

        self._counter += 1
        name = f"ioa_test_{self._counter}"
        with psycopg.connect(
            f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres", autocommit=True
        ) as c:
            c.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    root = Path(tempfile.mkdtemp(prefix="ioa-pg-"))
    os.chmod(root, 0o755)  # noqa: S103 - the postgres user must reach its data directory
    server = PostgresServer(root)
    server.start()
    try:
        yield server
    finally:
        server.stop()
        shutil.rmtree(root, ignore_errors=True)


# --- databases for one test --------------------------------------------------------------


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'ioa.db'}"
    use_database(url)
    return url


@pytest.fixture(params=["sqlite", "postgres"])
def empty_db(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A database with no schema yet on each backend in turn (for migration tests)."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'ioa.db'}"
    else:
        url = request.getfixturevalue("postgres").new_database()
    use_database(url)
    return url


@pytest.fixture
def any_db(empty_db: str) -> str:
    """An empty, initialised database on each backend in turn."""
    from ioa_assess.bootstrap import init_database

    init_database()
    return empty_db


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A seeded demo database file, made once; tests copy it so that each starts from it."""
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    use_database(f"sqlite:///{path}")
    from ioa_assess.seed import seed_demo

    seed_demo(seed=42)
    dispose_all()
    return path


@pytest.fixture
def demo_db(demo_template: Path, tmp_path: Path) -> str:
    """A fresh copy of the seeded demo database for this test."""
    target = tmp_path / "demo.db"
    shutil.copy(demo_template, target)
    url = f"sqlite:///{target}"
    use_database(url)
    return url


def wait_for_port(port: int, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise TimeoutError(f"nothing listens on port {port}")


# --- the app in a real browser -------------------------------------------------------------


@pytest.fixture(scope="module")
def demo_server(demo_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """(base URL, database URL): serve.py on a free port over a fresh copy of the demo, per module."""
    from tests.browser_support import app_server

    folder = tmp_path_factory.mktemp("server")
    database = folder / "ioa.db"
    shutil.copy(demo_template, database)
    url = f"sqlite:///{database}"
    with app_server(url, folder / "server.log") as base:
        yield base, url


@pytest.fixture(scope="module")
def browser():  # type: ignore[no-untyped-def]
    """Debian's Chromium driven by Playwright."""
    from playwright.sync_api import sync_playwright

    from tests.browser_support import CHROMIUM, CHROMIUM_ARGS

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
