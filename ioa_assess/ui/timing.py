"""Server-side timings for bench/: with IOA_TIMING=1, each timed block logs its duration."""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager

_log = logging.getLogger("ioa.timing")


@contextmanager
def timed(label: str) -> Iterator[None]:
    if not os.environ.get("IOA_TIMING"):
        yield
        return
    started = time.perf_counter()
    try:
        yield
    finally:
        # print, not logging: Streamlit's log level would hide it, and bench/ reads stderr.
        print(f"IOA_TIMING {label} {(time.perf_counter() - started) * 1000:.2f}", flush=True)
