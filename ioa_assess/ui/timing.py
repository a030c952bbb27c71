"""Server-side timings for bench/: with IOA_TIMING=1, each timed block logs its duration and when
it started (on the process's performance clock), so that a benchmark can add up one click's blocks.

With IOA_PROFILE=<folder> as well, each block is profiled too and its statistics are written to
<folder>/<label>.prof (summed over all runs), to read with `python -m pstats`.
"""

from __future__ import annotations

import cProfile
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

_profiles: dict[str, cProfile.Profile] = {}


@contextmanager
def timed(label: str) -> Iterator[None]:
    if not os.environ.get("IOA_TIMING"):
        yield
        return
    profile_folder = os.environ.get("IOA_PROFILE")
    profile = _profiles.setdefault(label, cProfile.Profile()) if profile_folder else None
    started = time.perf_counter()
    try:
        if profile is not None:
            profile.enable()
        yield
    finally:
        if profile is not None:
            profile.disable()
        # print, not logging: Streamlit's log level would hide it, and bench/ reads stderr.
        elapsed_ms = (time.perf_counter() - started) * 1000
        print(f"IOA_TIMING {label} {elapsed_ms:.3f} {started:.6f}", flush=True)
        if profile is not None and profile_folder:
            profile.dump_stats(Path(profile_folder) / f"{label}.prof")
