"""Counters that throttle guessing (passwords, invitation codes), each change one atomic statement.

Parallel requests must not be able to pass a limit between reading a count and writing it back, so
a count is never read and then written: the database adds one and returns the result (an upsert
with RETURNING), and an attempt is counted before it is checked, not after.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import ScalarSelect, case, delete, literal, null, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from ioa_assess.storage.models import AttemptCounter, UTCDateTime


def key(kind: str, value: str) -> str:
    """A counter's key; the value (an address, an e-mail, a code) is stored only as a hash."""
    return f"{kind}:{hashlib.sha256(value.encode()).hexdigest()[:40]}"


def _insert(session: Session):  # type: ignore[no-untyped-def]
    return pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert


def _at(moment: datetime):  # type: ignore[no-untyped-def]
    return literal(moment, UTCDateTime())


def count_attempt(session: Session, counter: str, window: timedelta, current: datetime) -> int:
    """Count one attempt in the counter's current window (a new window starts once the old one has
    passed); returns the count including this attempt."""
    expired = AttemptCounter.window_start <= current - window
    statement = _insert(session)(AttemptCounter).values(
        key=counter, attempts=1, window_start=current, blocked_until=None
    )
    statement = statement.on_conflict_do_update(
        index_elements=["key"],
        set_={
            "attempts": case((expired, 1), else_=AttemptCounter.attempts + 1),
            "window_start": case((expired, _at(current)), else_=AttemptCounter.window_start),
        },
    ).returning(AttemptCounter.attempts)
    return session.execute(statement).scalar_one()


def release_attempt(session: Session, counter: str) -> None:
    """Take back one counted attempt (it succeeded, so it was no guess)."""
    session.execute(
        update(AttemptCounter)
        .where(AttemptCounter.key == counter, AttemptCounter.attempts > 0)
        .values(attempts=AttemptCounter.attempts - 1)
    )


def claim_try(
    session: Session,
    counter: str,
    current: datetime,
    free_tries: int,
    delays: Sequence[timedelta],
    forget_after: timedelta,
) -> bool:
    """One more try for `counter`, unless a delay blocks it now (then False).

    The try is counted as a failure before it is checked: the `free_tries`-th failure in a row and
    every one after it blocks further tries for the next of `delays` (the last repeats), so however
    many tries run in parallel, at most `free_tries` are checked before the block. A success clears
    the counter (`clear`). A quiet `forget_after` starts the count anew.
    """
    restart = AttemptCounter.window_start <= current - forget_after
    failures = case((restart, 1), else_=AttemptCounter.attempts + 1)
    steps = [(failures == free_tries + i, _at(current + delay)) for i, delay in enumerate(delays)]
    blocked_until = case((failures < free_tries, null()), *steps, else_=_at(current + delays[-1]))
    statement = _insert(session)(AttemptCounter).values(
        key=counter,
        attempts=1,
        window_start=current,
        blocked_until=current + delays[0] if free_tries <= 1 else None,
    )
    statement = statement.on_conflict_do_update(
        index_elements=["key"],
        set_={"attempts": failures, "window_start": _at(current), "blocked_until": blocked_until},
        where=AttemptCounter.blocked_until.is_(None) | (AttemptCounter.blocked_until <= current),
    ).returning(AttemptCounter.attempts)
    return session.execute(statement).first() is not None


def blocked_until(counter: str) -> ScalarSelect[datetime | None]:
    """The counter's block as a subquery, to copy it in the same statement that reads it."""
    return select(AttemptCounter.blocked_until).where(AttemptCounter.key == counter).scalar_subquery()


def clear(session: Session, counter: str) -> None:
    session.execute(delete(AttemptCounter).where(AttemptCounter.key == counter))
