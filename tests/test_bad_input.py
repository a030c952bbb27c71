"""Hostile and odd input on every input path, through the services and through the pages (AppTest).

Each input either gets a clear message (a ServiceError or BodyImportError with a readable text) or
is stored and shown back exactly as given; nothing crashes, and nothing else changes.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable

import pytest
from sqlalchemy import func, select
from streamlit.testing.v1 import AppTest

from ioa_assess.bootstrap import import_bodies
from ioa_assess.reference import MAX_IMPORT_BYTES, BodyImportError, parse_bodies_csv
from ioa_assess.services import cohort
from ioa_assess.services.accounts import redeem_invitation, sign_in
from ioa_assess.services.actor import MAX_ID, SYSTEM, InvalidInput, NotFound, PermissionDenied, ServiceError
from ioa_assess.services.admin import list_bodies
from ioa_assess.services.assessments import (
    MAX_COMMENT_LENGTH,
    open_assessment,
    reopen_assessment,
    save_answer,
    submit_assessment,
)
from ioa_assess.services.results import standing
from ioa_assess.storage.engine import session_scope
from ioa_assess.storage.models import AuditEvent, Base
from tests.conftest import PROJECT
from tests.test_pages import app_for, demo_actor

TEXTS = {
    "sql": "'; DROP TABLE users; --",
    "sql-or": "x' OR '1'='1",
    "html": '<b>fet</b><img src=x onerror="alert(1)">',
    "script": "<script>alert(document.cookie)</script>",
    "markdown": "**fet** [lenke](javascript:alert(1)) $x^2$ :red[rød]",
    "formula": '=HYPERLINK("http://evil","klikk")',
    "emoji": "Innkjøp 🚀🇳🇴👩‍💻",
    "rtl": "مرحبا بالعالم \u202eevil\u202c שלום",
    "long": "x" * 100_000,
    "nul": "a\x00b",
}
STORABLE = ("sql", "sql-or", "html", "script", "markdown", "formula", "emoji", "rtl")
BAD_IDS = (0, -1, 10**9, MAX_ID, MAX_ID + 1, 2**70)


def counts() -> dict[str, int]:
    """Rows per table, except the audit trail and the attempt counters (refusals are recorded and
    counted there on purpose)."""
    with session_scope() as session:
        return {
            table.name: session.scalar(select(func.count()).select_from(table)) or 0
            for table in Base.metadata.sorted_tables
            if table.name not in ("audit_events", "attempt_counters")
        }


def audit_actions() -> list[str]:
    with session_scope() as session:
        return list(session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def assert_readable(exc: Exception) -> None:
    message = str(exc)
    assert message and len(message) < 1000 and "Traceback" not in message and "sqlite" not in message.lower()


def refused_or_none(call: Callable[[], object]) -> None:
    """A ServiceError with a readable message; nothing else may escape."""
    with pytest.raises(ServiceError) as info:
        call()
    assert_readable(info.value)


# --- sign-in --------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(TEXTS))
def test_sign_in_fields(demo_db: str, name: str) -> None:
    text = TEXTS[name]
    before, audited = counts(), len(audit_actions())
    for email, password in ((text, "demo-participant-42"), ("nobody@demo.ioa.no", text), (text, text)):
        with pytest.raises(PermissionDenied, match="Wrong e-mail or password"):
            sign_in(email, password)
    assert counts() == before
    assert set(audit_actions()[audited:]) <= {"signin.failed"}


@pytest.mark.parametrize("name", list(TEXTS))
def test_sign_in_form(demo_db: str, name: str) -> None:
    at = app_for(None).run()
    before = counts()
    at.text_input(key="signin-email").set_value(TEXTS[name])  # as a forged client would send it
    at.text_input(key="signin-password").set_value(TEXTS[name])
    at.button(key="signin-submit").click().run()
    assert not at.exception
    assert [e.value for e in at.error] == ["Wrong e-mail or password."]
    assert "actor" not in at.session_state and counts() == before


# --- invitation codes ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(TEXTS))
def test_invitation_code(demo_db: str, name: str) -> None:
    before = counts()
    with pytest.raises(InvalidInput, match="This code is not valid"):
        redeem_invitation(TEXTS[name])
    at = app_for(None).run()
    at.text_input(key="invite-code").set_value(TEXTS[name])
    at.button(key="invite-submit").click().run()
    assert not at.exception
    assert len(at.error) == 1 and "not valid" in at.error[0].value
    assert "actor" not in at.session_state and counts() == before
    assert set(audit_actions()) - {"invitation.failed"} == set(_seeded_actions())


def _seeded_actions() -> list[str]:
    return [a for a in audit_actions() if a != "invitation.failed"]


# --- comments -------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", STORABLE)
def test_comments_are_stored_and_shown_back_exactly(demo_db: str, name: str) -> None:
    participant = demo_actor("participant")
    state = open_assessment(participant)
    before = counts()
    save_answer(participant, state.id, "str-01", comment=TEXTS[name])
    assert open_assessment(participant).answers["str-01"].comment == TEXTS[name]
    after = counts()
    assert {k: v for k, v in after.items() if k != "responses"} == {
        k: v for k, v in before.items() if k != "responses"
    }
    assert after["responses"] - before["responses"] in (0, 1)
    at = app_for(participant).run()
    at.switch_page("pages/assess.py").run()
    assert not at.exception
    assert at.text_area(key="comment-str-01").value == TEXTS[name]


@pytest.mark.parametrize("name", ["long", "nul"])
def test_comments_that_cannot_be_stored_are_refused(demo_db: str, name: str) -> None:
    participant = demo_actor("participant")
    state = open_assessment(participant)
    stored = state.answers.get("str-01")
    before = counts()
    with pytest.raises(InvalidInput) as info:
        save_answer(participant, state.id, "str-01", comment=TEXTS[name])
    assert_readable(info.value)
    assert counts() == before and open_assessment(participant).answers.get("str-01") == stored


def _assess_page_in_bokmal(participant) -> AppTest:  # type: ignore[no-untyped-def]
    """The assessment page in the default language: AppTest formats its options outside the run,
    where the page's language is not known, so only the default language matches."""
    at = app_for(participant)
    del at.session_state["lang"]
    at.run()
    at.switch_page("pages/assess.py").run()
    assert not at.exception
    return at


def test_comment_form_refuses_a_nul_byte_and_keeps_the_stored_text(demo_db: str) -> None:
    participant = demo_actor("participant")
    at = _assess_page_in_bokmal(participant)
    before = at.text_area(key="comment-str-01").value
    stored = counts()
    at.text_area(key="comment-str-01").input("a\x00b").run()
    assert not at.exception
    assert len(at.error) == 1  # the service's message, translated
    assert at.text_area(key="comment-str-01").value == before
    assert counts() == stored


def test_comment_form_keeps_to_the_length_limit(demo_db: str) -> None:
    at = _assess_page_in_bokmal(demo_actor("participant"))
    at.switch_page("pages/assess.py").run()
    area = at.text_area(key="comment-str-01")
    assert area.max_chars == MAX_COMMENT_LENGTH
    before = area.value
    area.input(TEXTS["long"]).run()  # the browser refuses to take more, as AppTest does
    assert not at.exception and at.text_area(key="comment-str-01").value == before


# --- body names and CSV imports --------------------------------------------------------------------


def _csv(name: str) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["name", "kind", "county_number", "municipality_number", "population"])
    writer.writerow([name, "state_agency", "46", "", ""])
    return out.getvalue().encode("utf-8")


@pytest.mark.parametrize("name", STORABLE)
def test_body_names_are_stored_and_shown_back_exactly(demo_db: str, name: str) -> None:
    before = counts()
    records = parse_bodies_csv(_csv(TEXTS[name]))
    assert [r.name for r in records] == [TEXTS[name].strip()]
    assert import_bodies(SYSTEM, records) == (1, 0)
    assert counts() == {**before, "bodies": before["bodies"] + 1}
    assert TEXTS[name].strip() in set(list_bodies(demo_actor("admin"))["name"])
    at = app_for(demo_actor("admin")).run()
    at.switch_page("pages/admin.py").run()
    assert not at.exception
    shown = at.dataframe[-1].value  # the register, with its columns named in the user's language
    assert TEXTS[name].strip() in set(shown["Name"])


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (_csv(TEXTS["long"]), "longer than 200 characters"),
        (_csv(TEXTS["nul"]), "NUL bytes"),
        (b"name,kind,county_number\n\x81\x8d\x90,kommune,46\n", "neither UTF-8 nor Windows-1252"),
        # Read (as Windows-1252), and refused for what the row lacks, not for its encoding.
        ("name,kind,county_number\nBø,kommune,46\n".encode("latin-1"), "row 2: a municipality needs"),
        (b"\x00\x01\x02\x03binary", "NUL bytes"),
        (b"", "header lacks"),
        (b"name,kind,county_number\n", "no rows"),
        (b"x" * (MAX_IMPORT_BYTES + 1), "larger than"),
        (_csv("Ny etat\u0007"), "control characters"),
        (b"name,kind,county_number\n'; DROP TABLE bodies; --,kommune,99\n", "unknown county"),
    ],
)
def test_bad_csv_files_are_rejected_whole_with_a_reason(demo_db: str, data: bytes, problem: str) -> None:
    before = counts()
    with pytest.raises(BodyImportError) as info:
        parse_bodies_csv(data)
    assert problem in str(info.value)
    assert all(len(p) < 500 for p in info.value.problems)
    assert counts() == before


# --- peer groups and ids -----------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(TEXTS))
def test_a_bogus_peer_group(demo_db: str, name: str) -> None:
    participant = demo_actor("participant")
    with pytest.raises(InvalidInput, match="Unknown peer group"):
        standing(participant, TEXTS[name])
    at = app_for(participant)
    at.session_state["peer-group"] = TEXTS[name]
    at.run()
    at.switch_page("pages/results.py").run()
    assert not at.exception
    assert any("Unknown peer group" in e.value for e in at.error)
    assert not at.dataframe


@pytest.mark.parametrize("bad", BAD_IDS)
def test_bogus_ids_in_the_assessment_and_results_services(demo_db: str, bad: int) -> None:
    participant, facilitator = demo_actor("participant"), demo_actor("facilitator")
    before = counts()
    for call in (
        lambda: open_assessment(participant, round_id=bad),
        lambda: standing(participant, round_id=bad),
        lambda: standing(demo_actor("admin"), body_id=bad),
        lambda: save_answer(participant, bad, "str-01", level=3),
        lambda: submit_assessment(participant, bad),
        lambda: reopen_assessment(facilitator, bad, "why"),
    ):
        with pytest.raises((NotFound, PermissionDenied)) as info:
            call()
        assert_readable(info.value)
    assert counts() == before


@pytest.mark.parametrize("bad", BAD_IDS)
def test_bogus_round_and_network_ids_in_the_cohort_services(demo_db: str, bad: int) -> None:
    facilitator, admin = demo_actor("facilitator"), demo_actor("admin")
    before = counts()
    for call in (lambda: cohort.completion(facilitator, bad), lambda: cohort.network_info(admin, bad)):
        with pytest.raises(ServiceError) as info:
            call()
        assert_readable(info.value)
    assert counts() == before


def test_a_tampered_round_choice_on_the_results_page_is_ignored(demo_db: str) -> None:
    at = app_for(demo_actor("participant"))
    at.session_state["results-round"] = 2**70
    at.run()
    at.switch_page("pages/results.py").run()
    assert not at.exception and not at.error


# --- no HTML or JavaScript from user text -------------------------------------------------------------


def test_no_page_renders_user_text_as_html() -> None:
    """Only generated scripts may use unsafe HTML or JavaScript, never text a user typed:
    the sign-in cookie script (session.py: JSON built by json.dumps from a server-made token), the
    language cookie (i18n.py: the language code, always one of LANGUAGES) and the unsaved-comment
    guard (assessment_form.py: a constant script with no data in it)."""
    allowed = {
        ("ioa_assess/ui/session.py", "unsafe_allow_javascript=True"),
        ("ioa_assess/ui/i18n.py", "unsafe_allow_javascript=True"),
        ("ioa_assess/ui/assessment_form.py", "unsafe_allow_javascript=True"),
    }
    pattern = re.compile(r"unsafe_allow_(html|javascript)\s*=\s*True")
    found = set()
    for path in [
        *(PROJECT / "pages").glob("*.py"),
        *(PROJECT / "ioa_assess").rglob("*.py"),
        PROJECT / "app.py",
    ]:
        for match in pattern.finditer(path.read_text(encoding="utf-8")):
            found.add((str(path.relative_to(PROJECT)), match.group(0)))
    assert found == allowed
