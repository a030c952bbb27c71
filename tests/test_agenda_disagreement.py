"""The facilitator's "questions where bodies disagree most internally": the median of the
within-body spreads from the published snapshot, shown only over at least k bodies that had several
respondents, never naming a body, and moving only when the snapshot moves."""

from __future__ import annotations

import io

import openpyxl
import pytest

from ioa_assess.questionnaire import load_questionnaire
from ioa_assess.reports.cohort_tables import internal_disagreement_data_frame
from ioa_assess.reports.tables import to_xlsx
from ioa_assess.services.actor import SYSTEM, Actor, PermissionDenied
from ioa_assess.services.agenda import internal_disagreement
from ioa_assess.services.assessments import submit_assessment
from ioa_assess.services.scores import BodyInfo, body_info
from ioa_assess.storage.engine import session_scope
from tests.factories import (
    MUNICIPALITIES_ROGALAND,
    agree_and_submit,
    body_person,
    make_cohort,
    make_user,
    several_answer,
)
from tests.test_pages import app_for, demo_actor, texts

K = 3
Q = [q.id for q in load_questionnaire("ioa-v1").questions][:6]


@pytest.fixture
def k3(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IOA_K_ANONYMITY", str(K))


def body_info_of(body_ids: list[int]) -> list[BodyInfo]:
    with session_scope() as session:
        return list(body_info(session, body_ids).values())


def two_people_submit(body_id: int, first: list[int], second: list[int]) -> None:
    """Two people of the body answer the first questions, the agency lead agrees, and submits."""
    lead = body_person(body_id, "leder", "agency_lead")
    colleague = body_person(body_id, "kollega")
    assessment_id = several_answer(
        {lead: dict(zip(Q, first, strict=True)), colleague: dict(zip(Q, second, strict=True))}
    )
    agree_and_submit(lead, assessment_id)


def one_person_submits(body_id: int) -> None:
    person = body_person(body_id, "alene")
    submit_assessment(person, several_answer({person: dict.fromkeys(Q, 1)}))


def seen(round_id: int, actor: Actor = SYSTEM) -> list[tuple[str, int, float, float]]:
    found = internal_disagreement(actor, round_id, top=8)
    return [(r.question_id, r.bodies, r.median_spread, r.apart_share) for r in found.questions]


# Per body: the levels of the two people on Q[0..5]. Spreads: Q0 2/3/4, Q1 1/1/2, Q2 0, Q3 0/0/1,
# Q4 none (one of them gave "don't know"), Q5 2/2/2.
PAIRS = [
    ([1, 2, 3, 3, 0, 1], [3, 3, 3, 3, 2, 3]),
    ([1, 2, 3, 3, 0, 2], [4, 3, 3, 3, 2, 4]),
    ([1, 2, 3, 3, 0, 3], [5, 4, 3, 4, 2, 5]),
]


def test_below_k_bodies_with_several_respondents_nothing_is_shown(any_db: str, k3: None) -> None:
    cohort = make_cohort(MUNICIPALITIES_ROGALAND[:8])
    for body_id, (first, second) in zip(cohort.body_ids[:2], PAIRS, strict=False):
        two_people_submit(body_id, first, second)
    one_person_submits(cohort.body_ids[2])  # k bodies submitted: a snapshot is published
    found = internal_disagreement(SYSTEM, cohort.round_id)
    assert not found.enough and found.questions == []


def test_at_k_bodies_it_appears_and_moves_only_with_the_snapshot(any_db: str, k3: None) -> None:
    cohort = make_cohort(MUNICIPALITIES_ROGALAND[:8])
    for body_id, (first, second) in zip(cohort.body_ids, PAIRS, strict=False):
        two_people_submit(body_id, first, second)
    published = seen(cohort.round_id)
    # Widest median spread first; ties by the share of bodies two or more levels apart; a question
    # where the median body agreed and none was two apart is left out, and so is one with fewer
    # than k bodies with a spread.
    assert published == [
        (Q[0], 3, 3.0, 1.0),
        (Q[5], 3, 2.0, 1.0),
        (Q[1], 3, 1.0, pytest.approx(1 / 3)),
    ]  # Q3: the median body's people agreed and none was two levels apart
    # On the page: the list, with no body named, and the list to take along.
    at = app_for(make_user("fasilitator@test.no", "facilitator", network_id=cohort.network_id)).run()
    at.switch_page("pages/agenda.py").run()
    assert not at.exception
    shown = [t.value for t in at.table]
    title = load_questionnaire("ioa-v1").question(Q[0]).title.get("en")
    assert any(title in frame.to_string() for frame in shown)
    assert "Too few bodies with several respondents" not in texts(at)
    names = {b.name for b in body_info_of(cohort.body_ids)}
    assert not any(name in frame.to_string() for frame in shown for name in names)
    # The list to take along: numbers stay numbers, no body in it.
    frame = internal_disagreement_data_frame(
        internal_disagreement(SYSTEM, cohort.round_id).questions, load_questionnaire("ioa-v1"), "nb"
    )
    book = openpyxl.load_workbook(io.BytesIO(to_xlsx({"liste": frame})))
    rows = list(book["liste"].values)
    assert rows[0][3:] == (
        "Median avstand innad i en virksomhet",
        "Virksomheter med to eller flere nivåers avstand (%)",
        "Virksomheter",
    )
    assert rows[1][3:] == (3.0, 100.0, 3) and rows[3][3:] == (1.0, 33.3, 3)
    # One more body, far apart on the question nobody disagreed on: nothing moves...
    two_people_submit(cohort.body_ids[3], [1, 1, 1, 1, 1, 1], [5, 5, 5, 5, 5, 5])
    assert seen(cohort.round_id) == published
    # ... until k bodies are new since the snapshot and a new one is published.
    for body_id in cohort.body_ids[4:6]:
        two_people_submit(body_id, [1, 1, 1, 1, 1, 1], [5, 5, 5, 5, 5, 5])
    moved = {row[0]: row for row in seen(cohort.round_id)}
    assert moved[Q[0]] == (Q[0], 6, 4.0, 1.0) and moved[Q[2]][1:] == (6, 2.0, 0.5)
    # A facilitator of another network sees nothing of it.
    other = make_cohort(MUNICIPALITIES_ROGALAND[8:10], name="Annet nettverk")
    stranger = Actor(role="facilitator", label="annen", network_id=other.network_id)
    with pytest.raises(PermissionDenied):
        internal_disagreement(stranger, cohort.round_id)


def test_the_agenda_page_says_when_too_few_bodies_had_several_respondents(demo_db: str) -> None:
    at = app_for(demo_actor("facilitator")).run()
    at.switch_page("pages/agenda.py").run()
    assert not at.exception
    shown = texts(at)
    assert "Questions where bodies disagree most internally" in shown
    assert "Too few bodies with several respondents have submitted (fewer than" in shown
