"""Guessing passwords and invitation codes, as an attacker would: in parallel, from one address or
many, against known and unknown accounts. On SQLite and PostgreSQL, with real threads."""

from __future__ import annotations

from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from ioa_assess.services.accounts import (
    CODE_ATTEMPTS_PER_ADDRESS,
    LOCK_AFTER_FAILURES,
    LOCK_DELAYS,
    SIGNIN_FAILURES_PER_ADDRESS,
    issue_invitation,
    redeem_invitation,
    sign_in,
)
from ioa_assess.services.actor import SYSTEM, InvalidInput, PermissionDenied, ServiceError, now
from ioa_assess.storage.engine import session_scope
from ioa_assess.storage.models import AttemptCounter, AuditEvent, User
from tests.factories import make_cohort, make_user

PASSWORD = "correct horse battery"  # tests.factories.make_user's
WRONG = "Wrong e-mail or password."
LOCKED = "Too many failed attempts. Try again in a few minutes."


@pytest.fixture
def cohort(any_db: str):
    return make_cohort(["Gjesdal", "Sandnes", "Bergen"])


def _attempt(email: str, password: str, address: str | None = None) -> str:
    """What the person is told: 'signed in' or the refusal's message."""
    try:
        sign_in(email, password, address) if address is not None else sign_in(email, password)
    except PermissionDenied as exc:
        return str(exc)
    return "signed in"


def _actions(name: str) -> int:
    with session_scope() as session:
        return len(session.scalars(select(AuditEvent.id).where(AuditEvent.action == name)).all())


def _let_the_delays_pass() -> None:
    """What waiting out every sign-in delay does (rather than sleeping through it in a test)."""
    with session_scope(write=True) as session:
        session.execute(update(AttemptCounter).values(blocked_until=now() - timedelta(seconds=1)))


# --- 1: parallel wrong passwords -------------------------------------------------------------


def test_parallel_wrong_passwords_lock_the_account(cohort) -> None:
    make_user("lead@sandnes.kommune.no", "agency_lead", body_id=cohort.body_ids[1])
    with ThreadPoolExecutor(max_workers=16) as pool:
        answers = list(
            pool.map(lambda i: _attempt("lead@sandnes.kommune.no", f"guess {i:04d} guess"), range(40))
        )
    assert "signed in" not in answers
    assert _attempt("lead@sandnes.kommune.no", PASSWORD) == LOCKED
    # No more passwords were checked than the lock-out allows, however the guesses interleaved.
    assert _actions("signin.failed") == LOCK_AFTER_FAILURES


def test_parallel_wrong_passwords_from_many_addresses_lock_the_account(cohort) -> None:
    make_user("lead@sandnes.kommune.no", "agency_lead", body_id=cohort.body_ids[1])
    guesses = [("lead@sandnes.kommune.no", f"guess {i:04d} guess", f"10.0.{i}.1") for i in range(40)]
    with ThreadPoolExecutor(max_workers=16) as pool:
        answers = list(pool.map(lambda g: _attempt(*g), guesses))
    assert "signed in" not in answers
    assert _attempt("lead@sandnes.kommune.no", PASSWORD, "192.0.2.7") == LOCKED
    assert _actions("signin.failed") == LOCK_AFTER_FAILURES
    with session_scope() as session:
        user = session.scalar(select(User).where(User.email == "lead@sandnes.kommune.no"))
    assert user.failed_logins == LOCK_AFTER_FAILURES and user.locked_until is not None


# --- 6: lock-out policy ------------------------------------------------------------------------


def test_known_and_unknown_addresses_get_the_same_answers(cohort) -> None:
    make_user("lead@sandnes.kommune.no", "agency_lead", body_id=cohort.body_ids[1])
    known = [_attempt("lead@sandnes.kommune.no", "guess guess guess", f"10.1.0.{i}") for i in range(7)]
    unknown = [_attempt("nobody@sandnes.kommune.no", "guess guess guess", f"10.2.0.{i}") for i in range(7)]
    assert known == unknown
    assert known == [WRONG] * LOCK_AFTER_FAILURES + [LOCKED] * 2
    # ... and the right password of the locked account is refused with the very same words.
    assert _attempt("lead@sandnes.kommune.no", PASSWORD, "10.1.1.1") == LOCKED


def test_one_address_is_throttled_over_every_account(cohort) -> None:
    make_user("lead@sandnes.kommune.no", "agency_lead", body_id=cohort.body_ids[1])
    sprayed = [
        _attempt(f"person{i}@sandnes.kommune.no", "guess guess guess", "203.0.113.9")
        for i in range(SIGNIN_FAILURES_PER_ADDRESS + 1)
    ]
    assert sprayed[:-1] == [WRONG] * SIGNIN_FAILURES_PER_ADDRESS and sprayed[-1] == LOCKED
    assert _attempt("lead@sandnes.kommune.no", PASSWORD, "203.0.113.9") == LOCKED
    # The account itself was never guessed at, and another address signs in at once.
    assert _attempt("lead@sandnes.kommune.no", PASSWORD, "198.51.100.4") == "signed in"


def test_a_lock_started_by_someone_else_lets_the_right_password_through_after_the_delay(cohort) -> None:
    make_user("admin@ks.no", "admin")
    for i in range(LOCK_AFTER_FAILURES):
        _attempt("admin@ks.no", "guess guess guess", f"10.3.0.{i}")
    assert _attempt("admin@ks.no", PASSWORD, "10.9.9.9") == LOCKED
    # However long the attack goes on, no single delay is longer than the policy's longest.
    for i in range(30):
        _let_the_delays_pass()
        assert _attempt("admin@ks.no", "guess guess guess", f"10.4.{i}.1") == WRONG
        with session_scope() as session:
            blocked_until = session.scalar(select(User.locked_until).where(User.email == "admin@ks.no"))
        assert blocked_until <= now() + LOCK_DELAYS[-1]
    assert LOCK_DELAYS[-1] <= timedelta(minutes=15)
    _let_the_delays_pass()
    assert _attempt("admin@ks.no", PASSWORD, "10.9.9.9") == "signed in"


def test_a_successful_sign_in_starts_the_count_anew(cohort) -> None:
    make_user("lead@sandnes.kommune.no", "agency_lead", body_id=cohort.body_ids[1])
    for _round in range(2):
        for _ in range(LOCK_AFTER_FAILURES - 1):
            assert _attempt("lead@sandnes.kommune.no", "a typo in it") == WRONG
        assert _attempt("lead@sandnes.kommune.no", PASSWORD) == "signed in"
    assert _attempt("lead@sandnes.kommune.no", "one more typo") == WRONG
    assert _attempt("lead@sandnes.kommune.no", PASSWORD) == "signed in"
    with session_scope() as session:
        assert session.scalar(select(User.failed_logins).where(User.email == "lead@sandnes.kommune.no")) == 0


# --- 2: invitation codes ---------------------------------------------------------------------


def _code(body_id: int, round_id: int) -> str:
    with session_scope(write=True) as session:
        return issue_invitation(session, SYSTEM, body_id, round_id)[1]


def _redeem(code: str, address: str) -> str:
    try:
        redeem_invitation(code, address)
    except ServiceError as exc:
        return type(exc).__name__
    return "redeemed"


def test_wrong_codes_from_one_address_do_not_shut_out_another(cohort) -> None:
    good = _code(cohort.body_ids[0], cohort.round_id)
    answers = [_redeem(f"WXYZ-WXYZ-{i:04d}", "203.0.113.5") for i in range(25)]
    assert answers[:CODE_ATTEMPTS_PER_ADDRESS] == ["InvalidInput"] * CODE_ATTEMPTS_PER_ADDRESS
    assert set(answers[CODE_ATTEMPTS_PER_ADDRESS:]) == {"PermissionDenied"}
    assert _redeem(good, "198.51.100.20") == "redeemed"
    assert _redeem(good, "203.0.113.5") == "PermissionDenied"  # the guesser stays throttled


def test_a_burst_of_parallel_code_guesses_checks_no_more_than_the_limit(cohort) -> None:
    _code(cohort.body_ids[0], cohort.round_id)
    with ThreadPoolExecutor(max_workers=16) as pool:
        answers = Counter(pool.map(lambda i: _redeem(f"QRST-QRST-{i:04d}", "203.0.113.77"), range(100)))
    assert answers == {
        "InvalidInput": CODE_ATTEMPTS_PER_ADDRESS,
        "PermissionDenied": 100 - CODE_ATTEMPTS_PER_ADDRESS,
    }
    assert _actions("invitation.failed") == CODE_ATTEMPTS_PER_ADDRESS


def test_valid_codes_from_one_address_are_not_counted_as_guesses(cohort) -> None:
    """A whole office behind one address redeems its codes."""
    codes = [_code(body_id, cohort.round_id) for body_id in cohort.body_ids for _ in range(10)]
    assert {_redeem(code, "192.0.2.50") for code in codes} == {"redeemed"}
    with pytest.raises(InvalidInput):
        redeem_invitation("ABCD-ABCD-ABCD", "192.0.2.50")
