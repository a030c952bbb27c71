"""A small in-process cache for results that only change with what their key names.

Keys name what the result was computed from (a published snapshot's id, an assessment's
updated_at), so a new snapshot or a new answer is a new key and is seen at once, on every server.
"""

from __future__ import annotations

import copy
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TypeVar

import pandas as pd

from ioa_assess.config import database_url, k_anonymity

T = TypeVar("T")
MAX_ENTRIES = 512

_entries: OrderedDict[Hashable, object] = OrderedDict()
_lock = threading.Lock()


def _private(value: T) -> T:
    """DataFrames are mutable: each caller gets its own copy."""
    if isinstance(value, pd.DataFrame):
        return value.copy()  # type: ignore[return-value]
    if isinstance(value, tuple) and any(isinstance(v, pd.DataFrame) for v in value):
        return copy.copy(value)
    return value


def cached(key: Hashable, compute: Callable[[], T]) -> T:
    """The value stored under `key`, computed (outside the lock) when it is not there.

    The database and k are part of every key: ids are only unique within one database.
    """
    key = (database_url(), k_anonymity(), key)
    with _lock:
        if key in _entries:
            _entries.move_to_end(key)
            return _private(_entries[key])  # type: ignore[arg-type]
    value = compute()
    with _lock:
        _entries[key] = value
        while len(_entries) > MAX_ENTRIES:
            _entries.popitem(last=False)
    return _private(value)


def clear() -> None:
    with _lock:
        _entries.clear()
