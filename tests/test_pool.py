"""The connection pool under load: many saves at once, and what a person is told when every
connection is taken (the app's own message, the answer not stored), on SQLite and PostgreSQL."""

from __future__ import annotations

from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest

from ioa_assess.errors import BUSY, DatabaseBusy
from ioa_assess.services.actor import ServiceError
from ioa_assess.services.assessments import open_assessment, save_answer
from ioa_assess.storage.engine import dispose_all, engine_for, pool_settings
from tests.factories import QUESTIONS, make_cohort, make_user
from tests.test_pages import app_for, demo_actor


@pytest.fixture
def small_pool(monkeypatch: pytest.MonkeyPatch) -> None:
    """A pool of 3 + 2 connections that refuses after half a second (the defaults are larger)."""
    monkeypatch.setenv("IOA_DB_POOL_SIZE", "3")
    monkeypatch.setenv("IOA_DB_MAX_OVERFLOW", "2")
    monkeypatch.setenv("IOA_DB_POOL_TIMEOUT", "0.5")
    dispose_all()


def _outcome(call) -> str:  # type: ignore[no-untyped-def]
    try:
        call()
    except ServiceError as exc:
        return f"{type(exc).__name__}: {exc}"
    except Exception as exc:
        return f"unexpected {type(exc).__module__}.{type(exc).__name__}"
    return "stored"


def _two_drafts():  # type: ignore[no-untyped-def]
    cohort = make_cohort(["Gjesdal", "Sandnes"])
    leads = [make_user(f"lead{i}@ks.no", "agency_lead", body_id=b) for i, b in enumerate(cohort.body_ids)]
    return [(lead, open_assessment(lead).id) for lead in leads]


def test_fifty_concurrent_saves_are_all_stored(any_db: str) -> None:
    drafts = _two_drafts()
    saves = [(drafts[i % 2], QUESTIONS[i % 25], 1 + i % 5) for i in range(50)]
    with ThreadPoolExecutor(max_workers=50) as pool:
        outcomes = Counter(
            pool.map(lambda s: _outcome(lambda: save_answer(s[0][0], s[0][1], s[1], level=s[2])), saves)
        )
    assert outcomes == {"stored": 50}
    for (lead, _), offset in zip(drafts, (0, 1), strict=True):
        stored = open_assessment(lead).levels()
        assert stored == {QUESTIONS[i % 25]: 1 + i % 5 for i in range(offset, 50, 2)}


def test_saves_while_every_connection_is_taken_get_the_apps_message(any_db: str, small_pool: None) -> None:
    drafts = _two_drafts()
    settings = pool_settings()
    held = [engine_for(any_db).connect() for _ in range(settings["pool_size"] + settings["max_overflow"])]
    try:
        saves = [(drafts[i % 2], QUESTIONS[i % 25]) for i in range(50)]
        with ThreadPoolExecutor(max_workers=50) as pool:
            outcomes = Counter(
                pool.map(lambda s: _outcome(lambda: save_answer(s[0][0], s[0][1], s[1], level=4)), saves)
            )
    finally:
        for connection in held:
            connection.close()
    assert outcomes == {f"DatabaseBusy: {BUSY}": 50}
    assert all(open_assessment(lead).levels() == {} for lead, _ in drafts)  # nothing was stored
    assert _outcome(lambda: save_answer(drafts[0][0], drafts[0][1], QUESTIONS[0], level=4)) == "stored"


def test_the_form_says_the_answer_was_not_stored(demo_db: str, small_pool: None) -> None:
    at = app_for(demo_actor("agency_lead")).run()
    at.switch_page("pages/assess.py").run()
    assert not at.exception
    radio = next(r for r in at.radio if str(r.key).startswith("answer-"))
    question_id = str(radio.key).removeprefix("answer-")
    before = radio.value
    chosen = 2 if before != 2 else 3
    settings = pool_settings()
    held = [engine_for(demo_db).connect() for _ in range(settings["pool_size"] + settings["max_overflow"])]
    try:
        radio.set_value(chosen).run()
    finally:
        for connection in held:
            connection.close()
    assert not at.exception
    errors = [e.value for e in at.error]
    assert BUSY in errors
    assert at.radio(key=f"answer-{question_id}").value == before  # the form shows what is stored
    stored = open_assessment(demo_actor("agency_lead")).answers.get(question_id)
    assert (stored.level if stored else None) == before  # and the database holds no other answer


def test_database_busy_is_a_service_error_with_a_translated_message() -> None:
    from ioa_assess.i18n import translate

    assert isinstance(DatabaseBusy(), ServiceError)
    assert translate("nb", BUSY) != BUSY and translate("nn", BUSY) != BUSY
