"""One engine per database URL, and short-lived sessions on it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.orm import Session, sessionmaker

from ioa_assess.config import (
    MAX_OVERFLOW_DEFAULT,
    POOL_SIZE_DEFAULT,
    POOL_TIMEOUT_DEFAULT,
    database_url,
    env_float,
    env_int,
)
from ioa_assess.errors import DatabaseBusy

SQLITE_BUSY_TIMEOUT_MS = 10_000


def _sqlite_connect(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    # Let SQLAlchemy's "begin" event below emit BEGIN, so that writers can take the lock up front.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _sqlite_begin(conn: Connection) -> None:
    # A write transaction that first reads and then writes must not be upgraded later: with WAL
    # that fails at once under a second writer. BEGIN IMMEDIATE waits (busy timeout) instead.
    mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
    conn.exec_driver_sql(f"BEGIN {mode}")


_engines: dict[str, Engine] = {}


def pool_settings() -> dict[str, int | float]:
    """The connection pool of one server process (README, Configuration).

    Streamlit serves every browser session from one process, each rerun on a thread of its own, so
    the pool must hold as many connections as reruns may touch the database at once; beyond that a
    request waits at most the pool timeout and is then refused with DatabaseBusy, never left to hang.
    """
    return {
        "pool_size": env_int("IOA_DB_POOL_SIZE", POOL_SIZE_DEFAULT, minimum=1),
        "max_overflow": env_int("IOA_DB_MAX_OVERFLOW", MAX_OVERFLOW_DEFAULT, minimum=0),
        "pool_timeout": env_float("IOA_DB_POOL_TIMEOUT", POOL_TIMEOUT_DEFAULT, minimum=0.1),
    }


def engine_for(url: str) -> Engine:
    """The process's one engine for `url` (it owns the connection pool)."""
    engine = _engines.get(url)
    if engine is None:
        pool = pool_settings()
        if url.startswith("sqlite"):
            engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000}, **pool)
            event.listen(engine, "connect", _sqlite_connect)
            event.listen(engine, "begin", _sqlite_begin)
        else:
            engine = create_engine(url, pool_pre_ping=True, **pool)
        _engines[url] = engine
    return engine


def get_engine() -> Engine:
    return engine_for(database_url())


@lru_cache(maxsize=8)
def _session_factory(url: str, write: bool) -> sessionmaker[Session]:
    engine = engine_for(url)
    if write and engine.dialect.name == "sqlite":
        engine = engine.execution_options(sqlite_begin="IMMEDIATE")
    return sessionmaker(engine, expire_on_commit=False)


@contextmanager
def session_scope(write: bool = False) -> Iterator[Session]:
    """A transaction: committed when the block ends, rolled back on error.

    Use write=True for every use case that changes data.
    """
    session = _session_factory(database_url(), write)()
    try:
        yield session
        session.commit()
    except PoolTimeout as exc:
        session.rollback()
        raise DatabaseBusy() from exc
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def dispose_all() -> None:
    """Close every pool and forget the engines (tests switch databases between cases)."""
    for engine in _engines.values():
        engine.dispose()
    _engines.clear()
    _session_factory.cache_clear()
