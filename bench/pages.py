"""How long a warm rerun of each page takes as the data grows, and the cohort statistics against a
hand-written SQL floor.

Seeds three databases (the demo network, 72 bodies x 2 rounds; national scale, 600 x 5; ten times
national, 6000 x 5), then for each page runs it with Streamlit's AppTest as its role and times the
reruns after the first (the warm rerun: what a user waits for when they change a widget). Prints
the median per page and scale and the growth ratios, which should stay within 2x.

Times are the process's CPU time by default (`--clock cpu`): on a shared machine the wall clock
mostly measures the neighbours. `--clock wall` measures what a user waits for on an idle machine.

The cohort statistics (median and quartiles per dimension over the round's submitted bodies) are
timed from the service with its cache emptied, against one SQL query grouped by body and dimension
over the answers plus pandas quantiles; the ratio should stay within 1.2x.

    .venv/bin/python bench/pages.py [--reruns 7] [--folder /tmp/ioa-bench]

Seeded databases are kept in the folder and reused when they are already there.
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

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

import pandas as pd  # noqa: E402
import streamlit as st  # noqa: E402
from sqlalchemy import select, text  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

from ioa_assess.services import memo  # noqa: E402
from ioa_assess.services.accounts import actor_for_user  # noqa: E402
from ioa_assess.services.actor import Actor  # noqa: E402
from ioa_assess.services.cohort import dimension_statistics  # noqa: E402
from ioa_assess.storage.engine import dispose_all, session_scope  # noqa: E402
from ioa_assess.storage.models import Round, User  # noqa: E402

SCALES = {"network": (72, 2), "national": (600, 5), "10x national": (6000, 5)}
PAGES = {  # page: (role, path)
    "assessment": ("participant", "pages/assess.py"),
    "results": ("participant", "pages/results.py"),
    "leadership": ("leader", "pages/leadership.py"),
    "cohort (completion)": ("facilitator", "pages/cohort.py"),
    "agenda": ("facilitator", "pages/agenda.py"),
    "regional": ("regional_leader", "pages/regional.py"),
}

# The floor: each submitted body's mean level per dimension in one grouped query, then quartiles.
FLOOR_SQL = text(
    """
    SELECT a.body_id, substr(r.question_id, 1, instr(r.question_id, '-') - 1) AS dimension_id,
           avg(r.level) AS score
    FROM responses r JOIN assessments a ON a.id = r.assessment_id
    WHERE a.round_id = :round_id AND a.status = 'submitted' AND r.level > 0
    GROUP BY a.body_id, dimension_id
    """
)


def seed(folder: Path, agencies: int, rounds: int) -> str:
    database = folder / f"ioa-{agencies}x{rounds}.db"
    url = f"sqlite:///{database}"
    if not database.exists():
        started = time.perf_counter()
        subprocess.run(
            [
                sys.executable,
                "-m",
                "ioa_assess",
                "seed-demo",
                "--agencies",
                str(agencies),
                "--rounds",
                str(rounds),
            ],
            cwd=PROJECT,
            env={**os.environ, "IOA_DATABASE_URL": url},
            check=True,
            capture_output=True,
        )
        print(f"seeded {agencies} bodies x {rounds} rounds in {time.perf_counter() - started:.1f} s")
    return url


def use(url: str) -> None:
    dispose_all()
    os.environ["IOA_DATABASE_URL"] = url
    memo.clear()


def demo_actor(role: str) -> Actor:
    with session_scope() as session:
        user = session.scalar(select(User).where(User.role == role, User.email.like("%@demo.ioa.no")))
        return actor_for_user(user)


CLOCKS = {"cpu": time.process_time, "wall": time.perf_counter}
clock = CLOCKS["cpu"]


def warm_rerun(role: str, path: str, reruns: int) -> float:
    """Median seconds of a rerun of the page, after a first run that fills caches."""
    st.cache_data.clear()
    at = AppTest.from_file(str(PROJECT / "app.py"), default_timeout=120)
    at.session_state["actor"] = demo_actor(role)
    at.run()
    at.switch_page(path).run()
    if at.exception:
        raise RuntimeError(f"{path} failed: {at.exception}")
    times = []
    for _ in range(reruns):
        started = clock()
        at.run()
        times.append(clock() - started)
    return statistics.median(times)


def latest_round_id() -> int:
    with session_scope() as session:
        return session.scalar(select(Round.id).order_by(Round.opens_on.desc()).limit(1))  # type: ignore[return-value]


def floor_statistics(round_id: int) -> pd.DataFrame:
    with session_scope() as session:
        scores = pd.DataFrame(session.execute(FLOOR_SQL, {"round_id": round_id}).all())
    return scores.groupby("dimension_id")["score"].quantile([0.0, 0.25, 0.5, 0.75, 1.0]).unstack()


def statistics_against_floor(round_id: int, repeats: int) -> tuple[float, float]:
    facilitator = demo_actor("facilitator")
    dimension_statistics(facilitator, round_id)  # publish first if due: that is not the statistics

    def service() -> None:
        memo.clear()
        dimension_statistics(facilitator, round_id)

    def timed(run) -> float:  # type: ignore[no-untyped-def]
        samples = []
        for _ in range(repeats):
            started = clock()
            run()
            samples.append(clock() - started)
        return statistics.median(samples)

    return timed(service), timed(lambda: floor_statistics(round_id))


def fmt(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.2f} s"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--reruns", type=int, default=7)
    parser.add_argument("--clock", choices=sorted(CLOCKS), default="cpu")
    parser.add_argument("--folder", type=Path, default=Path(tempfile.gettempdir()) / "ioa-bench")
    args = parser.parse_args()
    global clock
    clock = CLOCKS[args.clock]
    args.folder.mkdir(parents=True, exist_ok=True)
    urls = {name: seed(args.folder, *size) for name, size in SCALES.items()}
    pages: dict[str, dict[str, float]] = {page: {} for page in PAGES}
    floor: dict[str, tuple[float, float]] = {}
    for scale, url in urls.items():
        use(url)
        for page, (role, path) in PAGES.items():
            pages[page][scale] = warm_rerun(role, path, args.reruns)
        floor[scale] = statistics_against_floor(latest_round_id(), args.reruns)
    names = list(SCALES)
    print()
    print("| page | " + " | ".join(names) + " | growth national/network | growth 10x/network |")
    print("| --- | " + " | ".join("---" for _ in names) + " | --- | --- |")
    for page, times in pages.items():
        growth = times["national"] / times["network"], times["10x national"] / times["network"]
        cells = " | ".join(fmt(times[n]) for n in names)
        print(f"| {page} | {cells} | {growth[0]:.1f}x | {growth[1]:.1f}x |")
    print()
    print("| cohort statistics | " + " | ".join(names) + " |")
    print("| --- | " + " | ".join("---" for _ in names) + " |")
    print("| service (cache emptied) | " + " | ".join(fmt(floor[n][0]) for n in names) + " |")
    print("| SQL floor | " + " | ".join(fmt(floor[n][1]) for n in names) + " |")
    print("| ratio | " + " | ".join(f"{floor[n][0] / floor[n][1]:.2f}x" for n in names) + " |")


if __name__ == "__main__":
    main()
